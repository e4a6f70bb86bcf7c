import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({ startTest: vi.fn(), getTestRun: vi.fn(), cancelTest: vi.fn(), getTestJUnit: vi.fn() }));
vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), ...api }));

import { replay } from '../stores/replay.svelte';
import { parseMap, tester } from '../stores/tester.svelte';
import ReplayDialog from './ReplayDialog.svelte';

const answer = (status: number, excerpt: string) => ({ status, status_text: status === 200 ? 'OK' : 'Internal Server Error', duration_ms: 3.2, excerpt, truncated: false, error: '' });
const result = (i: number, type: string, passed: boolean) => ({
  index: i,
  delivery_id: `d${i}`,
  vendor: 'livechat',
  event_type: type,
  conversation: 'livechat/C1',
  url: 'http://t/livechat',
  signing: 'signed secret_key',
  passed,
  failures: passed ? [] : ['first attempt: status 500, want 2xx (answer: boom)'],
  attempts: [
    { kind: 'first', n: 0, started_at: '2026-12-08T00:00:00Z', answer: passed ? answer(200, '{"ok":true}') : answer(500, 'boom'), failures: [] },
    { kind: 'retry', n: 1, started_at: '2026-12-08T00:00:01Z', answer: passed ? answer(200, '{"ok":true}') : answer(500, 'boom'), failures: [] },
  ],
});
const run = (done: boolean, results: ReturnType<typeof result>[]) => ({
  id: 'test-1',
  started_at: '2026-12-08T00:00:00Z',
  done,
  canceled: false,
  error: '',
  to: 'http://localhost:3000/hooks',
  signing: 'signed',
  order: 'timeline',
  seed: 42,
  total: 2,
  sent: results.length * 2,
  passed: results.filter((r) => r.passed).length,
  failed: results.filter((r) => !r.passed).length,
  warnings: [],
  results,
});

describe('test mode', () => {
  beforeEach(() => {
    for (const f of Object.values(api)) f.mockReset();
    replay.target = '';
    replay.pace = 'fast';
    replay.speed = 1;
    tester.run = null;
    Object.assign(tester, { signing: 'signed', retries: false, sets: '', idMap: '', expect: '', seed: 0, shuffle: 0, duplicateRate: 0 });
  });

  it('tests a conversation with the options and shows the verdict beside each answer, then exports JUnit', async () => {
    api.startTest.mockResolvedValue(run(false, [result(0, 'incoming_chat', true)]));
    api.getTestRun.mockResolvedValue(run(true, [result(1, 'incoming_event', false), result(0, 'incoming_chat', true)]));
    api.getTestJUnit.mockResolvedValue({ xml: '<testsuites/>', filename: 'hooklens-test-1.xml' });
    render(ReplayDialog, { what: 'conversation C1', selection: { conversation: 'livechat/C1' }, onClose: vi.fn() });
    await userEvent.click(screen.getByRole('radio', { name: 'Test' }));
    expect(screen.getByRole('heading', { name: /Test your handler with conversation C1/ })).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Target URL'), 'http://localhost:3000/hooks');
    await userEvent.selectOptions(screen.getByLabelText('Signatures'), 'unsigned');
    await userEvent.click(screen.getByRole('checkbox', { name: /vendor's retries/ }));
    expect(screen.getByRole('spinbutton', { name: 'Speed factor' })).toBeEnabled();
    await userEvent.clear(screen.getByRole('spinbutton', { name: 'Speed factor' }));
    await userEvent.type(screen.getByRole('spinbutton', { name: 'Speed factor' }), '100');
    await userEvent.type(screen.getByLabelText('Set in bodies'), 'payload.chat.id=TEST-1');
    await userEvent.type(screen.getByLabelText('Id map'), 'C1=CHAT-{{run}');
    await userEvent.click(screen.getByRole('button', { name: 'Run test' }));
    expect(api.startTest).toHaveBeenCalledWith(
      expect.objectContaining({
        conversation: 'livechat/C1',
        to: 'http://localhost:3000/hooks',
        signing: 'unsigned',
        retries: true,
        speed: 100,
        set: ['payload.chat.id=TEST-1'],
        map: { C1: 'CHAT-{run}' },
        order: 'timeline',
      }),
    );
    const results = await screen.findByRole('region', { name: 'Test results' }, { timeout: 3000 });
    expect(await within(results).findByText(/Failed/, {}, { timeout: 3000 })).toBeInTheDocument();
    const items = within(results).getAllByRole('listitem', { name: /^(Passed|Failed):/ });
    expect(items.map((li) => li.getAttribute('aria-label'))).toEqual(['Passed: incoming_chat', 'Failed: incoming_event']);
    expect(items[1]).toHaveTextContent('500 Internal Server Error');
    expect(items[1]).toHaveTextContent('status 500, want 2xx');
    expect(items[1]).toHaveTextContent('retry 1: 500');
    expect(within(results).getByRole('status')).toHaveTextContent('1 passed, 1 failed of 2');
    await userEvent.click(within(results).getByRole('button', { name: 'Export JUnit' }));
    expect(api.getTestJUnit).toHaveBeenCalledWith('test-1');
    expect(await within(results).findByText('Saved hooklens-test-1.xml')).toBeInTheDocument();
  });

  it('says which line of the id map is wrong and sends nothing', async () => {
    render(ReplayDialog, { what: 'this delivery', selection: { ids: ['d1'] }, onClose: vi.fn() });
    await userEvent.click(screen.getByRole('radio', { name: 'Test' }));
    await userEvent.type(screen.getByLabelText('Target URL'), 'http://localhost:3000');
    await userEvent.type(screen.getByLabelText('Id map'), 'A=B{enter}nonsense');
    await userEvent.click(screen.getByRole('button', { name: 'Run test' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Id map line 2: want OLD=NEW');
    expect(api.startTest).not.toHaveBeenCalled();
  });

  it('reads id maps', () => {
    expect(parseMap('A=B\n\n c : d{run} \n')).toEqual({ A: 'B', c: 'd{run}' });
  });
});
