import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { detail } from '../stores/detail.svelte';
import { detailOf, item } from '../testing/fixtures';
import type { FieldNote } from '../types/api';
import BodyView from './BodyView.svelte';

const note = (path: string, extra: Partial<FieldNote> = {}): FieldNote => ({
  path,
  pattern: path.replace(/\[\d+\]/g, '[]'),
  type: 'string',
  description: '',
  enum: [],
  since: '',
  deprecated: '',
  known: true,
  flags: [],
  ...extra,
});

const body = '{"action":"incoming_event","payload":{"chat_id":"PJ0MRSHTDG","users":[{"id":"smith@example.com"}]},"mystery":12345678901234567890}';
const fields: FieldNote[] = [
  note('action', { description: 'Which webhook this is', enum: ['incoming_event', 'incoming_chat'] }),
  note('payload', { type: 'object', description: 'The action data' }),
  note('payload.chat_id', { description: 'The chat the event belongs to' }),
  note('payload.users', { type: 'array', description: 'People in the chat' }),
  note('payload.users[0]', { type: 'object', description: 'One person' }),
  note('payload.users[0].id', { description: 'Agent email or customer id', flags: [{ path: 'payload.users[0].id', code: 'wrong_type', reason: 'expected a number' }] }),
  note('mystery', { known: false, type: 'number' }),
];

describe('BodyView JSON tree', () => {
  afterEach(() => detail.close());

  it('shows a field explanation on hover and in the panel when selected', async () => {
    detail.id = 'b1';
    render(BodyView, { props: { delivery: detailOf(item('b1', 1), { body, fields }) } });
    const tree = screen.getByRole('tree', { name: 'Body fields' });
    const chat = within(tree).getByRole('treeitem', { name: /^chat_id(\s|$)/ });
    expect(chat.querySelector('[title]')?.getAttribute('title')).toContain('The chat the event belongs to');

    await userEvent.click(within(chat).getByRole('button', { name: 'chat_id' }));
    const panel = screen.getByRole('complementary', { name: 'Field explanation' });
    expect(within(panel).getByText('payload.chat_id')).toBeInTheDocument();
    expect(within(panel).getByText('The chat the event belongs to')).toBeInTheDocument();
    expect(chat).toHaveAttribute('aria-selected', 'true');
  });

  it('marks unknown fields, shows flags inline and keeps big numbers exact', async () => {
    render(BodyView, { props: { delivery: detailOf(item('b2', 2), { body, fields }) } });
    const mystery = screen.getByRole('treeitem', { name: /^mystery(\s|$)/ });
    expect(within(mystery).getByText('unknown')).toBeInTheDocument();
    expect(within(mystery).getByText('12345678901234567890')).toBeInTheDocument();
    const id = screen.getByRole('treeitem', { name: /^id(\s|$)/ });
    expect(within(id).getByText('⚑ wrong_type')).toBeInTheDocument();

    await userEvent.click(within(screen.getByRole('treeitem', { name: /^action(\s|$)/ })).getByRole('button', { name: 'action' }));
    const panel = screen.getByRole('complementary', { name: 'Field explanation' });
    expect(within(panel).getByText('incoming_event, incoming_chat')).toBeInTheDocument();
  });

  it('shows the decompressed body of a gzip delivery', () => {
    render(BodyView, {
      props: { delivery: detailOf(item('b3', 3), { body_base64: 'H4sI', body_decoded: '{"hello":"world"}' }) },
    });
    expect(screen.getByRole('treeitem', { name: /^hello(\s|$)/ })).toBeInTheDocument();
    expect(screen.getByText(/Compressed body/)).toBeInTheDocument();
  });

  it('reads form-encoded bodies as fields', () => {
    render(BodyView, {
      props: {
        delivery: detailOf(item('b4', 4, { content_type: 'application/x-www-form-urlencoded' }), { body: 'eventType=user.connected&userId=42' }),
      },
    });
    expect(screen.getByRole('treeitem', { name: /^eventType(\s|$)/ })).toHaveTextContent('"user.connected"');
  });
});
