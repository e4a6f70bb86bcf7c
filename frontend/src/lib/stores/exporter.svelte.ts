import { asError, countExport, downloadExport, isMissingRoute, type ExportProgress } from '../api';
import type { ExportCount, ExportOptions, Selection } from '../types/fixtures';
import { saveBlob } from '../utils/save';

/** ExporterStore runs one export at a time: counts the selection, downloads it with progress, saves it. */
export class ExporterStore {
  count = $state<ExportCount | null>(null);
  counting = $state(false);
  running = $state(false);
  progress = $state<ExportProgress | null>(null);
  error = $state<Error | null>(null);
  /** True when this build of Hooklens has no export API. */
  unavailable = $state(false);
  /** What the last finished export saved. */
  done = $state<string | null>(null);

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
      if (gen === this.countGen) {
        this.count = c;
        this.unavailable = false;
      }
    } catch (err) {
      if (gen !== this.countGen) return;
      this.unavailable = isMissingRoute(err);
      this.error = asError(err);
    } finally {
      if (gen === this.countGen) this.counting = false;
    }
  }

  /** run downloads the export and saves it; it resolves false on failure or cancel. */
  async run(sel: Selection, opt: ExportOptions): Promise<boolean> {
    if (this.running) return false;
    this.ctl = new AbortController();
    this.running = true;
    this.error = null;
    this.done = null;
    this.progress = { bytes: 0, deliveries: 0, bodyBytes: 0 };
    try {
      const file = await downloadExport(sel, opt, (p) => (this.progress = p), this.ctl.signal);
      saveBlob(file.blob, file.filename);
      this.done = `Saved ${file.filename} (${file.deliveries.toLocaleString()} ${file.deliveries === 1 ? 'delivery' : 'deliveries'})`;
      return true;
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') {
        this.progress = null;
        this.done = 'Export canceled';
      } else {
        this.unavailable = isMissingRoute(err);
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

export const exporter = new ExporterStore();
