import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { send, server } from './server';

// Issue 17 in the browser: a LiveChat v3.1 delivery shows its detected API version and decodes
// without drift; pinning v3.5 in Settings → Vendor versions checks it again against 3.5, and the
// drift says in words how 3.1 named the field. Named ui-* so that it runs after inbox.spec.ts.

const json = { 'Content-Type': 'application/json' };
const nav = (page: import('@playwright/test').Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();

test.afterEach(async ({ page }) => {
  // leave LiveChat unpinned for the specs after this one
  await page.request.put(`${server().origin}/api/v1/settings/versions/livechat`, {
    data: { version: '' },
    headers: { Authorization: `Bearer ${server().token}` },
  });
});

test('a v3.1 delivery shows its API version; pinning v3.5 turns its old field into a worded version flag', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const agent = `gone-${randomBytes(4).toString('hex')}@example.com`;
  const body = JSON.stringify({
    webhook_id: randomBytes(16).toString('hex'),
    secret_key: 'e2e-no-secret',
    action: 'agent_deleted',
    license_id: 104130623,
    payload: { agent_id: agent },
    additional_data: {},
  });
  expect(await send('/livechat', body, json)).toBe(200);

  await page.goto(server().ui);
  const row = page.getByRole('listbox', { name: 'Deliveries' }).getByRole('option').filter({ hasText: agent });
  await row.click();
  const pane = page.getByRole('region', { name: 'Delivery detail' });
  const version = pane.getByRole('region', { name: 'API version and notes' });
  await expect(version.getByTestId('api-version')).toHaveText('3.1–3.3');
  await expect(version.getByRole('list', { name: 'Version evidence' })).toContainText('payload.agent_id present');
  await expect(pane.getByRole('region', { name: 'Flags' })).toHaveCount(0);

  await nav(page, 'Settings');
  const form = page.getByRole('form', { name: 'LiveChat API version' });
  await form.getByRole('combobox', { name: 'LiveChat API version' }).selectOption('3.5');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status')).toContainText('Pinned to 3.5');
  await expect(form.getByTestId('pin-state')).toHaveText('pinned: 3.5');

  await nav(page, 'Inbox');
  await page.getByRole('listbox', { name: 'Deliveries' }).getByRole('option').filter({ hasText: agent }).click();
  // decoding again runs in the background: the flag appears once it has
  await expect(pane.getByRole('region', { name: 'Flags' })).toContainText('payload.agent_id is how v3.1–3.3 name payload.id', { timeout: 15000 });
  expect(errors).toEqual([]);
});
