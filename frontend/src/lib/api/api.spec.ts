import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, getDelivery, listDeliveries, putSecret, subscribeDeliveries } from '.';

function reply(status: number, body: string) {
  return vi.fn(async () => new Response(body, { status, headers: { 'Content-Type': 'application/json' } }));
}

describe('api', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    delete window.runtime;
  });

  it('calls the same-origin API with the query and cookies', async () => {
    const fetch = reply(200, '{"items":[],"next_cursor":""}');
    vi.stubGlobal('fetch', fetch);
    await listDeliveries({ limit: 50, q: 'vendor:livechat has:flags', cursor: '' });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/deliveries?limit=50&q=vendor%3Alivechat+has%3Aflags');
    expect(init.credentials).toBe('same-origin');
  });

  it('turns API errors into ApiError with code and message', async () => {
    vi.stubGlobal('fetch', reply(404, '{"error":{"code":"not_found","message":"no delivery \\"x\\""}}'));
    const err = await getDelivery('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'not_found', message: 'no delivery "x"', status: 404 });
  });

  it('explains a missing token', async () => {
    vi.stubGlobal('fetch', reply(401, 'unauthorized'));
    await expect(putSecret('livechat', 's')).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
  });

  it('reports a network failure as an Error', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(getDelivery('x')).rejects.toMatchObject({ code: 'network' });
  });

  it('sends PUT bodies as JSON and accepts 204', async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    vi.stubGlobal('fetch', fetch);
    await expect(putSecret('livechat', 'abc')).resolves.toBeUndefined();
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/settings/secrets/livechat');
    expect(init.method).toBe('PUT');
    expect(init.body).toBe('{"secret":"abc"}');
  });

  it('listens to the Wails event when the desktop runtime is there', () => {
    let handler: (json: string) => void = () => {};
    const off = vi.fn();
    window.runtime = {
      EventsOn: vi.fn((name: string, cb: (...data: unknown[]) => void) => {
        expect(name).toBe('deliveries');
        handler = cb as (json: string) => void;
        return off;
      }),
    };
    const onItems = vi.fn();
    const unsubscribe = subscribeDeliveries({ onItems });
    handler('[{"id":"a"}]');
    expect(onItems).toHaveBeenCalledWith([{ id: 'a' }]);
    unsubscribe();
    expect(off).toHaveBeenCalled();
  });
});
