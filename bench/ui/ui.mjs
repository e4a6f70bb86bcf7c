// UI benchmark: Debian's Chromium (never a downloaded browser) driven by playwright-core from
// frontend/node_modules against `hooklens serve` on a seeded store. It measures the time to the
// first inbox rows, frame times while scrolling the inbox and a conversation timeline, and the
// longest main-thread task while deliveries arrive live. Elements are found by role and label; a
// missing screen is reported as "not available", not as a failure.
//
//   node bench/ui/ui.mjs --hooklens build/bin/hooklens --data DIR --out FILE [--loads 5]
//        [--scrolls 3] [--live-rate 500] [--live-seconds 10] [--live-runs 3]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const opt = {
  hooklens: resolve(root, args.hooklens ?? 'build/bin/hooklens'),
  data: args.data,
  out: resolve(root, args.out ?? 'build/bench/parts/ui.json'),
  loads: Number(args.loads ?? 5),
  scrolls: Number(args.scrolls ?? 3),
  liveRate: Number(args['live-rate'] ?? 500),
  liveSeconds: Number(args['live-seconds'] ?? 10),
  liveRuns: Number(args['live-runs'] ?? 3),
  chromium: args.chromium ?? '/usr/bin/chromium',
};
const log = (...m) => console.error('bench: ui:', ...m);
const median = (xs) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs, p) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round((p / 100) * s.length) - 1))];
};
const val = (value, unit, runs, extra = {}) => ({ value, unit, ...(runs ? { runs } : {}), ...extra });
// eslint-disable-next-line no-control-regex
const clean = (m) => String(m).replace(/\u001b\[[0-9;]*m/g, '').split('\n')[0].slice(0, 300);
const missing = (unit, note) => ({ value: null, unit, note: clean(note) });
const withTimeout = (p, ms, what) =>
  Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`${what}: timed out after ${ms} ms`)), ms))]);

/** startServe runs hooklens serve on loopback with fresh ports and returns its URLs. */
function startServe() {
  const token = randomBytes(16).toString('hex');
  const child = spawn(opt.hooklens, ['serve', '--data', opt.data, '--listen', '127.0.0.1:0', '--ui', '127.0.0.1:0', '--token', token], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  return withTimeout(
    new Promise((res, rej) => {
      let out = '';
      const info = { child, token };
      child.stdout.on('data', (d) => {
        out += d;
        const rec = /Receiver: (\S+)/.exec(out);
        const ui = /UI: (http:\/\/[^/\s]+)/.exec(out);
        if (rec && ui) res({ ...info, receiver: rec[1], origin: ui[1] });
      });
      child.on('exit', (code) => rej(new Error(`hooklens serve exited (${code}): ${stderr}`)));
    }),
    60000,
    'hooklens serve start',
  );
}

/** observe installs, before any page script, the observers the measures read. */
function observe() {
  window.__longtasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    window.__longtasks = null;
  }
  window.__firstRows = null;
  const check = () => {
    if (window.__firstRows !== null) return;
    if (document.querySelector('[role="listbox"][aria-label="Deliveries"] [role="option"]')) {
      window.__firstRows = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
}

/** scrollFrames scrolls el by step px per frame for n frames and returns the frame times (ms). */
async function scrollFrames(locator, step, n) {
  return locator.evaluate(
    (el, [step, n]) =>
      new Promise((done) => {
        const times = [];
        let last = performance.now();
        let k = 0;
        const frame = (t) => {
          times.push(t - last);
          last = t;
          el.scrollTop += step;
          if (++k < n) requestAnimationFrame(frame);
          else done(times.slice(2)); // the first frames measure the start, not the scroll
        };
        requestAnimationFrame((t) => {
          last = t;
          requestAnimationFrame(frame);
        });
      }),
    [step, n],
  );
}

/** postLive posts rate deliveries per second for seconds to the receiver with the Go load
 * generator (build/bench/load -paced), or from Node when it is not built; it returns the counts. */
async function postLive(receiver, rate, seconds) {
  const load = join(root, 'build', 'bench', 'load');
  if (existsSync(load)) {
    const child = spawn(load, ['-paced', receiver, '-rate', String(rate), '-duration', `${seconds}s`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await withTimeout(new Promise((res) => child.on('exit', res)), (seconds + 40) * 1000, 'paced load');
    if (code === 0) return JSON.parse(out);
    log(`paced load exited ${code}; posting from Node`);
  }
  return postLiveNode(receiver, rate, seconds);
}

async function postLiveNode(receiver, rate, seconds) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const url = new URL(receiver);
  let sent = 0, ok = 0, failed = 0;
  const one = (i) =>
    new Promise((res) => {
      const body = JSON.stringify({
        webhook_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', secret_key: 's3cr3t-hooklens', action: 'incoming_event',
        organization_id: '390e44e6-f1e6-4c68-a6db-74a14508c2e1',
        payload: { chat_id: `LIVE${String(i % 50).padStart(6, '0')}`, thread_id: 'LIVETHREAD', event: {
          id: `LIVETHREAD_${i}`, type: 'message', text: `Live message ${i}: is my order on its way?`,
          author_id: 'b7eff798-f8df-4364-8059-649c35c9ed0c', created_at: new Date().toISOString(), visibility: 'all' } },
        additional_data: { chat_properties: {}, chat_presence_user_ids: [] },
      });
      const req = http.request({ host: url.hostname, port: url.port, path: '/livechat/webhook', method: 'POST', agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (r) => {
        r.resume();
        r.on('end', () => { if (r.statusCode < 300) ok++; else failed++; res(); });
      });
      req.on('error', () => { failed++; res(); });
      req.end(body);
    });
  const pending = [];
  const start = Date.now();
  const total = rate * seconds;
  while (sent < total && Date.now() - start < (seconds + 5) * 1000) {
    const due = Math.min(total, Math.floor(((Date.now() - start) / 1000) * rate));
    while (sent < due) pending.push(one(sent++));
    await new Promise((r) => setTimeout(r, 5));
  }
  await withTimeout(Promise.all(pending), 30000, 'live posts');
  agent.destroy();
  return { sent, ok, failed, seconds: (Date.now() - start) / 1000 };
}

/** traced runs fn while Chromium records a timeline trace and returns fn's result with where the
 * renderer's main thread spent its time: the top events by total duration (ms), and the JS
 * functions with the most self time, as evidence for a miss. */
async function traced(page, fn) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const done = new Promise((res) => cdp.once('Tracing.tracingComplete', res));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,v8.execute,disabled-by-default-v8.cpu_profiler', transferMode: 'ReportEvents' });
  let result;
  try {
    result = await fn();
  } finally {
    await cdp.send('Tracing.end');
    await withTimeout(done, 30000, 'trace');
    await cdp.detach().catch(() => {});
  }
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const byName = {};
  const fns = {};
  let nodes = {};
  for (const e of events) {
    if (main && e.pid !== main.pid) continue;
    if ((!main || e.tid === main.tid) && e.ph === 'X' && e.dur && !['RunTask', 'ThreadControllerImpl::RunTask'].includes(e.name)) {
      byName[e.name] = (byName[e.name] || 0) + e.dur / 1000;
    }
    if (e.name === 'ProfileChunk' && e.args?.data?.cpuProfile) { // from the profiler's own thread
      const cp = e.args.data.cpuProfile;
      for (const n of cp.nodes || []) nodes[n.id] = n.callFrame;
      const deltas = e.args.data.timeDeltas || [];
      (cp.samples || []).forEach((id, i) => {
        const f = nodes[id];
        if (!f) return;
        const key = `${f.functionName || '(anonymous)'} ${(f.url || '').split('/').pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
        fns[key] = (fns[key] || 0) + (deltas[i] || 0) / 1000;
      });
    }
  }
  const top = (o, n) => Object.entries(o).sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => [k, Math.round(v)]);
  return { result, evidence: { main_thread_ms: top(byName, 8), js_self_ms: top(fns, 8) } };
}

async function main() {
  const part = {};
  const require = createRequire(join(root, 'frontend', 'package.json'));
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    for (const k of ['ui_first_rows_ms', 'ui_scroll_p95_ms', 'ui_timeline_scroll_p95_ms', 'ui_live_longest_task_ms']) {
      part[k] = missing('ms', `not available: playwright-core is not in frontend/node_modules (${e.message})`);
    }
    return part;
  }
  const seed = JSON.parse(readFileSync(join(opt.data, 'seed.json'), 'utf8'));
  const srv = await startServe();
  const browser = await chromium.launch({
    executablePath: opt.chromium,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript(observe);
    const page = await context.newPage();
    await page.goto(`${srv.origin}/?token=${srv.token}`); // sets the cookie
    const rows = page.getByRole('listbox', { name: 'Deliveries' });

    // 1. Time to first rows, over several fresh loads.
    const first = [];
    for (let i = 0; i < opt.loads; i++) {
      await page.goto(`${srv.origin}/`);
      try {
        await withTimeout(page.waitForFunction(() => window.__firstRows !== null, null, { timeout: 20000 }), 21000, 'first rows');
        first.push(await page.evaluate(() => window.__firstRows));
      } catch (e) {
        part.ui_first_rows_ms = missing('ms', `not available: no row appeared in a listbox "Deliveries" (${e.message})`);
        break;
      }
    }
    if (first.length) part.ui_first_rows_ms = val(median(first), 'ms', first);
    log('first rows (ms):', first.map((x) => x.toFixed(0)).join(' '));

    // 2. Inbox scroll: 150 frames of 240 px, several rounds from the top.
    if (first.length) {
      const p95s = [], worst = [];
      let evidenceScroll = null;
      for (let i = 0; i < opt.scrolls; i++) {
        await page.goto(`${srv.origin}/`);
        await page.waitForFunction(() => window.__firstRows !== null, null, { timeout: 20000 });
        await page.waitForTimeout(300);
        const last = i === opt.scrolls - 1;
        const run = () => scrollFrames(rows, 240, 150);
        const traceRun = last ? await traced(page, run) : { result: await run() };
        const t = traceRun.result;
        if (last) evidenceScroll = traceRun.evidence;
        p95s.push(pct(t, 95));
        worst.push(Math.max(...t));
      }
      part.ui_scroll_p95_ms = val(median(p95s), 'ms', p95s, { detail: { max_frame_ms: worst, evidence: evidenceScroll } });
      log('inbox scroll p95 (ms):', p95s.map((x) => x.toFixed(1)).join(' '), 'max', worst.map((x) => x.toFixed(0)).join(' '));
    } else {
      part.ui_scroll_p95_ms = missing('ms', 'not available: the inbox showed no rows');
    }

    // 3. Timeline of the big conversation, when the Conversations screen exists.
    part.ui_timeline_scroll_p95_ms = await timeline(page, srv, seed).catch((e) => missing('ms', `not available: ${e.message}`));
    log('timeline:', JSON.stringify(part.ui_timeline_scroll_p95_ms));

    // 4. Longest main-thread task while deliveries arrive live.
    await page.goto(`${srv.origin}/`);
    if (first.length) await page.waitForFunction(() => window.__firstRows !== null, null, { timeout: 20000 });
    await page.waitForTimeout(1000);
    const supported = await page.evaluate(() => window.__longtasks !== null);
    if (!supported) {
      part.ui_live_longest_task_ms = missing('ms', 'not available: this Chromium does not report longtask entries');
    } else {
      // Each run measures a window that opens once the tracer runs (starting the renderer's CPU
      // profiler is a long task of its own, at the first script after Tracing.start) and closes
      // before the trace is flushed; the figure is the median of the runs' longest tasks.
      const runs = [];
      for (let i = 0; i < opt.liveRuns; i++) {
        const { result, evidence } = await traced(page, async () => {
          await page.evaluate(() => 0);
          await page.waitForTimeout(500);
          const t0 = await page.evaluate(() => performance.now());
          const sent = await postLive(srv.receiver, opt.liveRate, opt.liveSeconds);
          await page.waitForTimeout(1500); // the last live batches render
          return { sent, t0, t1: await page.evaluate(() => performance.now()) };
        });
        const { sent, t0, t1 } = result;
        const tasks = await page.evaluate(([a, b]) => window.__longtasks.filter((t) => t.start >= a && t.start < b), [t0, t1]);
        const longest = tasks.reduce((m, t) => Math.max(m, t.duration), 0);
        runs.push({ longest, sent, tasks: tasks.map((t) => [Math.round(t.start - t0), Math.round(t.duration)]), evidence });
        log(`live ${i + 1}: ${sent.ok}/${sent.sent} delivered at ${(sent.ok / sent.seconds).toFixed(0)}/s; ${tasks.length} long tasks, longest ${longest.toFixed(0)} ms`);
      }
      const worst = runs.reduce((w, r) => (r.longest > w.longest ? r : w), runs[0]);
      part.ui_live_longest_task_ms = val(median(runs.map((r) => r.longest)), 'ms', runs.map((r) => r.longest), {
        note: 'longtask entries are tasks over 50 ms; 0 means none',
        detail: {
          ...worst.sent,
          rate_per_s: worst.sent.ok / worst.sent.seconds,
          // The run with the longest task: [ms after its window opened, duration ms] of each
          // long task, and where the main thread's time went.
          long_tasks: worst.tasks.length,
          tasks: worst.tasks,
          evidence: worst.evidence,
        },
      });
    }
  } finally {
    await browser.close();
    srv.child.kill('SIGTERM');
  }
  return part;
}

/** timeline opens the big conversation's timeline and scrolls it. */
async function timeline(page, srv, seed) {
  await page.goto(`${srv.origin}/`);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await withTimeout(nav.getByRole('button', { name: 'Conversations' }).click(), 10000, 'the Conversations button');
  const conv = seed.ui_conversation || seed.big_conversation;
  const id = conv.id;
  const search = page.getByRole('searchbox').or(page.getByRole('textbox', { name: /search/i })).first();
  if (await search.count()) {
    await search.fill(id);
    await search.press('Enter');
  }
  const item = page.getByRole('option', { name: new RegExp(id) }).or(page.getByRole('row', { name: new RegExp(id) })).or(
    page.getByRole('listitem').filter({ hasText: id })).first();
  await withTimeout(item.waitFor({ state: 'visible', timeout: 15000 }), 16000, `conversation ${id} in the list`);
  await item.click();
  const list = page.getByRole('listbox', { name: /timeline/i }).or(page.getByRole('list', { name: /timeline/i })).or(
    page.getByRole('feed', { name: /timeline/i })).first();
  await withTimeout(list.waitFor({ state: 'visible', timeout: 20000 }), 21000, 'a list named "timeline"');
  await page.waitForTimeout(500);
  const p95s = [], worst = [];
  let evidence = null;
  for (let i = 0; i < opt.scrolls; i++) {
    await list.evaluate((el) => (el.scrollTop = 0));
    await page.waitForTimeout(200);
    const run = () => scrollFrames(list, 240, 150);
    const traceRun = i === opt.scrolls - 1 ? await traced(page, run) : { result: await run() };
    const t = traceRun.result;
    evidence = traceRun.evidence ?? evidence;
    p95s.push(pct(t, 95));
    worst.push(Math.max(...t));
  }
  return val(median(p95s), 'ms', p95s, { detail: { max_frame_ms: worst, events: conv.events, evidence } });
}

const part = await main().catch((e) => {
  log('failed:', e.stack || e.message);
  return { ui_error: missing('', String(e.message)) };
});
mkdirSync(dirname(opt.out), { recursive: true });
writeFileSync(opt.out, JSON.stringify(part, null, 2) + '\n');
process.exit(0);
