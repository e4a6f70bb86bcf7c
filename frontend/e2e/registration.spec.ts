import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

// Issue 6, done: from launch to a registered LiveChat webhook without leaving the app. A fake
// LiveChat Configuration API runs in this process; a hooklens serve of its own is pointed at it
// with --livechat-api.

const ACCOUNT = 'e2e-account-1';
const TOKEN = `pat-${randomBytes(8).toString('hex')}`;
const CLIENT = 'e2e-client-1';
const SECRET = `lc-secret-${randomBytes(4).toString('hex')}`;

interface Call {
  action: string;
  auth: string;
  body: Record<string, string>;
}

interface Hook {
  id: string;
  action: string;
  secret_key: string;
  url: string;
  type: string;
  description: string;
  owner_client_id: string;
}

/** fakeLiveChat answers list/register/unregister/enable like LiveChat; thread_tagged is refused. */
function fakeLiveChat(calls: Call[], hooks: Hook[]): Server {
  let next = 0;
  return createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const action = (req.url ?? '').replace(/^\/v3\.6\/configuration\/action\//, '');
      let body: Record<string, string> = {};
      try {
        body = JSON.parse(raw) as Record<string, string>;
      } catch {
        // recorded as empty; the test fails on it
      }
      calls.push({ action, auth: req.headers.authorization ?? '', body });
      const answer = (status: number, v: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(v));
      };
      const basic = 'Basic ' + Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64');
      if (req.method !== 'POST' || req.headers.authorization !== basic) {
        answer(401, { error: { type: 'authentication', message: 'Invalid access token' } });
        return;
      }
      switch (action) {
        case 'list_webhooks':
          answer(200, hooks);
          return;
        case 'register_webhook':
          if (body.action === 'thread_tagged') {
            answer(422, { error: { type: 'validation', message: 'thread_tagged is not enabled for this app' } });
            return;
          }
          hooks.push({ ...(body as unknown as Hook), id: `wh-${++next}` });
          answer(200, { id: `wh-${next}` });
          return;
        case 'unregister_webhook': {
          const i = hooks.findIndex((h) => h.id === body.id);
          if (i >= 0) hooks.splice(i, 1);
          answer(i >= 0 ? 200 : 404, i >= 0 ? {} : { error: { type: 'not_found', message: 'no such webhook' } });
          return;
        }
        case 'enable_license_webhooks':
          answer(200, {});
          return;
        default:
          answer(404, { error: { type: 'not_found', message: `no action ${action}` } });
      }
    });
  });
}

interface Serve {
  child: ChildProcess;
  dataDir: string;
  receiver: string;
  ui: string;
  origin: string;
  token: string;
}

/** serve starts `$HOOKLENS_BIN serve` with extra flags and waits for its URLs. */
async function serve(extra: string[]): Promise<Serve> {
  const bin = process.env.HOOKLENS_BIN;
  if (!bin) throw new Error('HOOKLENS_BIN is not set');
  const dataDir = mkdtempSync(join(tmpdir(), 'hooklens-e2e-reg-'));
  const token = randomBytes(16).toString('hex');
  const child = spawn(bin, ['serve', '--data', dataDir, '--listen', '127.0.0.1:0', '--ui', '127.0.0.1:0', '--token', token, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (b: Buffer) => stderr.push(b.toString()));
  return new Promise<Serve>((resolve, reject) => {
    let receiver = '';
    let ui = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hooklens did not print its URLs within 15 s\n${stderr.join('')}`));
    }, 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hooklens exited early with code ${code}\n${stderr.join('')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('Receiver: ')) receiver = line.slice('Receiver: '.length).trim().replace(/\/+$/, '');
      if (line.startsWith('UI: ')) ui = line.slice('UI: '.length).trim();
      if (receiver && ui) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child, dataDir, receiver, ui, origin: new URL(ui).origin, token });
      }
    });
  });
}

test.describe.serial('in-app LiveChat registration', () => {
  const calls: Call[] = [];
  const hooks: Hook[] = [];
  let lc: Server;
  let hl: Serve;

  test.beforeAll(async () => {
    lc = fakeLiveChat(calls, hooks);
    await new Promise<void>((r) => lc.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(lc.address() as AddressInfo).port}/v3.6/configuration/action/`;
    hl = await serve(['--livechat-api', base]);
    // An earlier Hooklens registration with an old quick-tunnel URL, and someone else's webhook.
    hooks.push(
      { id: 'stale-1', action: 'incoming_chat', secret_key: SECRET, url: 'https://old-quick.trycloudflare.com/livechat', type: 'license', description: 'Hooklens', owner_client_id: CLIENT },
      { id: 'crm-1', action: 'incoming_chat', secret_key: 'x', url: 'https://crm.example.com/hook', type: 'license', description: 'CRM', owner_client_id: CLIENT },
    );
  });

  test.afterAll(async () => {
    if (hl) {
      const gone = new Promise((r) => hl.child.once('exit', r));
      hl.child.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
      if (hl.child.exitCode === null) hl.child.kill('SIGKILL');
      rmSync(hl.dataDir, { recursive: true, force: true });
    }
    await new Promise((r) => lc?.close(r));
  });

  test('launch → Tunnel → manual URL → secret → Register: webhooks registered, registration done', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(hl.ui);
    await page.getByRole('button', { name: 'Tunnel' }).click();
    await page.getByRole('textbox', { name: 'Another tunnel' }).fill(hl.receiver);
    await page.getByRole('button', { name: 'Use this URL' }).click();
    await expect(page.getByTestId('register-url')).toHaveText(`${hl.receiver}/livechat`);

    // No secret yet: the form asks for one, in place.
    const form = page.getByRole('form', { name: 'Register with LiveChat from Hooklens' });
    await expect(form).toContainText('Set a LiveChat secret first');
    const secretForm = form.getByRole('form', { name: 'LiveChat secret' });
    await secretForm.locator('input[type=password]').fill(SECRET);
    await secretForm.getByRole('button', { name: 'Save' }).click();
    await expect(form).not.toContainText('Set a LiveChat secret first');
    await expect(page.getByLabel('LiveChat step 2', { exact: true })).toContainText(`"secret_key":"${SECRET}"`);

    // Choose the actions: the defaults minus incoming_event, plus thread_tagged (LiveChat refuses it).
    await page.getByText(/^Actions:/).click();
    await page.getByRole('checkbox', { name: 'incoming_event', exact: true }).uncheck();
    await page.getByRole('checkbox', { name: 'thread_tagged', exact: true }).check();
    await expect(page.getByLabel('LiveChat step 2', { exact: true })).toContainText('"action":"thread_tagged"');

    await form.getByLabel('Account ID').fill(ACCOUNT);
    await form.getByLabel('Personal access token').fill('wrong-token');
    await form.getByLabel('Client ID').fill(CLIENT);
    await form.getByRole('button', { name: 'Register with LiveChat' }).click();
    await expect(form.getByRole('alert')).toContainText('401 authentication: Invalid access token');
    expect(calls.map((c) => c.action)).toEqual(['list_webhooks']);

    // The right token: one action refused, the others registered, nothing marked.
    await form.getByLabel('Personal access token').fill(TOKEN);
    await form.getByRole('button', { name: 'Register with LiveChat' }).click();
    let result = form.getByRole('status', { name: 'LiveChat registration result' });
    await expect(result).toContainText('1 step failed');
    await expect(result).toContainText('thread_tagged failed: LiveChat register_webhook answered 422 validation: thread_tagged is not enabled for this app');
    await expect(result).toContainText('removed incoming_chat an old Hooklens webhook to https://old-quick.trycloudflare.com/livechat (webhook stale-1)');
    await expect(page.getByRole('button', { name: 'Mark as registered' })).toBeVisible();

    // Back to the defaults: kept ones are kept, the rest registered, the registration done.
    await page.getByRole('button', { name: 'Back to the defaults' }).click();
    await expect(page.getByLabel('LiveChat step 2', { exact: true })).toContainText('"action":"incoming_event"');
    await form.getByLabel('Personal access token').fill(TOKEN);
    const before = calls.length;
    await form.getByRole('button', { name: 'Register with LiveChat' }).click();
    result = form.getByRole('status', { name: 'LiveChat registration result' });
    await expect(result).toContainText('Registered');
    await expect(result).toContainText('LiveChat sends incoming_chat, incoming_event');
    await expect(result).toContainText(`to ${hl.receiver}/livechat`);
    await expect(result.getByRole('listitem').filter({ hasText: 'kept' })).toHaveCount(7); // the first run's 7 (defaults minus incoming_event)
    await expect(result.getByRole('listitem').filter({ hasText: /^\s*registered\s+incoming_event/ })).toHaveCount(1);
    await expect(result).toContainText('License webhooks enabled');
    await expect(page.getByRole('region', { name: 'Register with LiveChat' })).toContainText('current');
    await expect(page.getByRole('button', { name: 'Forget registration' })).toBeVisible();
    await expect(form.getByLabel('Personal access token')).toHaveValue('');

    // What LiveChat received.
    const basic = 'Basic ' + Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64');
    const second = calls.slice(before);
    expect(second.map((c) => c.action)).toEqual(['list_webhooks', 'register_webhook', 'enable_license_webhooks']);
    for (const c of second) {
      expect(c.auth).toBe(basic);
      expect(c.body.owner_client_id).toBe(CLIENT);
    }
    expect(second[1].body).toEqual({
      action: 'incoming_event',
      secret_key: SECRET,
      url: `${hl.receiver}/livechat`,
      owner_client_id: CLIENT,
      type: 'license',
      description: 'Hooklens',
    });
    const ours = hooks.filter((h) => h.description === 'Hooklens');
    expect(ours.map((h) => h.action).sort()).toEqual(
      ['chat_deactivated', 'chat_transferred', 'event_updated', 'incoming_chat', 'incoming_event', 'routing_status_set', 'user_added_to_chat', 'user_removed_from_chat'],
    );
    for (const h of ours) {
      expect(h.url.endsWith('/livechat')).toBe(true);
      expect(h.url).toBe(`${hl.receiver}/livechat`);
      expect(h.secret_key).toBe(SECRET);
    }
    expect(hooks.some((h) => h.id === 'stale-1')).toBe(false);
    expect(hooks.some((h) => h.id === 'crm-1')).toBe(true);

    // The tunnel status says registered and current; the token is nowhere in the API.
    const auth = { Authorization: `Bearer ${hl.token}` };
    const st = await (await page.request.get(`${hl.origin}/api/v1/tunnel`, { headers: auth })).json();
    expect(st.registered.livechat).toMatchObject({ url: `${hl.receiver}/livechat`, current: true });
    for (const p of ['/api/v1/tunnel', '/api/v1/settings', '/api/v1/registration/livechat']) {
      expect(await (await page.request.get(hl.origin + p, { headers: auth })).text()).not.toContain(TOKEN);
    }
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(TOKEN);

    // Next time the form is prefilled with the IDs, not the token.
    await page.reload();
    await page.getByRole('button', { name: 'Tunnel' }).click();
    await expect(form.getByLabel('Account ID')).toHaveValue(ACCOUNT);
    await expect(form.getByLabel('Client ID')).toHaveValue(CLIENT);
    await expect(form.getByLabel('Personal access token')).toHaveValue('');
    expect(errors).toEqual([]);
  });
});
