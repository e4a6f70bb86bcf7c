import { asError, compareCatalog, diffConversations, diffDeliveries } from '../api';
import type { CatalogComparison, ConversationDiff, ConversationKey, DeliveryDiff } from '../types/compare';

export type CompareMode = 'deliveries' | 'conversations' | 'catalog';

/** CompareStore holds the comparison shown in the Compare dialog: two deliveries, two
 * conversations, or a delivery against its catalog. */
export class CompareStore {
  mode = $state<CompareMode | null>(null);
  /** The compared deliveries (deliveries mode) or delivery (catalog mode). */
  a = $state<string | null>(null);
  b = $state<string | null>(null);
  /** Hide fields and headers that differ on every delivery (ids, times, secrets, signatures). */
  ignoreVolatile = $state(true);
  delivery = $state.raw<DeliveryDiff | null>(null);
  conversation = $state.raw<ConversationDiff | null>(null);
  catalog = $state.raw<CatalogComparison | null>(null);
  loading = $state(false);
  error = $state<Error | null>(null);

  private gen = 0;

  get open(): boolean {
    return this.mode !== null;
  }

  /** compareDeliveries opens the Compare dialog on deliveries a (before) and b (after). */
  async compareDeliveries(a: string, b: string): Promise<void> {
    this.reset('deliveries');
    this.a = a;
    this.b = b;
    await this.run(async () => {
      this.delivery = await diffDeliveries(a, b, { ignoreVolatile: this.ignoreVolatile });
    });
  }

  /** setIgnoreVolatile changes the toggle and compares again. */
  async setIgnoreVolatile(v: boolean): Promise<void> {
    this.ignoreVolatile = v;
    if (this.mode === 'deliveries' && this.a && this.b) {
      const a = this.a;
      const b = this.b;
      await this.run(async () => {
        this.delivery = await diffDeliveries(a, b, { ignoreVolatile: v });
      });
    }
  }

  /** compareCatalog opens the Compare dialog on a delivery against its event type's documented shape. */
  async compareCatalog(id: string): Promise<void> {
    this.reset('catalog');
    this.a = id;
    await this.run(async () => {
      this.catalog = await compareCatalog(id);
    });
  }

  /** compareConversations opens the Compare dialog on two conversations (a before b). */
  async compareConversations(a: ConversationKey, b: ConversationKey): Promise<void> {
    this.reset('conversations');
    await this.run(async () => {
      this.conversation = await diffConversations(a, b);
    });
  }

  close(): void {
    this.gen++;
    this.mode = null;
    this.loading = false;
  }

  private reset(mode: CompareMode): void {
    this.mode = mode;
    this.a = this.b = null;
    this.delivery = this.conversation = this.catalog = null;
    this.error = null;
  }

  private async run(fn: () => Promise<void>): Promise<void> {
    const gen = ++this.gen;
    this.loading = true;
    this.error = null;
    try {
      await fn();
    } catch (err) {
      if (gen === this.gen) this.error = asError(err);
    } finally {
      if (gen === this.gen) this.loading = false;
    }
  }
}

export const compare = new CompareStore();
