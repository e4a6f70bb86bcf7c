import { asError, listDeliveries, subscribeDeliveries } from '../api';
import type { DeliveryItem, StreamState } from '../types/api';
import { upsert } from './merge';

const PAGE = 200;

type Listener = (items: DeliveryItem[]) => void;

/** DeliveriesStore holds the inbox list: pages from the API plus live upserts from the stream. */
export class DeliveriesStore {
  /** Newest first. Replaced (never mutated) on every change. */
  items = $state.raw<DeliveryItem[]>([]);
  nextCursor = $state('');
  loading = $state(false);
  /** True once the first page has answered (even with an error). */
  loaded = $state(false);
  error = $state<Error | null>(null);
  /** The search expression the list was loaded with. */
  query = $state('');
  /** Live deliveries not shown because a search is active. */
  pending = $state(0);
  streamState = $state<StreamState>('closed');
  selectedId = $state<string | null>(null);
  /** Deliveries marked for an export (a selection of rows), by id. */
  marked = $state.raw<ReadonlySet<string>>(new Set());

  /** True when the inbox has nothing at all to show (first run): no search, no error. */
  isEmpty = $derived(this.loaded && !this.loading && this.items.length === 0 && this.query === '' && this.error === null);

  selectedIndex = $derived.by(() => {
    const id = this.selectedId;
    return id ? this.items.findIndex((d) => d.id === id) : -1;
  });

  private ids = new Set<string>();
  private gen = 0;
  /** The stream opened while a page was loading: read the first page again once it landed. */
  private staleTop = false;
  private unsubscribe: (() => void) | null = null;
  private listeners = new Set<Listener>();

  /** loadFirst (re)loads the first page for the current query. */
  async loadFirst(): Promise<void> {
    const gen = ++this.gen;
    this.loading = true;
    this.error = null;
    try {
      const page = await listDeliveries({ limit: PAGE, q: this.query || undefined });
      if (gen !== this.gen) return;
      this.ids = new Set();
      this.items = upsert([], this.ids, page.items).list;
      this.nextCursor = page.next_cursor;
      this.pending = 0;
    } catch (err) {
      if (gen === this.gen) this.error = asError(err);
    } finally {
      if (gen === this.gen) {
        this.loading = false;
        this.loaded = true;
        this.settle();
      }
    }
  }

  /** loadMore appends the next page, if there is one and nothing is loading. */
  async loadMore(): Promise<void> {
    if (this.loading || !this.nextCursor) return;
    const gen = this.gen;
    this.loading = true;
    try {
      const page = await listDeliveries({ limit: PAGE, cursor: this.nextCursor, q: this.query || undefined });
      if (gen !== this.gen) return;
      const more = page.items.filter((d) => !this.ids.has(d.id));
      for (const d of more) this.ids.add(d.id);
      this.items = this.items.concat(more);
      this.nextCursor = page.next_cursor;
    } catch (err) {
      if (gen === this.gen) this.error = asError(err);
    } finally {
      if (gen === this.gen) {
        this.loading = false;
        this.settle();
      }
    }
  }

  /**
   * catchUp reads the first page again when the stream (re)opens: what changed before it was
   * listening (a delivery decoded between the first page and the stream's start) was not heard.
   * A page still loading may predate the stream: the read waits for it (settle).
   */
  private catchUp(): void {
    if (this.loading) this.staleTop = true;
    else if (this.loaded) void this.refreshTop();
  }

  private settle(): void {
    if (!this.staleTop) return;
    this.staleTop = false;
    void this.refreshTop();
  }

  /** refreshTop merges the first page again (after a stream reconnect, or a change of settings). */
  async refreshTop(): Promise<void> {
    const gen = this.gen;
    try {
      const page = await listDeliveries({ limit: PAGE, q: this.query || undefined });
      if (gen !== this.gen) return;
      this.apply(page.items, true);
    } catch (err) {
      if (gen === this.gen) this.error = asError(err);
    }
  }

  /** setQuery changes the search and reloads. */
  setQuery(q: string): Promise<void> {
    const next = q.trim();
    if (next === this.query && this.loaded) return Promise.resolve();
    this.query = next;
    return this.loadFirst();
  }

  /** showPending reloads so live deliveries held back by a search show up. */
  showPending(): Promise<void> {
    return this.loadFirst();
  }

  /** apply upserts a batch from the stream (or a refreshed page that is known to match). */
  apply(batch: DeliveryItem[], matching = false): void {
    const filtered = this.query !== '' && !matching;
    const res = upsert(this.items, this.ids, batch, !filtered);
    if (res.list !== this.items) this.items = res.list;
    if (filtered) this.pending += res.added.length;
    for (const l of this.listeners) l(batch);
  }

  /** listen registers a callback for every live batch; it returns the unregister function. */
  listen(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** connect starts the live stream (idempotent). */
  connect(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = subscribeDeliveries({
      onItems: (items) => this.apply(items),
      onState: (state) => {
        this.streamState = state;
        if (state === 'open') this.catchUp();
      },
    });
  }

  disconnect(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.streamState = 'closed';
  }

  select(id: string | null): void {
    this.selectedId = id;
  }

  /** toggleMark marks a delivery for an export, or unmarks it. */
  toggleMark(id: string): void {
    const next = new Set(this.marked);
    if (!next.delete(id)) next.add(id);
    this.marked = next;
  }

  clearMarks(): void {
    this.marked = new Set();
  }

  /** move shifts the selection by delta rows and returns the new selected id. */
  move(delta: number): string | null {
    if (this.items.length === 0) return null;
    const from = this.selectedIndex;
    const to = from < 0 ? (delta > 0 ? 0 : this.items.length - 1) : Math.min(this.items.length - 1, Math.max(0, from + delta));
    this.selectedId = this.items[to].id;
    if (to >= this.items.length - 20) void this.loadMore();
    return this.selectedId;
  }

  /** reset forgets everything (tests). */
  reset(): void {
    this.disconnect();
    this.gen++;
    this.ids = new Set();
    this.items = [];
    this.nextCursor = '';
    this.loading = false;
    this.loaded = false;
    this.staleTop = false;
    this.error = null;
    this.query = '';
    this.pending = 0;
    this.selectedId = null;
    this.marked = new Set();
    this.listeners.clear();
  }
}

export const deliveries = new DeliveriesStore();
