import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({ countExport: vi.fn(), downloadExport: vi.fn(), hasNativeExport: vi.fn(), saveExportNative: vi.fn() }));
vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), ...api }));
const saveBlob = vi.hoisted(() => vi.fn());
vi.mock('../utils/save', () => ({ saveBlob }));

import { ApiError } from '../api';
import ExportDialog from './ExportDialog.svelte';

const scopes = [
  { label: 'The current search (vendor:livechat)', selection: { q: 'vendor:livechat' } },
  { label: 'Everything in the inbox', selection: {} },
];

describe('ExportDialog', () => {
  beforeEach(() => {
    api.countExport.mockReset().mockImplementation(async (sel: { q?: string }) => ({ deliveries: sel.q ? 12 : 40, body_bytes: 4096 }));
    api.downloadExport.mockReset();
    api.hasNativeExport.mockReset().mockReturnValue(false);
    api.saveExportNative.mockReset();
    saveBlob.mockReset();
  });

  it('counts the chosen selection and exports it in the chosen format with progress', async () => {
    let release: () => void = () => {};
    api.downloadExport.mockImplementation(async (_sel, _opt, onProgress: (p: object) => void) => {
      onProgress({ bytes: 2048, deliveries: 12, bodyBytes: 4096 });
      await new Promise<void>((r) => (release = r));
      return { blob: new Blob(['x']), filename: 'hooklens-1.ndjson', deliveries: 12 };
    });
    render(ExportDialog, { scopes, onClose: vi.fn() });
    expect(await screen.findByText(/12 deliveries/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('radio', { name: /Everything in the inbox/ }));
    expect(await screen.findByText(/40 deliveries/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('radio', { name: /The current search/ }));

    await userEvent.click(screen.getByRole('radio', { name: /NDJSON/ }));
    expect(screen.getByRole('checkbox', { name: /Pretty-print/ })).toBeDisabled();
    await userEvent.click(screen.getByRole('checkbox', { name: /Scrub personal data/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect(api.downloadExport).toHaveBeenCalledWith({ q: 'vendor:livechat' }, { format: 'ndjson', scrub: true, pretty: false }, expect.any(Function), expect.any(AbortSignal));
    const bar = await screen.findByRole('progressbar', { name: 'Export progress' });
    expect(Number(bar.getAttribute('value'))).toBeGreaterThan(0);
    expect(screen.getByRole('button', { name: 'Cancel export' })).toBeInTheDocument();
    release();
    expect(await screen.findByText('Saved hooklens-1.ndjson (12 deliveries)')).toBeInTheDocument();
    expect(saveBlob).toHaveBeenCalledWith(expect.any(Blob), 'hooklens-1.ndjson');
  });

  it('passes the pretty-print option for a fixture folder', async () => {
    api.downloadExport.mockResolvedValue({ blob: new Blob(['x']), filename: 'f.zip', deliveries: 1 });
    render(ExportDialog, { scopes: [{ label: 'This delivery', selection: { ids: ['a'] } }], onClose: vi.fn() });
    await userEvent.click(screen.getByRole('checkbox', { name: /Pretty-print/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() =>
      expect(api.downloadExport).toHaveBeenCalledWith({ ids: ['a'] }, { format: 'fixtures', scrub: false, pretty: true }, expect.any(Function), expect.any(AbortSignal)),
    );
  });

  it('in the desktop window, saves through the native dialog with progress, and says where', async () => {
    api.hasNativeExport.mockReturnValue(true);
    let chosen: () => void = () => {};
    let release: () => void = () => {};
    api.saveExportNative.mockImplementation(async (_sel, _opt, onProgress: (p: object) => void) => {
      await new Promise<void>((r) => (chosen = r)); // the native save dialog is open
      onProgress({ bytes: 1024, deliveries: 40, bodyBytes: 4096 });
      await new Promise<void>((r) => (release = r));
      return { path: '/home/me/hooklens-1.zip', deliveries: 40 };
    });
    render(ExportDialog, { scopes, onClose: vi.fn() });
    await userEvent.click(screen.getByRole('radio', { name: /Everything in the inbox/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect(api.saveExportNative).toHaveBeenCalledWith({}, { format: 'fixtures', scrub: false, pretty: false }, expect.any(Function), expect.any(AbortSignal));
    expect(await screen.findByText('Choose where to save the export…')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).toBeNull();
    chosen();
    const bar = await screen.findByRole('progressbar', { name: 'Export progress' });
    expect(Number(bar.getAttribute('value'))).toBeGreaterThan(0);
    expect(screen.getByText('1.0 KiB written')).toBeInTheDocument();
    release();
    expect(await screen.findByText('Saved /home/me/hooklens-1.zip (40 deliveries)')).toBeInTheDocument();
    expect(api.downloadExport).not.toHaveBeenCalled();
    expect(saveBlob).not.toHaveBeenCalled();
  });

  it('says nothing when the native save dialog is canceled', async () => {
    api.hasNativeExport.mockReturnValue(true);
    api.saveExportNative.mockResolvedValue(null);
    render(ExportDialog, { scopes, onClose: vi.fn() });
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect(await screen.findByRole('button', { name: 'Export' })).toBeEnabled();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByRole('status')).toBeNull();
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('says why the selection could not be counted', async () => {
    api.countExport.mockRejectedValue(new ApiError('invalid', 'unknown query term "foo:"', 400));
    render(ExportDialog, { scopes, onClose: vi.fn() });
    expect(await screen.findByRole('alert')).toHaveTextContent('unknown query term "foo:"');
  });
});
