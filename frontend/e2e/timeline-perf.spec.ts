import { expect, test, type Page } from '@playwright/test';
import { server } from './server';

// Timelines must stay smooth with 10,000 items. The timeline answers are replaced in the browser
// by 10,000 synthetic items (as perf.spec.ts does for the inbox); everything else is the real app.
const N = 10_000;
const agents = ['anna@example.com', 'marc@example.com', 'lena@example.com'];

function timeline(kind: 'conversation' | 'agent'): string {
  const base = Date.UTC(2026, 10, 23, 7, 0, 0);
  const items = [];
  for (let i = 0; i < N; i++) {
    const t = new Date(base + i * 1000).toISOString();
    const agent = agents[i % 3];
    items.push({
      delivery_id: `01a20000-0000-7000-8000-${String(i).padStart(12, '0')}`,
      vendor: 'livechat',
      event_type: i % 50 === 0 ? 'chat_transferred' : 'incoming_event',
      occurred_at: t,
      received_at: t,
      summary: `event ${i}`,
      actors: i % 2 ? [{ id: 'cust-1', kind: 'customer', role: 'author' }] : [{ id: agent, kind: 'agent', role: 'author' }, { id: agents[(i + 1) % 3], kind: 'agent', role: 'transferred_to' }],
      conversation: { id: `C${Math.floor(i / 100)}`, thread_id: `T${Math.floor(i / 1000)}` },
      thread_id: `T${Math.floor(i / 1000)}`,
      status: '',
      status_of: '',
      verification: { status: 'verified', reason: '' },
      flag_count: i % 7 === 0 ? 1 : 0,
      duplicate_of: '',
      checks: i % 97 === 0 ? [{ code: 'out_of_order', reason: `received after event ${i + 1}` }] : [],
    });
  }
  const head =
    kind === 'conversation'
      ? { conversation: { vendor: 'livechat', external_id: 'PERF', organization: '', status: 'open', event_count: N, first_at: items[0].occurred_at, last_at: items[N - 1].occurred_at, threads: [], participants: [], last_summary: '' } }
      : { agent: { vendor: 'livechat', external_id: 'anna@example.com', kind: 'agent', name: 'Anna', email: 'anna@example.com', status: 'accepting chats', conversation_count: 100, event_count: N, last_at: items[N - 1].occurred_at } };
  return JSON.stringify({ ...head, items, total: N, next_cursor: '' });
}

async function smooth(page: Page, name: string) {
  const list = page.getByRole('listbox', { name });
  await expect(list.getByRole('option').first()).toHaveAttribute('aria-setsize', String(N));
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
  for (let i = 1; i <= 40; i++) {
    await list.evaluate((el, f) => (el.scrollTop = el.scrollHeight * f), i / 40);
    await page.waitForTimeout(20);
  }
  await expect(list.getByText(`event ${N - 1}`, { exact: true })).toBeVisible();
  expect(await list.getByRole('option').count()).toBeLessThan(60);
  const frames = await page.evaluate(() => (window as unknown as { __frames: number[] }).__frames.slice(2).sort((a, b) => a - b));
  const median = frames[Math.floor(frames.length / 2)];
  expect(median, `median frame ${median} ms`).toBeLessThan(50);
  // Keyboard selection at the end keeps the selected item in view.
  await page.keyboard.press('k');
  await expect(list.getByRole('option', { selected: true })).toBeVisible();
}

test('10,000-item conversation and agent timelines: only a window is in the DOM and scrolling stays smooth', async ({ page }) => {
  test.setTimeout(90_000);
  const conv = timeline('conversation');
  const agent = timeline('agent');
  await page.route('**/api/v1/stream', (route) => route.fulfill({ status: 204, body: '' }));
  await page.route('**/api/v1/conversations?*', (route) =>
    route.fulfill({ contentType: 'application/json', body: JSON.stringify({ items: [JSON.parse(conv).conversation], next_cursor: '' }) }),
  );
  await page.route('**/api/v1/conversations/livechat/PERF/timeline*', (route) => route.fulfill({ contentType: 'application/json', body: conv }));
  await page.route('**/api/v1/agents?*', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ items: [JSON.parse(agent).agent], next_cursor: '' }) }));
  await page.route('**/api/v1/agents/livechat/*/timeline*', (route) => route.fulfill({ contentType: 'application/json', body: agent }));
  await page.goto(server().ui);

  await page.getByRole('button', { name: 'Conversations' }).click();
  await page.getByRole('listbox', { name: 'Conversations' }).getByRole('option').first().click();
  await expect(page.getByRole('group', { name: 'Lanes' }).locator('[data-lane]')).toHaveCount(5);
  await smooth(page, 'Conversation timeline');

  await page.getByRole('button', { name: 'Agents' }).click();
  await page.getByRole('listbox', { name: 'Agents' }).getByRole('option').first().click();
  await smooth(page, 'Agent timeline');
});
