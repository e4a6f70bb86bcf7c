import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { newChat, sendChat, type Chat } from './livechat';
import { server } from './server';

// Issue 18 in a real browser against `hooklens serve`: the Catalog screen lists every event type
// of a vendor with its fields and an example, copies one type's TypeScript, downloads the vendor's
// Go package, merges what was captured, and opens from a delivery's detail on its event type.
// Named ui-* so that it runs after inbox.spec.ts, whose first test needs an empty store.

const chat: Chat = newChat();
const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
let errors: string[] = [];

test.beforeAll(async () => {
  await sendChat(chat);
});

test.beforeEach(async ({ page }) => {
  errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(server().ui);
  await expect(mainNav(page)).toBeVisible();
});

test.afterEach(() => {
  expect(errors, 'page errors').toEqual([]);
});

test('browse a vendor’s event types, copy one type and download all', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await mainNav(page).getByRole('button', { name: 'Catalog' }).click();
  const catalog = page.getByRole('region', { name: 'Catalog' });
  await expect(catalog.getByRole('combobox', { name: 'Vendor' })).toHaveValue('livechat');
  const list = catalog.getByRole('navigation', { name: 'Event types' });
  await expect(list.getByRole('button').first()).toBeVisible();
  expect(await list.getByRole('button').count()).toBeGreaterThan(40);

  await catalog.getByRole('searchbox', { name: 'Filter event types' }).fill('incoming_chat');
  await list.getByRole('button', { name: 'incoming_chat' }).click();
  const fields = catalog.getByRole('table', { name: 'Fields of incoming_chat' });
  await expect(fields.getByRole('rowheader', { name: /^payload\.chat\.id/ })).toBeVisible();
  await expect(fields.getByRole('row').filter({ hasText: /^action/ })).toContainText('incoming_chat');
  await expect(catalog.getByLabel('Example of incoming_chat', { exact: true })).toContainText('"action": "incoming_chat"');

  const copy = catalog.getByRole('button', { name: 'Copy TypeScript' });
  await expect(copy).toBeEnabled();
  await copy.click();
  await expect(copy).toHaveText('Copied');
  const ts = await page.evaluate(() => navigator.clipboard.readText());
  expect(ts).toContain('export interface IncomingChat');
  expect(ts).toContain('export function isIncomingChat(body: unknown): body is IncomingChat');
  expect(ts).not.toContain('interface ChatDeactivated');

  await catalog.getByRole('combobox', { name: 'Format' }).selectOption('go');
  const download = page.waitForEvent('download');
  await catalog.getByRole('button', { name: 'Download all' }).click();
  const d = await download;
  expect(d.suggestedFilename()).toBe('livechat.go');
  const src = readFileSync((await d.path())!, 'utf8');
  expect(src).toContain('package livechat');
  expect(src).toContain('func Parse(body []byte) (any, error)');
  expect(src).toContain('type ChatDeactivated struct');

  await catalog.getByRole('combobox', { name: 'Vendor' }).selectOption('iadvize');
  await catalog.getByRole('searchbox', { name: 'Filter event types' }).fill('');
  await expect(list.getByRole('button', { name: 'v2.conversation.closed' })).toBeVisible();
});

test('merge what was captured, and open a delivery’s types from its detail', async ({ page }) => {
  await page.getByRole('listbox', { name: 'Deliveries' }).getByRole('option').filter({ hasText: chat.id }).first().click();
  const detail = page.getByRole('region', { name: 'Delivery detail' });
  const type = detail.getByRole('region', { name: 'Event' });
  await expect(type.getByRole('button', { name: 'Types for this event' })).toBeVisible();
  const eventType = (await type.locator('dt:text-is("Event type") + dd .mono').textContent())!.trim();
  expect(chat.events).toContain(eventType);
  await type.getByRole('button', { name: 'Types for this event' }).click();

  const catalog = page.getByRole('region', { name: 'Catalog' });
  await expect(catalog.getByRole('heading', { name: eventType, exact: true })).toBeVisible();
  await expect(mainNav(page).getByRole('button', { name: 'Catalog' })).toHaveAttribute('aria-current', 'page');
  await expect(catalog.getByRole('navigation', { name: 'Event types' }).getByRole('button', { name: eventType })).toHaveAttribute('aria-current', 'true');

  await catalog.getByRole('checkbox', { name: 'Merge captured deliveries' }).check();
  await expect(catalog.getByText(/merged with \d+ captured deliveries/)).toBeVisible();
  await expect(catalog.getByText(/^seen \d+×$/)).toBeVisible();
  await expect(catalog.getByRole('heading', { name: 'Example (a captured delivery, scrubbed)' })).toBeVisible();
  await expect(catalog.getByLabel(`Example of ${eventType}`, { exact: true })).not.toContainText('e2e-no-secret');
});
