import { expect, test } from '@playwright/test';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { send, server } from './server';

const artifacts = join(import.meta.dirname, 'artifacts');

/** An iAdvize v2.conversation.pushed body, as iAdvize sends it. */
function pushed(conversationId: string): string {
  return JSON.stringify({
    eventId: randomUUID(),
    eventType: 'v2.conversation.pushed',
    platform: 'sd',
    clientId: 335,
    projectId: 1,
    conversationId,
    operatorId: 4242,
    channel: 'CHAT',
    visitorId: randomUUID(),
    createdAt: '2026-11-23T07:58:35.171Z',
    sentAt: '2026-11-23T07:58:35.496Z',
  });
}

test('an iAdvize delivery signed with the configured secret is verified, a tampered one is not, and fields are explained', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const secret = `iadvize-${randomBytes(6).toString('hex')}`;
  const api = (path: string) => `${server().origin}${path}`;
  const put = await page.request.put(api('/api/v1/settings/secrets/iadvize'), {
    data: { secret },
    headers: { Authorization: `Bearer ${server().token}` },
  });
  expect(put.status()).toBe(204);

  const conv = randomUUID();
  const body = pushed(conv);
  const signature = 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
  expect(await send('/iadvize', body, { 'Content-Type': 'application/json', 'X-iAdvize-Signature': signature })).toBe(200);
  const tampered = body.replace('"operatorId":4242', '"operatorId":4343');
  expect(await send('/iadvize', tampered, { 'Content-Type': 'application/json', 'X-iAdvize-Signature': signature })).toBe(200);

  await page.goto(server().ui);
  const rows = page.getByRole('option').filter({ hasText: conv.slice(0, 8) });
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'operator 4242' }).locator('[data-verification="verified"]')).toBeVisible();
  await expect(rows.filter({ hasText: 'operator 4343' }).locator('[data-verification="mismatch"]')).toBeVisible();

  await rows.filter({ hasText: 'operator 4242' }).click();
  const pane = page.getByRole('region', { name: 'Delivery detail' });
  await expect(pane).toContainText('iAdvize');
  await expect(pane).toContainText('v2.conversation.pushed');
  const tree = pane.getByRole('tree', { name: 'Body fields' });
  const field = tree.getByRole('treeitem', { name: /^operatorId(\s|$)/ });
  await field.getByRole('button', { name: 'operatorId', exact: true }).click();
  const panel = pane.getByRole('complementary', { name: 'Field explanation' });
  const id = await pane.getAttribute('data-delivery-id');
  const detail = (await (await page.request.get(api(`/api/v1/deliveries/${id}`), {
    headers: { Authorization: `Bearer ${server().token}` },
  })).json()) as { fields: { path: string; description: string; known: boolean }[] };
  const note = detail.fields.find((f) => f.path === 'operatorId');
  expect(note?.known).toBe(true);
  await expect(panel).toContainText(note!.description);
  await page.screenshot({ path: join(artifacts, 'iadvize-detail.png') });

  await rows.filter({ hasText: 'operator 4343' }).click();
  await expect(pane.locator('[data-verification="mismatch"]')).toBeVisible();
  await expect(pane).toContainText('signature does not match');
  expect(errors).toEqual([]);
});
