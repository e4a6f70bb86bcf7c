import { asError, postSample } from '../api';
import { deliveries } from './deliveries.svelte';
import { detail } from './detail.svelte';
import { ui } from './ui.svelte';

/** SamplesStore sends pasted vendor doc samples to POST /api/v1/samples. */
export class SamplesStore {
  sending = $state(false);
  error = $state<Error | null>(null);
  lastId = $state<string | null>(null);

  /** send captures a sample and opens it; it resolves false on failure. */
  async send(text: string, path: string): Promise<boolean> {
    this.sending = true;
    this.error = null;
    try {
      const { id } = await postSample({ text, path });
      this.lastId = id;
      ui.view = 'inbox';
      // The live stream brings the row; the detail loads on its own.
      deliveries.select(id);
      void detail.open(id);
      return true;
    } catch (err) {
      this.error = asError(err);
      return false;
    } finally {
      this.sending = false;
    }
  }
}

export const samples = new SamplesStore();
