import { asError, downloadSchema, getSchemaText, getSchemaView } from '../api';
import type { SchemaEvent, SchemaFormat, SchemaView } from '../types/schema';
import { saveBlob } from '../utils/save';
import { ui } from './ui.svelte';

/** The formats the Catalog screen offers to copy for one event type. */
export const COPY_FORMATS: SchemaFormat[] = ['typescript', 'jsonschema', 'go'];

/**
 * CatalogStore holds the Catalog screen: one vendor (and version) at a time, with every event
 * type the API describes, the one selected and its generated code.
 */
export class CatalogStore {
  vendor = $state('');
  /** '' is the newest version, 'all' every version. */
  version = $state('');
  /** Merge what the store captured into the types. */
  observed = $state(false);
  filter = $state('');
  view = $state.raw<SchemaView | null>(null);
  loading = $state(false);
  error = $state<Error | null>(null);
  selected = $state<string | null>(null);
  /** Generated code of the selected event type, by format (absent while loading). */
  code = $state.raw<Partial<Record<SchemaFormat, string>>>({});
  codeError = $state<Error | null>(null);
  downloadError = $state<Error | null>(null);

  /** The event types whose name, description or category match the filter. */
  events = $derived.by(() => {
    const all = this.view?.events ?? [];
    const f = this.filter.trim().toLowerCase();
    if (!f) return all;
    return all.filter((e) => [e.name, e.description, e.category].some((s) => s.toLowerCase().includes(f)));
  });
  current = $derived<SchemaEvent | null>(this.view?.events.find((e) => e.name === this.selected) ?? null);

  private gen = 0;
  private codeGen = 0;

  /** show opens the Catalog on vendor's event type (from a delivery's detail). */
  async show(vendor: string, event: string): Promise<void> {
    ui.view = 'catalog';
    if (vendor !== this.vendor || !this.view?.events.some((e) => e.name === event)) {
      this.vendor = vendor;
      this.version = '';
      this.filter = '';
      this.selected = event;
      await this.load();
    } else {
      this.filter = '';
      await this.select(event);
    }
  }

  /** setVendor switches vendor (newest version, first event type). */
  async setVendor(vendor: string): Promise<void> {
    this.vendor = vendor;
    this.version = '';
    this.selected = null;
    await this.load();
  }

  async setVersion(version: string): Promise<void> {
    this.version = version;
    await this.load();
  }

  async setObserved(on: boolean): Promise<void> {
    this.observed = on;
    await this.load();
  }

  /** load reads the vendor's view; the selection stays when the event type still exists. */
  async load(): Promise<void> {
    if (!this.vendor) return;
    const gen = ++this.gen;
    this.loading = true;
    this.error = null;
    try {
      const v = await getSchemaView(this.vendor, { version: this.version, observed: this.observed });
      if (gen !== this.gen) return;
      this.view = v;
      const keep = this.selected && v.events.some((e) => e.name === this.selected);
      await this.select(keep ? this.selected : (v.events[0]?.name ?? null));
    } catch (err) {
      if (gen === this.gen) {
        this.error = asError(err);
        this.view = null;
      }
    } finally {
      if (gen === this.gen) this.loading = false;
    }
  }

  /** select shows an event type and fetches its code in each format of COPY_FORMATS. */
  async select(name: string | null): Promise<void> {
    this.selected = name;
    this.code = {};
    this.codeError = null;
    if (!name) return;
    const gen = ++this.codeGen;
    const opts = { version: this.version, observed: this.observed, event: [name] };
    try {
      const texts = await Promise.all(COPY_FORMATS.map((f) => getSchemaText(this.vendor, f, opts)));
      if (gen !== this.codeGen) return;
      const code: Partial<Record<SchemaFormat, string>> = {};
      COPY_FORMATS.forEach((f, i) => (code[f] = texts[i]));
      this.code = code;
    } catch (err) {
      if (gen === this.codeGen) this.codeError = asError(err);
    }
  }

  /** download saves the vendor's whole document in one format. */
  async download(format: SchemaFormat): Promise<void> {
    this.downloadError = null;
    try {
      const f = await downloadSchema(this.vendor, format, { version: this.version, observed: this.observed });
      saveBlob(f.blob, f.filename);
    } catch (err) {
      this.downloadError = asError(err);
    }
  }

  /** reset forgets everything (for tests). */
  reset(): void {
    this.gen++;
    this.codeGen++;
    Object.assign(this, { vendor: '', version: '', observed: false, filter: '', view: null, loading: false, error: null });
    Object.assign(this, { selected: null, code: {}, codeError: null, downloadError: null });
  }
}

export const catalog = new CatalogStore();
