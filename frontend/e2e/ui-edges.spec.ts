import { expect, test, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { newChat, sendChat } from './livechat';
import { send, server } from './server';

// Issue 22's daily edges, in a real browser against `hooklens serve`: the resizable split, view
// switching from the keyboard, the shortcut overlay, the footer count under live traffic, and the
// name of an iAdvize agent. Named ui-* so that it runs after inbox.spec.ts, whose first test needs
// an empty store.

function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const current = (page: Page) => mainNav(page).locator('[aria-current="page"]');

/** An iAdvize event body with the common fields. */
function iadvize(eventType: string, fields: Record<string, unknown>): string {
  const now = new Date().toISOString();
  return JSON.stringify({ eventId: randomUUID(), eventType, platform: 'sd', clientId: 335, ...fields, createdAt: now, sentAt: now });
}

let errors: string[] = [];

test.beforeAll(async () => {
  await sendChat(newChat()); // something in the inbox, so the split has a detail pane
});

test.beforeEach(async ({ page }) => {
  errors = watch(page);
  await page.goto(server().ui);
  await expect(mainNav(page)).toBeVisible();
});

test.afterEach(() => {
  expect(errors, 'page errors').toEqual([]);
});

test('the list/detail split resizes by keyboard and by drag, per view, and survives a reload', async ({ page }) => {
  const sep = page.getByRole('separator', { name: 'Resize the list' });
  await expect(sep).toBeVisible();
  // 1440 px wide: a wide screen, where the inbox list gets more than half by default.
  await expect(sep).toHaveAttribute('aria-valuenow', '55');
  const list = page.getByRole('region', { name: 'Inbox' });
  const before = (await list.boundingBox())!.width;

  await sep.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Shift+ArrowLeft');
  await expect(sep).toHaveAttribute('aria-valuenow', '43');
  expect((await list.boundingBox())!.width).toBeLessThan(before - 100);

  // Dragging the separator to 70 % of the split.
  const main = (await page.locator('main').boundingBox())!;
  const box = (await sep.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(main.x + main.width * 0.7, box.y + 220, { steps: 5 });
  await page.mouse.up();
  await expect(sep).toHaveAttribute('aria-valuenow', '70');
  const search = page.getByRole('searchbox', { name: /search/i }).first();
  const wideSearch = (await search.boundingBox())!.width;

  // Conversations keeps its own size.
  await mainNav(page).getByRole('button', { name: 'Conversations' }).click();
  await expect(page.getByRole('separator', { name: 'Resize the list' })).toHaveAttribute('aria-valuenow', '45');

  await page.reload();
  await expect(mainNav(page)).toBeVisible();
  await mainNav(page).getByRole('button', { name: 'Inbox' }).click();
  await expect(page.getByRole('separator', { name: 'Resize the list' })).toHaveAttribute('aria-valuenow', '70');

  // The search box grows with the pane.
  await page.getByRole('separator', { name: 'Resize the list' }).focus();
  await page.keyboard.press('Home');
  await expect(page.getByRole('separator', { name: 'Resize the list' })).toHaveAttribute('aria-valuenow', '20');
  expect((await search.boundingBox())!.width).toBeLessThan(wideSearch - 200);
  // Enter goes back to the default.
  await page.keyboard.press('Enter');
  await expect(page.getByRole('separator', { name: 'Resize the list' })).toHaveAttribute('aria-valuenow', '55');
});

test('g sequences and Alt+digits switch views in the browser, but not while typing', async ({ page }) => {
  await page.locator('body').click({ position: { x: 600, y: 5 } });
  await page.keyboard.press('g');
  await page.keyboard.press('c');
  await expect(current(page)).toHaveText(/Conversations/);
  await page.keyboard.press('g');
  await page.keyboard.press('a');
  await expect(current(page)).toHaveText(/Agents/);
  await page.keyboard.press('g');
  await page.keyboard.press('t');
  await expect(current(page)).toHaveText(/Tunnel/);
  await page.keyboard.press('g');
  await page.keyboard.press('s');
  await expect(current(page)).toHaveText(/Settings/);
  await page.keyboard.press('g');
  await page.keyboard.press('i');
  await expect(current(page)).toHaveText(/Inbox/);
  await page.keyboard.press('Alt+3');
  await expect(current(page)).toHaveText(/Agents/);
  await page.keyboard.press('Alt+1');
  await expect(current(page)).toHaveText(/Inbox/);
  // A lone c (no g before it) does nothing.
  await page.keyboard.press('c');
  await expect(current(page)).toHaveText(/Inbox/);

  // Typed into the search, the same keys stay text.
  const search = page.getByRole('searchbox').first();
  await search.click();
  await page.keyboard.type('g c');
  await page.keyboard.press('Alt+2');
  await expect(search).toHaveValue('g c');
  await expect(current(page)).toHaveText(/Inbox/);
});

test('? lists the shortcuts of the current view in a dialog that Esc closes, focus returning', async ({ page }) => {
  const inboxNav = mainNav(page).getByRole('button', { name: 'Inbox' });
  await inboxNav.focus();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  const inbox = dialog.getByRole('region', { name: 'Inbox shortcuts' });
  await expect(inbox).toContainText('Mark the selected delivery for an export');
  await expect(inbox).toContainText('Open the selected delivery');
  const everywhere = dialog.getByRole('region', { name: 'Everywhere shortcuts' });
  for (const v of ['Inbox', 'Conversations', 'Agents', 'Tunnel', 'Settings']) await expect(everywhere).toContainText(`Go to ${v}`);
  await expect(everywhere).toContainText('g c');
  await expect(everywhere).toContainText('Alt+2');
  // While the dialog is open, view shortcuts wait.
  await page.keyboard.press('Alt+2');
  await expect(current(page)).toHaveText(/Inbox/);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(inboxNav).toBeFocused();

  await page.keyboard.press('Alt+3');
  await expect(current(page)).toHaveText(/Agents/);
  await page.keyboard.press('?');
  await expect(dialog.getByRole('region', { name: 'Agents shortcuts' })).toContainText("Open the selected agent's timeline");
  await expect(dialog).not.toContainText('Mark the selected delivery');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Select an agent to see its timeline.')).toBeVisible();
});

test('the footer count follows live deliveries', async ({ page }) => {
  // A fake clock: the 5 s health poll cannot fire, so only the live stream can move the count.
  await page.clock.install();
  await page.reload();
  const footer = page.getByRole('region', { name: 'Receiver' });
  const count = async () => Number(((await footer.textContent()) ?? '').match(/([\d,]+) deliveries/)?.[1].replace(/,/g, '') ?? NaN);
  await expect.poll(count).toBeGreaterThan(0);
  const before = await count();
  await sendChat(newChat()); // six deliveries
  let fake = 0;
  while (fake < 2_000 && (await count()) !== before + 6) {
    await page.clock.runFor(100);
    fake += 100;
    await page.waitForTimeout(50);
  }
  expect(await count(), `the count after ${fake} ms of page time`).toBe(before + 6);
  await expect(page.getByRole('region', { name: 'Inbox' }).getByRole('option').first()).toBeVisible();
});

test('an iAdvize agent is shown by the name its user.updated delivery carried', async ({ page }) => {
  const id = 700000 + Math.floor(Math.random() * 99999);
  const conv = randomUUID();
  const json = { 'Content-Type': 'application/json' };
  expect(await send('/iadvize', iadvize('user.updated', { userId: id, firstName: 'Alice', lastName: `Martin ${id}` }), json)).toBe(200);
  expect(
    await send('/iadvize', iadvize('v2.conversation.pushed', { projectId: 1, conversationId: conv, operatorId: id, channel: 'CHAT', visitorId: randomUUID() }), json),
  ).toBe(200);

  await page.keyboard.press('g');
  await page.keyboard.press('a');
  const row = page.getByRole('listbox', { name: 'Agents' }).getByRole('option').filter({ hasText: `Alice Martin ${id}` });
  await expect(row).toBeVisible();
  await expect(row).toContainText(String(id)); // the id stays, under the name

  await page.keyboard.press('g');
  await page.keyboard.press('c');
  const conversation = page.getByRole('listbox', { name: 'Conversations' }).getByRole('option').filter({ hasText: conv.slice(0, 8) });
  await conversation.click();
  await expect(page.getByRole('region', { name: 'Conversation', exact: true })).toContainText(`Alice Martin ${id}`);
});

test("the field panel explains the body's first field at once, then the field selected", async ({ page }) => {
  await page.getByRole('listbox', { name: 'Deliveries' }).getByRole('option').first().click();
  const pane = page.getByRole('region', { name: 'Delivery detail' });
  const panel = pane.getByRole('complementary', { name: 'Field explanation' });
  const tree = pane.getByRole('tree', { name: 'Body fields' });
  const first = tree.getByRole('treeitem').first();
  const keyOf = async (item: typeof first) => (await item.locator('button.key').textContent())!;
  const firstKey = await keyOf(first);
  await expect(panel.locator('code.path')).toHaveText(firstKey);
  await expect(first).toHaveAttribute('aria-selected', 'true');
  const second = tree.getByRole('treeitem').nth(1);
  const secondKey = await keyOf(second);
  expect(secondKey).not.toBe(firstKey);
  await second.getByRole('button', { name: secondKey, exact: true }).click();
  await expect(panel.locator('code.path')).toHaveText(secondKey);
  await expect(first).toHaveAttribute('aria-selected', 'false');
  await expect(panel).not.toContainText('Select a field');
});
