import { beforeEach, describe, expect, it, vi } from 'vitest';

// The branch choice of an export, with the API (and so the desktop bridge) mocked.
const api = vi.hoisted(() => ({
  countExport: vi.fn(),
  downloadExport: vi.fn(),
  hasNativeExport: vi.fn(),
  saveExportNative: vi.fn(),
}));
vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), ...api }));
const saveBlob = vi.hoisted(() => vi.fn());
vi.mock('../utils/save', () => ({ saveBlob }));

import { ApiError } from '../api';
import { ExporterStore } from './exporter.svelte';

const sel = { conversation: 'livechat/PJ0MRSHTDG' };
const opt = { format: 'ndjson' as const, scrub: true, pretty: false };

describe('ExporterStore.run', () => {
  beforeEach(() => {
    for (const f of Object.values(api)) f.mockReset();
    saveBlob.mockReset();
  });

  it('in the desktop window, saves through the native save dialog and never downloads', async () => {
    api.hasNativeExport.mockReturnValue(true);
    const seen: (number | null)[] = [];
    const ex = new ExporterStore();
    api.saveExportNative.mockImplementation(async (_s, _o, onProgress: (p: object) => void) => {
      seen.push(ex.progress?.bytes ?? null); // nothing shown while the dialog is open
      onProgress({ bytes: 512, deliveries: 3, bodyBytes: 900 });
      seen.push(ex.progress?.bytes ?? null);
      return { path: '/home/me/chat.ndjson', deliveries: 3 };
    });
    expect(await ex.run(sel, opt)).toBe(true);
    expect(api.saveExportNative).toHaveBeenCalledWith(sel, opt, expect.any(Function), expect.any(AbortSignal));
    expect(api.downloadExport).not.toHaveBeenCalled();
    expect(saveBlob).not.toHaveBeenCalled();
    expect(seen).toEqual([null, 512]);
    expect(ex.native).toBe(true);
    expect(ex.done).toBe('Saved /home/me/chat.ndjson (3 deliveries)');
    expect(ex.error).toBeNull();
  });

  it('in a browser, downloads and hands the file to the browser', async () => {
    api.hasNativeExport.mockReturnValue(false);
    api.downloadExport.mockResolvedValue({ blob: new Blob(['x']), filename: 'hooklens-1.ndjson', deliveries: 1 });
    const ex = new ExporterStore();
    expect(await ex.run(sel, opt)).toBe(true);
    expect(api.downloadExport).toHaveBeenCalledWith(sel, opt, expect.any(Function), expect.any(AbortSignal));
    expect(api.saveExportNative).not.toHaveBeenCalled();
    expect(saveBlob).toHaveBeenCalledWith(expect.any(Blob), 'hooklens-1.ndjson');
    expect(ex.native).toBe(false);
    expect(ex.done).toBe('Saved hooklens-1.ndjson (1 delivery)');
  });

  it('says nothing when the save dialog is canceled', async () => {
    api.hasNativeExport.mockReturnValue(true);
    api.saveExportNative.mockResolvedValue(null);
    const ex = new ExporterStore();
    expect(await ex.run(sel, opt)).toBe(false);
    expect(ex.done).toBeNull();
    expect(ex.error).toBeNull();
    expect(ex.progress).toBeNull();
    expect(ex.running).toBe(false);
  });

  it('cancels a native export being written through the abort signal', async () => {
    api.hasNativeExport.mockReturnValue(true);
    api.saveExportNative.mockImplementation(
      (_s, _o, _p, signal: AbortSignal) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('Export canceled', 'AbortError')))),
    );
    const ex = new ExporterStore();
    const run = ex.run(sel, opt);
    expect(ex.running).toBe(true);
    ex.cancel();
    expect(await run).toBe(false);
    expect(ex.done).toBe('Export canceled');
    expect(ex.error).toBeNull();
  });

  it('shows why a native export was not written', async () => {
    api.hasNativeExport.mockReturnValue(true);
    api.saveExportNative.mockRejectedValue(new ApiError('internal', '/mnt/usb/a.ndjson was not written: the disk is full.'));
    const ex = new ExporterStore();
    expect(await ex.run(sel, opt)).toBe(false);
    expect(ex.error?.message).toBe('/mnt/usb/a.ndjson was not written: the disk is full.');
  });
});
