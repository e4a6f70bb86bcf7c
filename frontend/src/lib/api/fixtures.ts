// Export, import, replay, forward and simulate (issue 5).
import type {
  ExportCount,
  ExportOptions,
  ForwardSettings,
  ForwardStatus,
  ImportResult,
  ReplayRecord,
  ReplayRequest,
  ReplayRun,
  Scenario,
  Selection,
  SimulateResult,
} from '../types/fixtures';
import { ApiError, toApiError } from './errors';
import { query, request, send } from './http';
import { wailsRuntime } from './runtime';

const enc = encodeURIComponent;

function selectionQuery(sel: Selection): Record<string, string | string[] | undefined> {
  return { q: sel.q, conversation: sel.conversation, agent: sel.agent, id: sel.ids?.length ? sel.ids : undefined };
}

/** exportPath is the API path of an export download. */
export function exportPath(sel: Selection, opt: ExportOptions): string {
  return '/export' + query({ format: opt.format, ...selectionQuery(sel), scrub: opt.scrub, pretty: opt.pretty });
}

/** countExport says how many deliveries and body bytes a selection picks. */
export function countExport(sel: Selection): Promise<ExportCount> {
  return request<ExportCount>('GET', '/export/count' + query(selectionQuery(sel)));
}

export interface ExportProgress {
  /** Bytes received so far. */
  bytes: number;
  /** Deliveries in the export, from the X-Hooklens-Deliveries header (0 when unknown). */
  deliveries: number;
  /** Body bytes of those deliveries, a lower bound of the file's size (0 when unknown). */
  bodyBytes: number;
}

export interface ExportFile {
  blob: Blob;
  filename: string;
  deliveries: number;
}

function filenameOf(disposition: string | null, fallback: string): string {
  const m = disposition?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  const name = m ? decodeURIComponent(m[1]) : fallback;
  // Only a plain file name: no directories.
  return name.replace(/[/\\]/g, '_') || fallback;
}

/**
 * downloadExport streams an export into a Blob, reporting progress as bytes arrive. It rejects
 * with an ApiError when the API refuses, and when the stream breaks (the export is incomplete).
 */
export async function downloadExport(
  sel: Selection,
  opt: ExportOptions,
  onProgress?: (p: ExportProgress) => void,
  signal?: AbortSignal,
): Promise<ExportFile> {
  const res = await send(exportPath(sel, opt), { method: 'GET', signal });
  if (!res.ok) throw toApiError(res.status, await res.text());
  const deliveries = Number(res.headers.get('X-Hooklens-Deliveries') ?? 0) || 0;
  const bodyBytes = Number(res.headers.get('X-Hooklens-Body-Bytes') ?? 0) || 0;
  const ext = opt.format === 'fixtures' ? 'zip' : opt.format;
  const filename = filenameOf(res.headers.get('Content-Disposition'), `hooklens-export.${ext}`);
  const type = res.headers.get('Content-Type') ?? 'application/octet-stream';
  const chunks: BlobPart[] = [];
  let bytes = 0;
  onProgress?.({ bytes, deliveries, bodyBytes });
  try {
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        bytes += value.byteLength;
        onProgress?.({ bytes, deliveries, bodyBytes });
      }
    } else {
      const buf = await res.arrayBuffer();
      chunks.push(buf);
      bytes = buf.byteLength;
      onProgress?.({ bytes, deliveries, bodyBytes });
    }
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError('internal', 'the export stopped before the end; nothing was saved');
  }
  return { blob: new Blob(chunks, { type }), filename, deliveries };
}

/**
 * hasNativeExport says whether exports are saved through the desktop face's native save dialog
 * (the Wails runtime is there, as for the live feed) rather than downloaded by the browser.
 */
export function hasNativeExport(): boolean {
  return wailsRuntime() !== null;
}

export interface SavedExport {
  /** Where the file was written. */
  path: string;
  deliveries: number;
}

interface ExportDoneEvent {
  id?: string;
  path?: string;
  deliveries?: number;
  canceled?: boolean;
  error?: string;
}

let nativeSeq = 0;

/**
 * saveExportNative has the desktop face (app/page_export.go) ask where to save in its native save
 * dialog, then write there the same bytes as the download of the same selection and format,
 * reporting progress. It resolves null when the save dialog was canceled (no file), rejects with
 * an AbortError when signal aborts (the file being written is removed) and with an ApiError
 * saying in plain words why nothing was written. Not for the browser: see hasNativeExport.
 */
export function saveExportNative(
  sel: Selection,
  opt: ExportOptions,
  onProgress?: (p: ExportProgress) => void,
  signal?: AbortSignal,
): Promise<SavedExport | null> {
  const rt = wailsRuntime();
  if (!rt) return Promise.reject(new ApiError('unavailable', 'no native save dialog outside the desktop window'));
  if (signal?.aborted) return Promise.reject(new DOMException('Export canceled', 'AbortError'));
  const id = `export-${Date.now()}-${++nativeSeq}`;
  const path = exportPath(sel, opt);
  const q = path.includes('?') ? path.slice(path.indexOf('?') + 1) : '';
  return new Promise((resolve, reject) => {
    const cancel = () => rt.EventsEmit('export:cancel', { id });
    const offProgress = rt.EventsOn('export:progress', (p: unknown) => {
      const e = p as { id?: string; bytes?: number; deliveries?: number; body_bytes?: number } | null;
      if (e?.id !== id) return;
      onProgress?.({ bytes: e.bytes ?? 0, deliveries: e.deliveries ?? 0, bodyBytes: e.body_bytes ?? 0 });
    });
    const offDone = rt.EventsOn('export:done', (p: unknown) => {
      const e = p as ExportDoneEvent | null;
      if (e?.id !== id) return;
      offProgress();
      offDone();
      signal?.removeEventListener('abort', cancel);
      if (e.error) reject(new ApiError('internal', e.error));
      else if (e.canceled && (e.path || signal?.aborted)) reject(new DOMException('Export canceled', 'AbortError'));
      else if (e.canceled) resolve(null);
      else resolve({ path: e.path ?? '', deliveries: e.deliveries ?? 0 });
    });
    signal?.addEventListener('abort', cancel, { once: true });
    rt.EventsEmit('export:save', { id, query: q });
  });
}

/** importFiles uploads fixture folders (.zip), NDJSON or HAR files into the inbox. */
export async function importFiles(files: File[]): Promise<ImportResult> {
  const form = new FormData();
  for (const f of files) form.append('file', f, f.name);
  const r = await request<ImportResult>('POST', '/import', form);
  return { files: r?.files ?? [], imported: r?.imported ?? 0, duplicates: r?.duplicates ?? 0, failed: r?.failed ?? 0 };
}

/** startReplay starts sending a selection to a target URL; the run is polled with getReplayRun. */
export function startReplay(req: ReplayRequest): Promise<ReplayRun> {
  const { q, conversation, agent, ids, to, pace, speed } = req;
  return request<ReplayRun>('POST', '/replay', { q, conversation, agent, ids, to, pace, speed });
}

export function getReplayRun(id: string): Promise<ReplayRun> {
  return request<ReplayRun>('GET', `/replay/${enc(id)}`);
}

export function cancelReplay(id: string): Promise<void> {
  return request<void>('DELETE', `/replay/${enc(id)}`);
}

/** listReplays returns what targets answered to a delivery (replays and forwards), newest first. */
export async function listReplays(deliveryId: string): Promise<ReplayRecord[]> {
  const r = await request<{ items: ReplayRecord[] | null }>('GET', `/deliveries/${enc(deliveryId)}/replays`);
  return r?.items ?? [];
}

export function getForward(): Promise<ForwardStatus> {
  return request<ForwardStatus>('GET', '/settings/forward');
}

export function putForward(s: ForwardSettings): Promise<ForwardStatus> {
  return request<ForwardStatus>('PUT', '/settings/forward', s);
}

export async function listScenarios(): Promise<Scenario[]> {
  const r = await request<{ scenarios: Scenario[] | null }>('GET', '/simulate');
  return r?.scenarios ?? [];
}

/** simulate sends a vendor's scenario ('' the conversation; vendor 'all' every vendor's) to the receiver. */
export function simulate(vendor: string, scenario = ''): Promise<SimulateResult> {
  return request<SimulateResult>('POST', '/simulate', { vendor, scenario });
}
