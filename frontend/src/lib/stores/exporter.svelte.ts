import { asError, countExport, downloadExport, hasNativeExport, saveExportNative, type ExportProgress } from '../api';
import type { ExportCount, ExportOptions, Selection } from '../types/fixtures';
import { saveBlob } from '../utils/save';

/**
 * ExporterStore runs one export at a time: counts the selection, then saves it with progress —
 * in the desktop window through the native save dialog (the Go side writes the file), in a
 * browser as a download.
 */
export class ExporterStore {
  count = $state<ExportCount | null>(null);
  counting = $state(false);
  running = $state(false);
  progress = $state<ExportProgress | null>(null);
  error = $state<Error | null>(null);
  /** What the last finished export saved. */
  done = $state<string | null>(null);
  /** True while the export is written by the desktop face to a file chosen in its save dialog. */
  native = $state(false);

  /** fraction of the export received, 0–1, or null while the size is unknown. */
  fraction = $derived.by(() => {
    const p = this.progress;
    if (!p) return null;
    if (!this.running) return 1;
    if (!p.bodyBytes) return null;
    // Bodies are most of an export; metadata adds some. Never claim to be done before the end.
    return Math.min(0.97, p.bytes / (p.bodyBytes * 1.25 + 2048));
  });

  private ctl: AbortController | null = null;
  private countGen = 0;

  /** loadCount asks how many deliveries a selection picks. */
  async loadCount(sel: Selection): Promise<void> {
    const gen = ++this.countGen;
    this.counting = true;
    this.count = null;
    try {
      const c = await countExport(sel);
      if (gen === this.countGen) this.count = c;
    } catch (err) {
      if (gen !== this.countGen) return;
      this.error = asError(err);
    } finally {
      if (gen === this.countGen) this.counting = false;
    }
  }

  /**
   * run saves the export: through the desktop's save dialog, or as a browser download. It resolves
   * false on failure or cancel; canceling the save dialog says nothing.
   */
  async run(sel: Selection, opt: ExportOptions): Promise<boolean> {
    if (this.running) return false;
    this.ctl = new AbortController();
    this.running = true;
    this.error = null;
    this.done = null;
    this.native = hasNativeExport();
    const onProgress = (p: ExportProgress) => (this.progress = p);
    try {
      if (this.native) {
        this.progress = null; // shown once the file is chosen and written
        const saved = await saveExportNative(sel, opt, onProgress, this.ctl.signal);
        if (!saved) {
          this.progress = null;
          return false;
        }
        this.done = `Saved ${saved.path} (${plural(saved.deliveries)})`;
        return true;
      }
      this.progress = { bytes: 0, deliveries: 0, bodyBytes: 0 };
      const file = await downloadExport(sel, opt, onProgress, this.ctl.signal);
      saveBlob(file.blob, file.filename);
      this.done = `Saved ${file.filename} (${plural(file.deliveries)})`;
      return true;
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') {
        this.progress = null;
        this.done = 'Export canceled';
      } else {
        this.error = asError(err);
      }
      return false;
    } finally {
      this.running = false;
      this.ctl = null;
    }
  }

  cancel(): void {
    this.ctl?.abort();
  }

  /** reset clears the last result (a dialog opens). */
  reset(): void {
    if (this.running) return;
    this.error = null;
    this.done = null;
    this.progress = null;
    this.count = null;
  }
}

function plural(n: number): string {
  return `${n.toLocaleString()} ${n === 1 ? 'delivery' : 'deliveries'}`;
}

export const exporter = new ExporterStore();
