import { asError, getDelivery } from '../api';
import type { DeliveryDetail } from '../types/api';
import { deliveries } from './deliveries.svelte';

/** DetailStore holds the delivery open in the detail pane. */
export class DetailStore {
  id = $state<string | null>(null);
  delivery = $state.raw<DeliveryDetail | null>(null);
  loading = $state(false);
  error = $state<Error | null>(null);
  /** Path of the body field selected in the JSON tree. */
  fieldPath = $state<string | null>(null);

  private gen = 0;

  constructor() {
    deliveries.listen((batch) => {
      if (this.id && batch.some((d) => d.id === this.id)) void this.reload();
    });
  }

  /** open loads a delivery into the detail pane. */
  async open(id: string): Promise<void> {
    if (this.id !== id) {
      this.delivery = null;
      this.fieldPath = null;
    }
    this.id = id;
    await this.reload();
  }

  /** reload fetches the open delivery again (it was decoded, or re-verified). */
  async reload(): Promise<void> {
    const id = this.id;
    if (!id) return;
    const gen = ++this.gen;
    this.loading = true;
    this.error = null;
    try {
      const d = await getDelivery(id);
      if (gen === this.gen) this.delivery = d;
    } catch (err) {
      if (gen === this.gen) this.error = asError(err);
    } finally {
      if (gen === this.gen) this.loading = false;
    }
  }

  close(): void {
    this.gen++;
    this.id = null;
    this.delivery = null;
    this.error = null;
    this.loading = false;
    this.fieldPath = null;
  }

  selectField(path: string | null): void {
    this.fieldPath = path;
  }
}

export const detail = new DetailStore();
