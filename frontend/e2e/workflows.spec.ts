import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newChat, sendChat } from './livechat';
import { send, server } from './server';
import { readZip } from './zip';

// Issue 5 and 6 flows from the browser: export (download), import, replay, tunnel, settings.

function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function openConversation(page: Page, id: string) {
  await page.getByRole('button', { name: 'Conversations' }).click();
  await page.getByRole('listbox', { name: 'Conversations' }).getByRole('option').filter({ hasText: id }).click();
  await expect(page.getByRole('heading', { name: `Conversation ${id}` })).toBeVisible();
}

/** exportFile runs the Export dialog and returns the downloaded file. */
async function exportFile(page: Page, format: RegExp, options: { scrub?: boolean; scope?: RegExp } = {}): Promise<{ name: string; data: Buffer }> {
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await expect(dialog).toBeVisible();
  if (options.scope) await dialog.getByRole('radio', { name: options.scope }).check();
  await dialog.getByRole('radio', { name: format }).check();
  if (options.scrub) await dialog.getByRole('checkbox', { name: /Scrub personal data/ }).check();
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const d = await download;
  await expect(dialog.getByRole('status')).toContainText('Saved');
  const path = await d.path();
  return { name: d.suggestedFilename(), data: readFileSync(path) };
}

test.describe.serial('fixtures, tunnel and settings', () => {
  const chat = newChat();
  let errors: string[] = [];
  let target: Server;
  let targetUrl = '';
  const received: { method: string; url: string; body: string }[] = [];

  test.beforeAll(async () => {
    await sendChat(chat);
    target = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', body });
        res.writeHead(202, { 'Content-Type': 'text/plain' });
        res.end('accepted by the e2e target');
      });
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hooks`;
  });

  test.afterAll(async () => {
    await new Promise((r) => target.close(r));
  });

  test.beforeEach(async ({ page }) => {
    errors = watch(page);
    await page.goto(server().ui);
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  });

  test.afterEach(() => {
    expect(errors, 'console errors').toEqual([]);
  });

  test('exports a conversation from the browser as NDJSON and as a scrubbed fixture zip', async ({ page }) => {
    await openConversation(page, chat.id);
    await page.getByRole('region', { name: 'Conversation' }).getByRole('button', { name: 'Export…' }).click();
    await expect(page.getByRole('dialog', { name: 'Export' })).toContainText('6 deliveries');
    const nd = await exportFile(page, /NDJSON/);
    expect(nd.name).toMatch(/^hooklens-.*\.ndjson$/);
    const lines = nd.data.toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { event_type?: string; conversation?: { id: string } });
    expect(lines).toHaveLength(6);
    expect(lines.map((l) => l.event_type)).toEqual(chat.events);
    expect(lines.every((l) => l.conversation?.id === chat.id)).toBe(true);

    const zip = await exportFile(page, /Fixture folder/, { scrub: true });
    expect(zip.name).toMatch(/\.zip$/);
    const entries = readZip(zip.data);
    const manifest = JSON.parse(entries.find((e) => e.name.endsWith('manifest.json'))!.read().toString('utf8')) as {
      deliveries: unknown[];
      scrubbed: boolean;
    };
    expect(manifest.deliveries).toHaveLength(6);
    expect(manifest.scrubbed).toBe(true);
    expect(entries.filter((e) => /_livechat_/.test(e.name))).toHaveLength(6);
    await page.getByRole('dialog', { name: 'Export' }).getByRole('button', { name: 'Close' }).click();
  });

  test('exports the current inbox search, and imports it back', async ({ page }) => {
    const search = page.getByRole('searchbox', { name: 'Search deliveries' });
    await search.fill(`conv:${chat.id}`);
    await search.press('Enter');
    await expect(page.getByRole('listbox', { name: 'Deliveries' }).getByRole('option')).toHaveCount(6);
    await page.getByRole('button', { name: 'Export…' }).click();
    const nd = await exportFile(page, /NDJSON/, { scope: /The current search/ });
    expect(nd.data.toString('utf8').trim().split('\n')).toHaveLength(6);
    await page.getByRole('dialog', { name: 'Export' }).getByRole('button', { name: 'Close' }).click();

    await page.getByLabel('Import files').setInputFiles({ name: 'back.ndjson', mimeType: 'application/x-ndjson', buffer: nd.data });
    await expect(page.getByRole('status', { name: 'Import' })).toContainText('Imported 0 deliveries, 6 already there.');
  });

  test('replays a delivery to a target and shows the recorded answer next to it', async ({ page }) => {
    await openConversation(page, chat.id);
    await page.getByRole('listbox', { name: 'Conversation timeline' }).getByRole('option').first().click();
    const detail = page.getByRole('region', { name: 'Delivery detail' });
    await detail.getByRole('button', { name: 'Replay…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Replay' });
    await dialog.getByLabel('Target URL').fill(targetUrl);
    await dialog.getByRole('button', { name: 'Replay', exact: true }).click();
    await expect(dialog.getByRole('status')).toContainText('Done — 1 sent');
    await expect(dialog).toContainText('202 Accepted');
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(received.at(-1)?.method).toBe('POST');
    expect(received.at(-1)?.url).toBe('/hooks/livechat');
    expect(received.at(-1)?.body).toContain(chat.id);
    const answers = detail.getByRole('region', { name: 'Target responses' });
    await expect(answers).toContainText('replay');
    await expect(answers).toContainText('accepted by the e2e target');
  });

  test('a manual tunnel URL is checked, and the registration guide uses it', async ({ page }) => {
    const { receiver } = server();
    await page.getByRole('button', { name: 'Tunnel' }).click();
    await page.getByRole('textbox', { name: 'Another tunnel' }).fill(receiver);
    await page.getByRole('button', { name: 'Use this URL' }).click();
    const card = page.getByRole('region', { name: 'Public URL' });
    await expect(card.getByTestId('public-url')).toHaveText(receiver);
    await card.getByRole('button', { name: 'Check' }).click();
    await expect(card.locator('[data-health]')).toHaveAttribute('data-health', 'reachable');
    await expect(page.getByTestId('register-url')).toHaveText(`${receiver}/livechat`);
    await page.getByRole('button', { name: 'Mark as registered' }).click();
    await expect(page.getByRole('region', { name: 'Register with LiveChat' })).toContainText('current');
    await page.getByRole('tab', { name: 'iAdvize' }).click();
    await expect(page.getByTestId('register-url')).toHaveText(`${receiver}/iadvize`);
    await page.getByRole('button', { name: 'Forget this tunnel' }).click();
    await expect(card).toContainText('No tunnel yet');
  });

  test('settings: a custom response is answered by the receiver, the theme is kept by the server', async ({ page, browser }) => {
    const prefix = `/e2e-custom-${chat.thread.toLowerCase()}`;
    await page.getByRole('button', { name: 'Settings' }).click();
    const responses = page.getByRole('form', { name: 'Custom responses' });
    await responses.getByRole('button', { name: 'Add a response' }).click();
    const last = await responses.getByRole('textbox', { name: /^Path prefix/ }).count();
    await responses.getByLabel(`Path prefix ${last}`).fill(prefix);
    await responses.getByLabel(`Status ${last}`).fill('503');
    await responses.getByRole('button', { name: 'Save' }).click();
    await expect(responses.getByRole('status')).toHaveText('Responses saved');
    expect(await send(`${prefix}/x`, '{}', { 'Content-Type': 'application/json' })).toBe(503);

    await page.getByRole('radio', { name: 'Dark' }).check();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    // A fresh browser context has no local storage: the theme comes from the settings API.
    const other = await browser.newPage();
    await other.goto(server().ui);
    await expect(other.locator('html')).toHaveAttribute('data-theme', 'dark');
    await other.close();
    await page.getByRole('radio', { name: 'System' }).check();
    await expect(page.getByRole('status').filter({ hasText: 'Theme saved' })).toBeVisible();
  });
});
