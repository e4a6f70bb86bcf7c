import { render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import { vendors } from '../stores/vendors.svelte';
import { testVendors } from '../testing/vendors';
import VendorBadge from './VendorBadge.svelte';

describe('VendorBadge', () => {
  beforeEach(() => {
    vendors.list = testVendors;
  });

  it("shows a vendor's display name in its colours, as CSS custom properties (no style attribute in the markup)", () => {
    render(VendorBadge, { vendor: 'closer' });
    const badge = screen.getByText('Closer');
    expect(badge).toHaveClass('coloured');
    expect(badge.style.getPropertyValue('--vendor-bg')).toBe('#efe3ff');
    expect(badge.style.getPropertyValue('--vendor-fg')).toBe('#5d2ca0');
    expect(badge.style.getPropertyValue('--vendor-dark-bg')).toBe('#2c1d45');
    expect(badge.style.getPropertyValue('--vendor-dark-fg')).toBe('#cfb1ff');
  });

  it('shows an unknown vendor as a plain badge with its id', () => {
    render(VendorBadge, { vendor: 'echo' });
    const badge = screen.getByText('echo');
    expect(badge).toHaveClass('badge');
    expect(badge).not.toHaveClass('coloured');
    expect(badge.style.getPropertyValue('--vendor-bg')).toBe('');
  });
});
