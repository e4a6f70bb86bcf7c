import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { DecodedEvent } from '../types/api';
import VersionInfo from './VersionInfo.svelte';

const base = { delivery_id: 'd1', vendor: 'livechat', event_type: 'auto_access_added', occurred_at: null, actors: [], summary: 's', documented: true, flags: [], verification: { status: 'no_secret' } };

describe('VersionInfo', () => {
  it('shows the detected version, its evidence and the notes (not as flags)', () => {
    const ev = {
      ...base,
      api_version: '3.6+',
      version_evidence: [{ since: '3.6', path: 'requester', reason: 'requester present → 3.6 or later' }],
      notes: [{ path: '', code: 'deprecated', reason: 'auto_access_added is a deprecated event type' }],
    } as unknown as DecodedEvent;
    render(VersionInfo, { event: ev });
    const sec = screen.getByRole('region', { name: 'API version and notes' });
    expect(within(sec).getByTestId('api-version')).toHaveTextContent('3.6+');
    expect(within(sec).getByRole('list', { name: 'Version evidence' })).toHaveTextContent('requester present → 3.6 or later');
    expect(within(sec).getByRole('list', { name: 'Notes' })).toHaveTextContent('deprecated');
  });

  it('shows nothing for an event without a version or notes', () => {
    render(VersionInfo, { event: base as unknown as DecodedEvent });
    expect(screen.queryByRole('region', { name: 'API version and notes' })).toBeNull();
  });
});
