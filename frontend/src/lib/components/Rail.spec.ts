import { render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';

import { health } from '../stores/health.svelte';
import type { Health } from '../types/api';
import Rail from './Rail.svelte';

function healthWith(version: string): Health {
  return {
    status: 'ok',
    version,
    deliveries: 3,
    receiver: { url: 'http://127.0.0.1:8787', state: 'listening' },
    store: { state: 'ok', error: '' },
    sync: { policy: 'always', syncs: 0, captures: 0, error: '' },
  };
}

describe('Rail footer', () => {
  afterEach(() => {
    health.health = null;
  });

  it.each([
    ['0.0.0-dev+0cdda69', 'v0.0.0-dev+0cdda69'],
    ['v1.2.3', 'v1.2.3'],
    ['v1.2.3-4-gabc1234-dirty', 'v1.2.3-4-gabc1234-dirty'],
  ])('shows the stamped version %s as %s', async (stamped, shown) => {
    health.health = healthWith(stamped);
    render(Rail);
    const v = await screen.findByTitle('Hooklens version');
    expect(v).toHaveTextContent(new RegExp(`^${shown.replace(/[.+]/g, '\\$&')}$`));
    expect(screen.getByText(/3 deliveries/)).toBeInTheDocument();
  });

  it('shows no version before the first health answer', () => {
    render(Rail);
    expect(screen.queryByTitle('Hooklens version')).not.toBeInTheDocument();
  });
});
