import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { newChat, sendChat } from './livechat';
import { server } from './server';

// Issue 4 flows against a real `hooklens serve`: a LiveChat chat with a transfer and a close read
// as a story in the Conversations and Agents views.
const artifacts = join(import.meta.dirname, 'artifacts');

function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

const eventTypes = (page: Page, list: string) =>
  page
    .getByRole('listbox', { name: list })
    .locator('[data-event-type]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-event-type')));

test.describe.serial('conversations and agents', () => {
  const chat = newChat();
  let errors: string[] = [];

  test.beforeAll(async () => {
    await sendChat(chat);
  });

  test.beforeEach(async ({ page }) => {
    errors = watch(page);
    await page.goto(server().ui);
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  });

  test.afterEach(() => {
    expect(errors, 'console errors').toEqual([]);
  });

  test('a conversation opens from the list with one lane per participant and its events in order', async ({ page }) => {
    await page.getByRole('button', { name: 'Conversations' }).click();
    const list = page.getByRole('listbox', { name: 'Conversations' });
    const row = list.getByRole('option').filter({ hasText: chat.id });
    await expect(row).toContainText('closed');
    await expect(row).toContainText('6 events');
    await page.screenshot({ path: join(artifacts, 'conversations.png') });

    await row.click();
    const pane = page.getByRole('region', { name: 'Conversation' });
    await expect(pane.getByRole('heading', { name: `Conversation ${chat.id}` })).toBeVisible();
    await expect.poll(() => eventTypes(page, 'Conversation timeline')).toEqual(chat.events);
    const lanes = pane.getByRole('group', { name: 'Lanes' }).locator('[data-lane]');
    await expect(lanes).toHaveCount(4);
    expect(await lanes.evaluateAll((els) => els.map((e) => e.getAttribute('data-lane')))).toEqual([
      `customer:${chat.customer}`,
      `agent:${chat.agent}`,
      `agent:${chat.colleague}`,
      'system',
    ]);
    const transfer = pane.getByRole('option').filter({ has: page.locator('[data-event-type="chat_transferred"]') });
    await expect(transfer).toContainText(chat.colleague);
    await page.screenshot({ path: join(artifacts, 'conversation-timeline.png') });

    // An item opens the delivery detail; Esc comes back to the timeline.
    await transfer.click();
    const detail = page.getByRole('region', { name: 'Delivery detail' });
    await expect(detail).toContainText('chat_transferred');
    await expect(page.getByRole('button', { name: '← Back to the timeline' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('listbox', { name: 'Conversation timeline' })).toBeVisible();

    // Keyboard: j moves down the timeline from the transfer, Enter opens the item, Esc goes back.
    const timeline = page.getByRole('listbox', { name: 'Conversation timeline' });
    await expect(timeline.getByRole('option', { selected: true })).toContainText('chat_transferred');
    await page.keyboard.press('j');
    await expect(timeline.getByRole('option', { selected: true })).toContainText(chat.colleague);
    await page.keyboard.press('Enter');
    await expect(detail).toContainText('It left the warehouse this morning.');
    await page.keyboard.press('Escape');
    await expect(detail).toBeHidden();
    await expect(timeline).toBeVisible();
  });

  test('an agent timeline shows the transfer that involved them, with a link to the conversation', async ({ page }) => {
    await page.getByRole('button', { name: 'Agents' }).click();
    await page.getByRole('listbox', { name: 'Agents' }).getByRole('option').filter({ hasText: chat.agent }).click();
    const pane = page.getByRole('region', { name: 'Agent' });
    await expect(pane.getByRole('heading')).toContainText('Anna Kowalska');
    const timeline = page.getByRole('listbox', { name: 'Agent timeline' });
    const transfer = timeline.getByRole('option').filter({ has: page.locator('[data-event-type="chat_transferred"]') });
    await expect(transfer).toContainText('transfer');
    await expect(transfer).toContainText(chat.colleague);
    await page.screenshot({ path: join(artifacts, 'agent-timeline.png') });

    await transfer.getByRole('button', { name: `Open conversation ${chat.id}` }).click();
    await expect(page.getByRole('heading', { name: `Conversation ${chat.id}` })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Conversations' })).toHaveAttribute('aria-current', 'page');
    await page.getByRole('button', { name: '← Back to Anna Kowalska' }).click();
    await expect(page.getByRole('listbox', { name: 'Agent timeline' })).toBeVisible();
  });

  test('search narrows the conversation list, and new chats appear live', async ({ page }) => {
    await page.getByRole('button', { name: 'Conversations' }).click();
    const list = page.getByRole('listbox', { name: 'Conversations' });
    await expect(list.getByRole('option').filter({ hasText: chat.id })).toBeVisible();

    // A chat sent while the list is open shows up without a reload.
    const other = newChat();
    await sendChat(other);
    await expect(list.getByRole('option').filter({ hasText: other.id })).toBeVisible();
    expect(await list.getByRole('option').count()).toBeGreaterThanOrEqual(2);

    const search = page.getByRole('searchbox', { name: 'Search conversations' });
    await search.fill(`agent:${chat.colleague}`);
    await search.press('Enter');
    await expect(list.getByRole('option')).toHaveCount(1);
    await expect(list.getByRole('option')).toContainText(chat.id);

    await search.fill(`conv:${other.id}`);
    await search.press('Enter');
    await expect(list.getByRole('option')).toHaveCount(1);
    await expect(list.getByRole('option')).toContainText(other.id);

    await search.fill('');
    await search.press('Enter');
    await expect(list.getByRole('option').filter({ hasText: chat.id })).toBeVisible();
  });
});
