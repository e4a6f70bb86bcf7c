import { expect, test, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { send, server } from './server';

// Issue 17's migration help in a real browser against `hooklens serve`: an iAdvize closing in
// the 2019 shape (operators in an array named operatorId) and a survey answer of the old
// satisfaction.filled event are captured, then Settings → "Moving to another version" compares
// April 2019 with December 2022 and counts them on the real store. Named ui-* so that it runs
// after inbox.spec.ts, whose first test needs an empty store.

function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

test('Settings compares two iAdvize versions and counts the captured events each change concerns', async ({ page }) => {
  const errors = watch(page);
  const now = new Date().toISOString();
  const closed2019 = {
    eventId: randomUUID(),
    eventType: 'v2.conversation.closed',
    platform: 'ha',
    projectId: 1549,
    clientId: 335,
    conversationId: randomUUID(),
    operatorId: [15253, 15254],
    visitorExternalId: '63429889',
    channel: 'CHAT',
    createdAt: now,
    sentAt: now,
  };
  const filled = {
    eventId: randomUUID(),
    eventType: 'satisfaction.filled',
    platform: 'sd',
    websiteId: 1,
    clientId: 1,
    conversationId: 1,
    operatorId: 2,
    visitorId: '593de0891b628a50b09835dc6c0e92565329c74baa90e',
    score: 3,
    createdAt: now,
    sentAt: now,
  };
  for (const body of [closed2019, filled]) {
    expect(await send('/iadvize', JSON.stringify(body), { 'Content-Type': 'application/json' })).toBe(200);
  }

  await page.goto(server().ui);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Moving to another version' });
  await expect(section).toBeVisible();
  const form = section.getByRole('form', { name: 'Version changes' });
  await form.getByLabel('Vendor').selectOption({ label: 'iAdvize' });
  await expect(form.getByLabel('From', { exact: true })).toHaveValue('2017-07');
  await form.getByLabel('From', { exact: true }).selectOption('2019-04');
  await form.getByLabel('To', { exact: true }).selectOption('2022-12');
  await form.getByRole('button', { name: 'Compare' }).click();

  const table = form.getByRole('table', { name: 'Changes from 2019-04 to 2022-12' });
  await expect(table).toBeVisible();
  const row = (name: string) => table.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
  // The decoder works in the background: the counts come once both deliveries are decoded.
  await expect(async () => {
    await form.getByRole('button', { name: 'Compare' }).click();
    await expect(row('v2.conversation.closed · operatorId → operatorIds').getByRole('cell').last()).toHaveText('1', { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(row('satisfaction.filled → satisfaction.answered').getByRole('cell').first()).toHaveText('renamed');
  await expect(row('satisfaction.filled → satisfaction.answered').getByRole('cell').last()).not.toHaveText('0');
  await expect(row('user.availability.updated').getByRole('cell').first()).toHaveText('added');
  await expect(form.getByRole('status')).toContainText('concern captured events');

  // A version compared with itself changes nothing.
  await form.getByLabel('To', { exact: true }).selectOption('2019-04');
  await form.getByRole('button', { name: 'Compare' }).click();
  await expect(form.getByRole('status')).toHaveText('Nothing changes for webhooks between 2019-04 and 2019-04.');
  await expect(table).toHaveCount(0);
  expect(errors, 'page errors').toEqual([]);
});
