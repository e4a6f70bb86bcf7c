import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import FieldPanel from './FieldPanel.svelte';

const base = { path: 'payload.agent_id', pattern: 'payload.agent_id', type: 'string', description: 'ID of the deleted agent.', enum: [], since: '', deprecated: '', known: true, flags: [] };

describe('FieldPanel', () => {
  it('says until which version a field exists and what it was renamed', () => {
    render(FieldPanel, { path: 'payload.agent_id', note: { ...base, until: '3.3', renamed_to: 'payload.id' }, flags: [] });
    const panel = screen.getByRole('complementary', { name: 'Field explanation' });
    expect(panel).toHaveTextContent('until 3.3, renamed payload.id');
    expect(panel).not.toHaveTextContent('since');
  });

  it('says since which version a field exists and what it was called before', () => {
    render(FieldPanel, { path: 'payload.id', note: { ...base, path: 'payload.id', since: '3.4', renamed_from: ['payload.agent_id'] }, flags: [] });
    const panel = screen.getByRole('complementary', { name: 'Field explanation' });
    expect(panel).toHaveTextContent('since 3.4');
    expect(panel).toHaveTextContent('Renamed frompayload.agent_id');
  });
});
