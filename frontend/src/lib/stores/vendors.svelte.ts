import { asError, listVendors } from '../api';
import type { Vendor } from '../types/vendors';

/**
 * VendorsStore holds the vendors the backend knows (GET /api/v1/vendors), read once at start.
 * Nothing in the frontend lists vendors of its own: until they are loaded, or when loading
 * failed, the lists are empty and an id shows as itself.
 */
export class VendorsStore {
  list = $state.raw<Vendor[]>([]);
  loaded = $state(false);
  error = $state<Error | null>(null);

  /** The vendor ids, in the API's order. */
  names = $derived(this.list.map((v) => v.name));
  private byName = $derived(new Map(this.list.map((v) => [v.name, v])));
  private loading: Promise<void> | null = null;

  /** load reads the vendors once; later calls wait for the same request (retry calls it again). */
  load(): Promise<void> {
    this.loading ??= this.fetch();
    return this.loading;
  }

  /** retry reads the vendors again after a failure. */
  retry(): Promise<void> {
    this.loading = this.fetch();
    return this.loading;
  }

  private async fetch(): Promise<void> {
    try {
      this.list = await listVendors();
      this.error = null;
    } catch (err) {
      this.error = asError(err);
    } finally {
      this.loaded = true;
    }
  }

  /** reset forgets what was read, as on a new page (for tests). */
  reset(): void {
    this.list = [];
    this.loaded = false;
    this.error = null;
    this.loading = null;
  }

  /** get returns a vendor's metadata, or undefined for an id the backend did not list. */
  get(name: string): Vendor | undefined {
    return this.byName.get(name);
  }

  /** label is a vendor's display name ("livechat" → "LiveChat"), or the id itself when unknown. */
  label(name: string): string {
    return this.byName.get(name)?.display_name ?? name;
  }
}

export const vendors = new VendorsStore();
