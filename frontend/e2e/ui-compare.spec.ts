import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { newChat, sendChat } from './livechat';
import { send, server } from './server';

// Issue 20 in the browser: two marked deliveries compared field by field with their catalog
// explanations, and a coverage band after a `hooklens serve` was stopped and started again.
const artifacts = join(import.meta.dirname, 'artifacts');

function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** axe finds nothing in what is shown (WCAG 2.1 A and AA), in both themes. */
async function accessible(page: Page, include: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const res = await new AxeBuilder({ page }).include(include).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(res.violations.map((v) => `${scheme}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
}

const hex = (n: number) => randomBytes(n).toString('hex');

/** message is a LiveChat incoming_event of chat, with its own ids, secret and time. */
function message(chat: string, text: string): string {
  return JSON.stringify({
    webhook_id: hex(16),
    secret_key: `secret-${hex(4)}`,
    action: 'incoming_event',
    organization_id: '390e44e6-f1e6-4c6b-9ddb-74a14508c2e1',
    payload: {
      chat_id: chat,
      thread_id: `T${chat}`,
      event: { id: `T${chat}_${hex(2)}`, type: 'message', text, author_id: 'anna@example.com', created_at: new Date().toISOString(), visibility: 'all' },
    },
  });
}

test('two marked deliveries compare field by field, with explanations and volatile fields hidden', async ({ page }) => {
  const errors = watch(page);
  const chat = `CMP${hex(4).toUpperCase()}`;
  for (const text of ['Where is my order?', 'Where is my parcel?']) {
    expect(await send('/livechat', message(chat, text), { 'Content-Type': 'application/json' })).toBe(200);
  }
  await page.goto(server().ui);
  const search = page.getByRole('searchbox', { name: 'Search deliveries' });
  await search.fill(`conv:${chat}`);
  await search.press('Enter');
  const rows = page.getByRole('listbox', { name: 'Deliveries' }).getByRole('option');
  await expect(rows).toHaveCount(2);
  const compareButton = page.getByRole('button', { name: 'Compare', exact: true });
  await rows.nth(0).getByRole('checkbox', { name: 'Mark for export' }).click();
  await expect(compareButton).toBeDisabled();
  await rows.nth(1).getByRole('checkbox', { name: 'Mark for export' }).click();
  await compareButton.click();

  const dialog = page.getByRole('dialog', { name: 'Compare deliveries' });
  await expect(dialog.getByRole('status')).toContainText('1 field differs');
  const body = dialog.getByRole('table', { name: 'Body changes' });
  const text = body.getByRole('rowheader', { name: /payload\.event\.text/ });
  await expect(text).toContainText('The text of a message');
  await expect(body.getByRole('row')).toHaveCount(2); // the head and the text
  await expect(body).toContainText('"Where is my order?"');
  await expect(body).toContainText('"Where is my parcel?"');
  await page.screenshot({ path: join(artifacts, 'compare.png') });
  await accessible(page, '[role="dialog"]');

  await dialog.getByRole('checkbox', { name: /Hide volatile fields/ }).uncheck();
  await expect(body.getByRole('rowheader', { name: /secret_key/ })).toContainText('volatile');
  await expect(dialog.getByRole('status')).not.toContainText('volatile hidden');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  expect(errors, 'console errors').toEqual([]);
});

test('two runs of a conversation compare event by event from the Conversations screen, the lost message shown', async ({ page }) => {
  const errors = watch(page);
  const full = newChat();
  const lossy = newChat();
  await sendChat(full);
  await sendChat(lossy, [4]); // the message after the transfer never arrived
  await page.goto(server().ui);
  await page.getByRole('button', { name: 'Conversations' }).click();
  await page.getByRole('listbox', { name: 'Conversations' }).getByRole('option').filter({ hasText: full.id }).click();
  const pane = page.getByRole('region', { name: 'Conversation' });
  await pane.getByRole('button', { name: 'Compare…' }).click();

  const picker = page.getByRole('dialog', { name: 'Compare with another conversation' });
  await picker.getByRole('searchbox', { name: 'Search conversations' }).fill(lossy.id);
  const choices = picker.getByRole('list', { name: 'Conversations to compare with' }).getByRole('button');
  await expect(choices).toHaveCount(1);
  await expect(choices).toContainText('5 events');
  await accessible(page, '[role="dialog"]');
  await choices.click();
  await expect(picker).toBeHidden();

  const dialog = page.getByRole('dialog', { name: 'Compare conversations' });
  await expect(dialog.getByRole('status')).toContainText('1 only in A (missing from B)');
  const steps = dialog.getByRole('list', { name: 'Aligned events' }).getByRole('listitem');
  await expect(steps).toHaveCount(6);
  await expect(dialog.locator('[data-kind="missing"]')).toHaveCount(1);
  await expect(dialog.locator('[data-kind="missing"]')).toHaveAttribute('data-event-type', 'incoming_event');
  await expect(dialog.locator('[data-kind="inserted"]')).toHaveCount(0);
  await page.screenshot({ path: join(artifacts, 'compare-conversations.png') });
  await accessible(page, '[role="dialog"]');
  await dialog.getByRole('button', { name: 'Close' }).click();
  expect(errors, 'console errors').toEqual([]);
});

/** serve starts `hooklens serve` on data and resolves with its UI URL once it printed it. */
function serve(data: string): Promise<{ child: ChildProcess; ui: string }> {
  const bin = process.env.HOOKLENS_BIN ?? '';
  const token = hex(16);
  const child = spawn(bin, ['serve', '--data', data, '--listen', '127.0.0.1:0', '--ui', '127.0.0.1:0', '--token', token], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('hooklens did not print its UI URL')), 15_000);
    child.once('exit', (code) => reject(new Error(`hooklens exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('UI: ')) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.stdout!.resume();
        resolve({ child, ui: line.slice(4).trim() });
      }
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

test('a stop of the receiver shows as a band saying which vendors lost events', async ({ page }) => {
  const errors = watch(page);
  const data = mkdtempSync(join(tmpdir(), 'hooklens-e2e-coverage-'));
  const first = await serve(data);
  await stop(first.child);
  await new Promise((r) => setTimeout(r, 1500)); // not receiving for 1.5 s
  const second = await serve(data);
  try {
    await page.goto(second.ui);
    const bands = page.getByRole('region', { name: 'Coverage gaps' });
    await expect(bands).toContainText('Not receiving from');
    await expect(bands).toContainText('Hooklens was stopped');
    // LiveChat and iAdvize retry for longer than 1.5 s; Closer documents no retries.
    await expect(bands.locator('[data-vendor="livechat"]')).toContainText('retries covered it');
    await expect(bands.locator('[data-vendor="closer"]')).toContainText('events lost');
    await bands.getByText('Not receiving from').click();
    await expect(bands).toContainText('does not retry');
    await page.screenshot({ path: join(artifacts, 'coverage-band.png') });
    await accessible(page, '[aria-label="Coverage gaps"]');
  } finally {
    await stop(second.child);
  }
  expect(errors, 'console errors').toEqual([]);
});
