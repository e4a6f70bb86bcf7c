import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { CoverageGap } from '../types/compare';
import CoverageBands from './CoverageBands.svelte';

const gap: CoverageGap = {
  from: '2026-12-08T10:02:00Z', to: '2026-12-08T10:41:00Z', cause: 'suspended', open: false,
  reason: 'the machine slept or Hooklens was frozen from 10:02 to 10:41',
  vendors: [
    { vendor: 'livechat', covered: false, lost_from: '2026-12-08T10:02:00Z', lost_to: '2026-12-08T10:40:00Z', reason: 'it retries for only about 1m0s' },
    { vendor: 'slowpoke', covered: true, lost_from: null, lost_to: null, reason: 'it retries for 2h, longer than this gap' },
  ],
};

describe('CoverageBands', () => {
  it('says when nothing was received and, per vendor, whether its retries covered it', async () => {
    render(CoverageBands, { gaps: [gap], label: 'Coverage gaps' });
    const region = screen.getByRole('region', { name: 'Coverage gaps' });
    expect(region).toHaveTextContent(/Not receiving from .* to /);
    expect(region).toHaveTextContent('the machine slept');
    expect(within(region).getByText(/: events lost/)).toHaveAttribute('data-vendor', 'livechat');
    expect(within(region).getByText(/: retries covered it/)).toHaveAttribute('data-vendor', 'slowpoke');
    await userEvent.click(within(region).getByText(/Not receiving from/));
    expect(region).toHaveTextContent('it retries for only about 1m0s');
  });

  it('renders nothing without gaps', () => {
    render(CoverageBands, { gaps: [], label: 'Coverage gaps' });
    expect(screen.queryByRole('region')).toBeNull();
  });
});
