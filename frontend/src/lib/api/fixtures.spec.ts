import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, hasNativeExport, saveExportNative } from '.';

// A stand-in for the desktop face's Wails runtime: what the page emits, and Go's answers.
function fakeRuntime() {
  const listeners = new Map<string, ((...data: unknown[]) => void)[]>();
  const emitted: [string, unknown][] = [];
  const rt = {
    EventsOn: vi.fn((name: string, cb: (...data: unknown[]) => void) => {
      listeners.set(name, [...(listeners.get(name) ?? []), cb]);
      return () => listeners.set(name, (listeners.get(name) ?? []).filter((f) => f !== cb));
    }),
    EventsEmit: vi.fn((name: string, data: unknown) => void emitted.push([name, data])),
  };
  const fromGo = (name: string, data: unknown) => (listeners.get(name) ?? []).forEach((cb) => cb(data));
  const count = (name: string) => listeners.get(name)?.length ?? 0;
  return { rt, emitted, fromGo, count };
}

describe('native export bridge', () => {
  afterEach(() => {
    delete window.runtime;
  });

  it('is only there in the desktop window', () => {
    expect(hasNativeExport()).toBe(false);
    window.runtime = { EventsOn: vi.fn() }; // a runtime without EventsEmit cannot ask Go
    expect(hasNativeExport()).toBe(false);
    window.runtime = fakeRuntime().rt;
    expect(hasNativeExport()).toBe(true);
  });

  it('asks Go to save the export query, reports progress and resolves with the file', async () => {
    const f = fakeRuntime();
    window.runtime = f.rt;
    const progress = vi.fn();
    const saved = saveExportNative({ ids: ['a', 'b'], q: 'vendor:livechat' }, { format: 'har', scrub: true, pretty: false }, progress);
    const [name, data] = f.emitted[0] as [string, { id: string; query: string }];
    expect(name).toBe('export:save');
    expect(data.query).toBe('format=har&q=vendor%3Alivechat&id=a&id=b&scrub=true');
    f.fromGo('export:progress', { id: 'someone-else', bytes: 1 });
    f.fromGo('export:progress', { id: data.id, bytes: 300, deliveries: 2, body_bytes: 200 });
    expect(progress).toHaveBeenCalledTimes(1);
    expect(progress).toHaveBeenCalledWith({ bytes: 300, deliveries: 2, bodyBytes: 200 });
    f.fromGo('export:done', { id: data.id, path: '/home/me/a.har', deliveries: 2, canceled: false });
    await expect(saved).resolves.toEqual({ path: '/home/me/a.har', deliveries: 2 });
    expect(f.count('export:progress') + f.count('export:done')).toBe(0);
  });

  it('resolves null when the save dialog is canceled, rejects with the plain reason on error', async () => {
    const f = fakeRuntime();
    window.runtime = f.rt;
    const canceled = saveExportNative({}, { format: 'fixtures', scrub: false, pretty: true });
    const id = (f.emitted[0][1] as { id: string; query: string }).id;
    expect((f.emitted[0][1] as { query: string }).query).toBe('format=fixtures&pretty=true');
    f.fromGo('export:done', { id, path: '', canceled: true });
    await expect(canceled).resolves.toBeNull();

    const failed = saveExportNative({}, { format: 'ndjson', scrub: false, pretty: false });
    const id2 = (f.emitted[1][1] as { id: string }).id;
    f.fromGo('export:done', { id: id2, path: '/ro/a.ndjson', error: '/ro/a.ndjson was not written: the disk is read-only.' });
    const err = await failed.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as Error).message).toBe('/ro/a.ndjson was not written: the disk is read-only.');
  });

  it('sends a cancel when aborted and rejects with an AbortError once Go removed the file', async () => {
    const f = fakeRuntime();
    window.runtime = f.rt;
    const ctl = new AbortController();
    const saved = saveExportNative({}, { format: 'ndjson', scrub: false, pretty: false }, undefined, ctl.signal);
    const id = (f.emitted[0][1] as { id: string }).id;
    ctl.abort();
    expect(f.emitted[1]).toEqual(['export:cancel', { id }]);
    f.fromGo('export:done', { id, path: '/home/me/a.ndjson', canceled: true });
    await expect(saved).rejects.toMatchObject({ name: 'AbortError' });
  });
});
