import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  agentTimeline,
  ApiError,
  conversationTimeline,
  downloadExport,
  getDelivery,
  importFiles,
  listConversations,
  listDeliveries,
  putSecret,
  subscribeDeliveries,
} from '.';

const url = (f: { mock: { calls: unknown[][] } }, i: number) => f.mock.calls[i][0];

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

  it('listens to the Wails event when the desktop runtime is there', async () => {
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
    // Handed over with the next frame's batch, as in the browser.
    await vi.waitFor(() => expect(onItems).toHaveBeenCalledWith([{ id: 'a' }]));
    unsubscribe();
    expect(off).toHaveBeenCalled();
  });

  it('lists conversations and reads timelines, tolerating missing fields', async () => {
    const fetch = reply(200, '{"items":null}');
    vi.stubGlobal('fetch', fetch);
    expect(await listConversations({ q: 'status:closed', limit: 100 })).toEqual({ items: [], next_cursor: '' });
    expect(url(fetch, 0)).toBe('/api/v1/conversations?limit=100&q=status%3Aclosed');
    const t = await conversationTimeline('livechat', 'A/B', { limit: 1000 });
    expect(url(fetch, 1)).toBe('/api/v1/conversations/livechat/A%2FB/timeline?limit=1000');
    expect(t).toMatchObject({ items: [], total: 0, next_cursor: '' });
    await agentTimeline('livechat', 'smith@example.com', { cursor: 'c1' });
    expect(url(fetch, 2)).toBe('/api/v1/agents/livechat/smith%40example.com/timeline?cursor=c1');
  });

  it('streams an export with progress and the file name the API gives', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"id":"a"}\n'));
        c.enqueue(new TextEncoder().encode('{"id":"b"}\n'));
        c.close();
      },
    });
    const fetch = vi.fn(async () =>
      new Response(body, {
        status: 200,
        headers: {
          'Content-Type': 'application/x-ndjson',
          'Content-Disposition': 'attachment; filename=hooklens-20261123-070000.ndjson',
          'X-Hooklens-Deliveries': '2',
          'X-Hooklens-Body-Bytes': '20',
        },
      }),
    );
    vi.stubGlobal('fetch', fetch);
    const progress: number[] = [];
    const file = await downloadExport({ q: 'vendor:livechat', ids: ['x', 'y'] }, { format: 'ndjson', scrub: true, pretty: false }, (p) => progress.push(p.bytes));
    expect((fetch.mock.calls[0] as unknown as [string])[0]).toBe('/api/v1/export?format=ndjson&q=vendor%3Alivechat&id=x&id=y&scrub=true');
    expect(file.filename).toBe('hooklens-20261123-070000.ndjson');
    expect(file.deliveries).toBe(2);
    expect(await file.blob.text()).toBe('{"id":"a"}\n{"id":"b"}\n');
    expect(progress.at(-1)).toBe(22);
  });

  it('uploads imports as multipart files', async () => {
    const fetch = reply(200, '{"imported":2,"duplicates":0,"failed":0,"files":[]}');
    vi.stubGlobal('fetch', fetch);
    const r = await importFiles([new File(['x'], 'a.ndjson')]);
    expect(r.imported).toBe(2);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/import');
    expect(init.method).toBe('POST');
    expect((init.body as FormData).get('file')).toBeInstanceOf(File);
  });
});
