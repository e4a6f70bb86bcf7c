import { asError, importFiles } from '../api';
import type { ImportResult } from '../types/fixtures';
import { deliveries } from './deliveries.svelte';

/** ImporterStore uploads fixture folders (.zip), NDJSON and HAR files into the inbox. */
export class ImporterStore {
  importing = $state(false);
  /** Names of the files being imported. */
  names = $state<string[]>([]);
  result = $state.raw<ImportResult | null>(null);
  error = $state<Error | null>(null);

  /** run imports files; it resolves false when the API refused the request. */
  async run(files: File[]): Promise<boolean> {
    if (files.length === 0 || this.importing) return false;
    this.importing = true;
    this.names = files.map((f) => f.name);
    this.result = null;
    this.error = null;
    try {
      this.result = await importFiles(files);
      void deliveries.loadFirst();
      return true;
    } catch (err) {
      this.error = asError(err);
      return false;
    } finally {
      this.importing = false;
    }
  }

  dismiss(): void {
    this.result = null;
    this.error = null;
    this.names = [];
  }
}

export const importer = new ImporterStore();
