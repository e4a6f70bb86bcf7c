import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({ startReplay: vi.fn(), getReplayRun: vi.fn(), cancelReplay: vi.fn(), listReplays: vi.fn() }));
vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), ...api }));

import { replay } from '../stores/replay.svelte';
import ReplayDialog from './ReplayDialog.svelte';
import TargetResponses from './TargetResponses.svelte';

const answer = { status: 202, status_text: 'Accepted', duration_ms: 12.5, excerpt: 'ok', truncated: false, error: '' };
const result = (id: string) => ({ delivery_id: id, method: 'POST', event_type: 'incoming_chat', url: 'http://t/livechat', started_at: '2026-11-23T07:00:00Z', skipped: '', answer });
const run = (done: boolean, results: ReturnType<typeof result>[]) => ({
  id: 'run-1',
  started_at: '2026-11-23T07:00:00Z',
  done,
  sent: results.length,
  error: '',
  canceled: false,
  to: 'http://localhost:3000/hooks',
  pace: 'original',
  speed: 2,
  results,
});

describe('replay', () => {
  beforeEach(() => {
    for (const f of Object.values(api)) f.mockReset();
    replay.run = null;
    replay.target = '';
    replay.pace = 'fast';
    replay.speed = 1;
  });

  it('replays a conversation to a target with pace and speed, and shows every answer', async () => {
    api.startReplay.mockResolvedValue(run(false, [result('a')]));
    api.getReplayRun.mockResolvedValue(run(true, [result('a'), result('b')]));
    render(ReplayDialog, { what: 'conversation C1', selection: { conversation: 'livechat/C1' }, onClose: vi.fn() });
    expect(screen.getByRole('spinbutton', { name: 'Speed factor' })).toBeDisabled();
    await userEvent.type(screen.getByLabelText('Target URL'), 'http://localhost:3000/hooks');
    await userEvent.click(screen.getByRole('radio', { name: 'Original intervals' }));
    await userEvent.clear(screen.getByRole('spinbutton', { name: 'Speed factor' }));
    await userEvent.type(screen.getByRole('spinbutton', { name: 'Speed factor' }), '2');
    await userEvent.click(screen.getByRole('button', { name: 'Replay' }));
    expect(api.startReplay).toHaveBeenCalledWith({ conversation: 'livechat/C1', to: 'http://localhost:3000/hooks', pace: 'original', speed: 2 });
    expect(await screen.findByText(/Done — 2 sent/, {}, { timeout: 3000 })).toBeInTheDocument();
    expect(screen.getAllByText('202 Accepted')).toHaveLength(2);
  });

  it('shows the recorded target responses of a delivery', async () => {
    api.listReplays.mockResolvedValue([{ id: 1, kind: 'forward', run: '', target: 'http://svc/hooks', started_at: '2026-11-23T07:00:00Z', answer: { ...answer, status: 500, status_text: 'Internal Server Error', excerpt: 'boom' } }]);
    render(TargetResponses, { deliveryId: 'd1' });
    const section = await screen.findByRole('region', { name: 'Target responses' });
    expect(section).toHaveTextContent('forward');
    expect(section).toHaveTextContent('500 Internal Server Error');
    expect(section).toHaveTextContent('boom');
    expect(api.listReplays).toHaveBeenCalledWith('d1');
  });
});
