import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newChat, sendChat } from './livechat';
import { server } from './server';

// Issue 19 in the app: the Replay dialog's Test mode runs a captured conversation against a
// handler (here one that fails transfers), shows the verdict per delivery beside the handler's
// answer, and exports the run as JUnit. Named ui-* so that it runs after inbox.spec.ts.

function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test.describe.serial('test mode', () => {
  const chat = newChat();
  let target: Server;
  let targetUrl = '';
  const received: string[] = [];

  test.beforeAll(async () => {
    await sendChat(chat);
    target = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(body);
        const transfer = body.includes('"action":"chat_transferred"');
        res.writeHead(transfer ? 500 : 200, { 'Content-Type': 'application/json' });
        res.end(transfer ? '{"error":"transfers are not handled"}' : '{"ok":true}');
      });
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hooks`;
  });

  test.afterAll(async () => {
    await new Promise((r) => target.close(r));
  });

  test('tests a conversation with retries, shows each verdict and exports JUnit', async ({ page }) => {
    const errors = watch(page);
    await page.goto(server().ui);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Conversations' }).click();
    await page.getByRole('listbox', { name: 'Conversations' }).getByRole('option').filter({ hasText: chat.id }).click();
    await page.getByRole('region', { name: 'Conversation' }).getByRole('button', { name: 'Replay…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Replay' });
    await dialog.getByRole('radio', { name: 'Test' }).check();
    await expect(dialog.getByRole('heading', { name: `Test your handler with conversation ${chat.id}` })).toBeVisible();
    await dialog.getByLabel('Target URL').fill(targetUrl);
    await dialog.getByRole('checkbox', { name: /vendor's retries/ }).check();
    await dialog.getByRole('spinbutton', { name: 'Speed factor' }).fill('1000');
    await dialog.getByLabel('Expectations').fill('default:\n  max_latency: 5s\n');

    const axe = await new AxeBuilder({ page }).include('[role="dialog"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    await dialog.getByRole('button', { name: 'Run test' }).click();
    const results = dialog.getByRole('region', { name: 'Test results' });
    await expect(results.getByRole('status').first()).toContainText('Failed — 5 passed, 1 failed of 6', { timeout: 20_000 });
    const failed = results.getByRole('listitem', { name: 'Failed: chat_transferred' });
    await expect(failed).toContainText('500 Internal Server Error');
    await expect(failed).toContainText('transfers are not handled');
    await expect(failed).toContainText('first attempt: status 500, want 2xx');
    await expect(results.getByRole('listitem', { name: /^Passed: / })).toHaveCount(5);
    await expect(results.getByRole('listitem', { name: 'Passed: incoming_chat' })).toContainText('retry 3: 200');
    // The first attempt and LiveChat's three retries of each of the six deliveries.
    expect(received).toHaveLength(24);

    const download = page.waitForEvent('download');
    await results.getByRole('button', { name: 'Export JUnit' }).click();
    const d = await download;
    expect(d.suggestedFilename()).toMatch(/^hooklens-test-.*\.xml$/);
    const xml = readFileSync(await d.path(), 'utf8');
    expect(xml).toContain('<testsuites');
    expect(xml).toMatch(/<testsuite name="livechat\/[^"]+" tests="6" failures="1"/);
    expect(xml).toContain('transfers are not handled');
    await expect(results).toContainText(`Saved ${d.suggestedFilename()}`);
    expect(errors, 'console errors').toEqual([]);
  });
});
