import { expect, test, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { send, server } from './server';

const artifacts = join(import.meta.dirname, 'artifacts');

declare global {
  interface Window {
    __pwned?: unknown;
  }
}

/** watch collects console errors and page errors so a test can assert there were none. */
function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

const uid = () => randomBytes(4).toString('hex');

test.describe.serial('hooklens inbox', () => {
  let errors: string[] = [];

  test.beforeEach(async ({ page }) => {
    errors = watch(page);
    await page.goto(server().ui);
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  });

  test.afterEach(() => {
    expect(errors, 'console errors').toEqual([]);
  });

  test('first run shows the empty state with the receiver URL', async ({ page }) => {
    const { receiver } = server();
    await expect(page.getByRole('heading', { name: 'No deliveries yet' })).toBeVisible();
    await expect(page.getByLabel('curl example', { exact: true })).toContainText(`curl -X POST ${receiver}/livechat`);
    await expect(page.getByRole('region', { name: 'Receiver' })).toContainText(receiver);
    await expect(page.getByRole('region', { name: 'Receiver' })).toContainText('listening');
  });

  test('a delivery appears live and opens with headers and body', async ({ page }) => {
    const id = uid();
    const path = `/livechat/e2e-${id}`;
    // The page is loaded and idle; the delivery must arrive through the live stream.
    expect(await send(path, JSON.stringify({ hello: 'world', marker: `m-${id}` }), { 'Content-Type': 'application/json', 'X-E2E-Marker': id })).toBeLessThan(300);

    const row = page.getByRole('option').filter({ hasText: path });
    await expect(row).toBeVisible();
    await page.screenshot({ path: join(artifacts, 'inbox.png') });

    await row.click();
    const pane = page.getByRole('region', { name: 'Delivery detail' });
    const headers = pane.getByRole('table');
    await expect(headers.getByRole('row').filter({ hasText: 'X-E2E-Marker' })).toContainText(id);
    await expect(headers.getByRole('row').filter({ hasText: 'Content-Type' })).toContainText('application/json');
    await expect(pane.getByRole('tree', { name: 'Body fields' }).getByRole('treeitem', { name: /^marker(\s|$)/ })).toContainText(`"m-${id}"`);
    await pane.getByRole('button', { name: 'Raw' }).click();
    await expect(pane.getByLabel('Raw body', { exact: true })).toHaveText(JSON.stringify({ hello: 'world', marker: `m-${id}` }));
    await page.screenshot({ path: join(artifacts, 'detail.png') });

    // Keyboard: Esc closes the detail, / focuses the search.
    await page.keyboard.press('Escape');
    await expect(pane.getByText('Select a delivery to see it here.')).toBeVisible();
    await page.keyboard.press('/');
    await expect(page.getByRole('searchbox', { name: 'Search deliveries' })).toBeFocused();
  });

  test('hostile payloads render as inert text', async ({ page }) => {
    const id = uid();
    const path = `/xss/${id}`;
    const html =
      `<script>window.__pwned=1</script>` +
      `<img src=x onerror="window.__pwned=1">` +
      `<a href="javascript:window.__pwned=1">click me ${id}</a>` +
      `<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=1"><script>window.__pwned=1</script></svg>`;
    await send(path, html, { 'Content-Type': 'text/html', 'X-Evil': '<img src=x onerror="window.__pwned=1">' });
    const json = JSON.stringify({ html, url: 'javascript:window.__pwned=1', svg: '<svg onload="window.__pwned=1"/>' });
    await send(`${path}/json`, json, { 'Content-Type': 'application/json' });

    const pane = page.getByRole('region', { name: 'Delivery detail' });
    await page.getByRole('option').filter({ hasText: path }).filter({ hasNotText: '/json' }).click();
    await expect(pane.getByLabel('Raw body', { exact: true })).toHaveText(html);
    await expect(pane.getByRole('table')).toContainText('<img src=x onerror="window.__pwned=1">');

    await page.getByRole('option').filter({ hasText: `${path}/json` }).click();
    const tree = pane.getByRole('tree', { name: 'Body fields' });
    await expect(tree.getByRole('treeitem', { name: /^url(\s|$)/ })).toContainText('"javascript:window.__pwned=1"');
    await pane.getByRole('button', { name: 'Pretty' }).click();
    await expect(pane.getByLabel('Pretty body', { exact: true })).toContainText('<script>window.__pwned=1</script>');

    await page.waitForTimeout(300);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    expect(await page.locator('main img, main svg, main script, main iframe, main object, main embed').count()).toBe(0);
    expect(await page.locator('main a[href^="javascript"]').count()).toBe(0);
  });

  test('a LiveChat delivery is verified with the configured secret and its fields are explained', async ({ page }) => {
    const secret = `e2e-secret-${uid()}`;
    await page.getByRole('button', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'LiveChat secret' });
    await form.getByLabel('LiveChat secret', { exact: true }).fill(secret);
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByTestId('secret-state')).toHaveText('configured');
    await page.getByRole('button', { name: 'Inbox' }).click();

    const id = uid();
    const path = `/livechat/e2e-${id}`;
    const body = {
      webhook_id: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
      secret_key: secret,
      action: 'incoming_event',
      organization_id: '390e44e6-f1e6-4c6b-9ddb-74a14508c2e1',
      payload: {
        chat_id: `E2E${id.toUpperCase()}`,
        thread_id: 'K600PKZON8',
        event: {
          id: 'Q20163UAHO_2',
          created_at: '2026-11-23T07:30:00.000000Z',
          type: 'message',
          text: 'Hello from the e2e test',
          author_id: 'smith@example.com',
          visibility: 'all',
        },
      },
      additional_data: {},
    };
    await send(path, JSON.stringify(body), { 'Content-Type': 'application/json' });

    const row = page.getByRole('option').filter({ hasText: path });
    await expect(row).toContainText('incoming_event');
    await expect(row.locator('[data-verification="verified"]')).toBeVisible();
    await row.click();

    const pane = page.getByRole('region', { name: 'Delivery detail' });
    await expect(pane.locator('[data-verification="verified"]')).toBeVisible();
    await expect(pane).toContainText('LiveChat');

    // The explanation the API gives for `action` is shown on hover and in the field panel.
    const tree = pane.getByRole('tree', { name: 'Body fields' });
    const action = tree.getByRole('treeitem', { name: /^action(\s|$)/ });
    await action.getByRole('button', { name: 'action', exact: true }).click();
    const panel = pane.getByRole('complementary', { name: 'Field explanation' });
    await expect(panel).toContainText('action');
    const detailId = await pane.getAttribute('data-delivery-id');
    expect(detailId).toBeTruthy();
    const d = (await (await page.request.get(`${server().origin}/api/v1/deliveries/${detailId}`)).json()) as {
      fields: { path: string; description: string; known: boolean }[];
    };
    const note = d.fields.find((f) => f.path === 'action');
    expect(note?.known).toBe(true);
    expect(note?.description).toBeTruthy();
    await expect(panel).toContainText(note!.description);
    await expect(action.locator('.line').first()).toHaveAttribute('title', new RegExp(escapeRe(note!.description)));
    await page.screenshot({ path: join(artifacts, 'livechat-detail.png') });
  });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
