import { expect, test } from '@playwright/test';
import { server } from './server';

// The inbox must stay smooth with 100,000 rows. The list answer is replaced in the browser by a
// page of 100,000 synthetic items (the real server would take minutes to capture that many on
// a 2-core machine); everything else is the real app.
const N = 100_000;

function items(): string {
  const base = Date.UTC(2026, 10, 23, 7, 0, 0);
  const out: string[] = [];
  for (let i = 0; i < N; i++) {
    const id = `01a20000-0000-7000-8000-${String(N - i).padStart(12, '0')}`;
    out.push(
      JSON.stringify({
        id,
        received_at: new Date(base - i * 1000).toISOString(),
        method: 'POST',
        path: '/livechat',
        query: '',
        size: 100,
        content_type: 'application/json',
        remote_addr: '127.0.0.1:1',
        status: 200,
        refused: '',
        source: 'receiver',
        vendor: 'livechat',
        event_type: 'incoming_event',
        occurred_at: null,
        organization: '',
        conversation: null,
        actors: [],
        summary: `row ${i}`,
        verification: { status: 'verified', reason: '' },
        flag_count: i % 7 === 0 ? 1 : 0,
        duplicate_of: '',
        attempts: 1,
        decoded: true,
      }),
    );
  }
  return `{"items":[${out.join(',')}],"next_cursor":""}`;
}

test('100,000 rows: only a window is in the DOM and scrolling stays smooth', async ({ page }) => {
  test.setTimeout(90_000);
  const body = items();
  await page.route('**/api/v1/deliveries?*', (route) => route.fulfill({ status: 200, contentType: 'application/json', body }));
  await page.route('**/api/v1/stream', (route) => route.fulfill({ status: 204, body: '' }));
  await page.goto(server().ui);

  const list = page.getByRole('listbox', { name: 'Deliveries' });
  await expect(list.getByRole('option').first()).toHaveAttribute('aria-setsize', String(N));
  await expect(list.getByText('row 0', { exact: true })).toBeVisible();
  expect(await list.getByRole('option').count()).toBeLessThan(60);

  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[] };
    w.__frames = [];
    let last = performance.now();
    const tick = (t: number) => {
      w.__frames.push(t - last);
      last = t;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  for (let i = 1; i <= 50; i++) {
    await list.evaluate((el, f) => (el.scrollTop = el.scrollHeight * f), i / 50);
    await page.waitForTimeout(20);
  }
  await expect(list.getByText(`row ${N - 1}`, { exact: true })).toBeVisible();
  expect(await list.getByRole('option').count()).toBeLessThan(60);
  const frames = await page.evaluate(() => (window as unknown as { __frames: number[] }).__frames.slice(2).sort((a, b) => a - b));
  const median = frames[Math.floor(frames.length / 2)];
  expect(median, `median frame ${median} ms`).toBeLessThan(50);

  // Keyboard selection far down the list keeps the selected row in view.
  await list.focus();
  await page.keyboard.press('k');
  await expect(list.getByRole('option', { selected: true })).toBeVisible();
});
