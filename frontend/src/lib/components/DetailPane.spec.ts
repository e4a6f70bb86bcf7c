import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Recorded target responses are loaded beside the delivery; none here.
vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), listReplays: vi.fn(async () => []) }));

import { detail } from '../stores/detail.svelte';
import { detailOf, item } from '../testing/fixtures';
import type { DeliveryDetail } from '../types/api';
import DetailPane from './DetailPane.svelte';

const hostile = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">';

function show(d: DeliveryDetail) {
  detail.id = d.id;
  detail.delivery = d;
}

describe('DetailPane', () => {
  afterEach(() => detail.close());

  it('renders a <script> body as text', () => {
    show(detailOf(item('x1', 1, { content_type: 'text/html', summary: hostile }), { body: hostile }));
    const { container } = render(DetailPane);
    const raw = screen.getByLabelText('Raw body');
    expect(raw.textContent).toBe(hostile);
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('renders hostile strings inside JSON as text in every view', async () => {
    const body = JSON.stringify({ html: hostile, link: 'javascript:alert(1)', svg: '<svg onload="window.__pwned=1"></svg>' });
    show(detailOf(item('x2', 2), { body }));
    const { container } = render(DetailPane);
    const tree = screen.getByRole('tree', { name: 'Body fields' });
    expect(within(tree).getByText(JSON.stringify(hostile))).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Pretty' }));
    expect(screen.getByLabelText('Pretty body').textContent).toContain('javascript:alert(1)');
    await userEvent.click(screen.getByRole('button', { name: 'Raw' }));
    expect(screen.getByLabelText('Raw body').textContent).toBe(body);
    expect(container.querySelector('script, img, svg, a[href^="javascript"]')).toBeNull();
  });

  it('shows request facts, verification and headers in order with duplicates', () => {
    show(
      detailOf(item('x3', 3, { verification: { status: 'mismatch', reason: 'secret_key differs' } }), {
        body: '{}',
        query: 'a=1',
      }),
    );
    render(DetailPane);
    expect(screen.getByText('/livechat?a=1')).toBeInTheDocument();
    expect(screen.getByText('mismatch')).toBeInTheDocument();
    expect(screen.getByText('secret_key differs')).toBeInTheDocument();
    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual(['Content-Typeapplication/json', 'X-Dupone', 'X-Duptwo']);
  });

  it('shows a base64 notice for a binary body', () => {
    show(detailOf(item('x4', 4, { size: 3, content_type: 'application/octet-stream' }), { body_base64: 'AAEC' }));
    render(DetailPane);
    expect(screen.getByText(/not valid UTF-8/)).toBeInTheDocument();
    expect(screen.getByLabelText('Raw body (base64)')).toHaveTextContent('AAEC');
  });

  it('offers a placeholder when nothing is open', () => {
    render(DetailPane);
    expect(screen.getByText('Select a delivery to see it here.')).toBeInTheDocument();
  });
});
