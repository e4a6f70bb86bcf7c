import { beforeEach, describe, expect, it, vi } from 'vitest';
import { testVendors } from '../testing/vendors';

const api = vi.hoisted(() => ({ listVendors: vi.fn() }));
vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), ...api }));

import { ApiError } from '../api';
import { VendorsStore } from './vendors.svelte';

describe('VendorsStore', () => {
  beforeEach(() => api.listVendors.mockReset());

  it('reads the vendors once and names them', async () => {
    api.listVendors.mockResolvedValue(testVendors);
    const v = new VendorsStore();
    await Promise.all([v.load(), v.load()]);
    expect(api.listVendors).toHaveBeenCalledTimes(1);
    expect(v.names).toEqual(['livechat', 'iadvize', 'closer']);
    expect(v.label('iadvize')).toBe('iAdvize');
    expect(v.get('livechat')?.api_registration).toBe(true);
  });

  it('shows an id it does not know as itself', async () => {
    api.listVendors.mockResolvedValue(testVendors);
    const v = new VendorsStore();
    await v.load();
    expect(v.label('echo')).toBe('echo');
    expect(v.get('echo')).toBeUndefined();
  });

  it('keeps the error when the API cannot list them, with no list of its own, and retries', async () => {
    api.listVendors.mockRejectedValueOnce(new ApiError('not_found', 'no API route GET /api/v1/vendors', 404));
    const v = new VendorsStore();
    await v.load();
    expect(v.error?.message).toBe('no API route GET /api/v1/vendors');
    expect(v.loaded).toBe(true);
    expect(v.names).toEqual([]);
    expect(v.label('livechat')).toBe('livechat');

    api.listVendors.mockResolvedValueOnce(testVendors);
    await v.retry();
    expect(v.error).toBeNull();
    expect(v.label('livechat')).toBe('LiveChat');
  });
});
