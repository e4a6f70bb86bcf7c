import { asError, listAgents, listConversations } from '../api';
import type { DeliveryItem } from '../types/api';
import type { Agent, Conversation, EntityListParams, Page } from '../types/timeline';
import { deliveries } from './deliveries.svelte';

const PAGE = 200;
const MAX_LIMIT = 1000;

/** EntityList is one list of the Conversations or Agents view: pages from the API, reloaded live. */
export class EntityList<T> {
  /** Latest activity first. Replaced (never mutated) on every change. */
  items = $state.raw<T[]>([]);
  nextCursor = $state('');
  loading = $state(false);
  /** True once the first page has answered (even with an error). */
  loaded = $state(false);
  error = $state<Error | null>(null);
  /** The search expression the list was loaded with. */
  query = $state('');
  selectedKey = $state<string | null>(null);

  selectedIndex = $derived.by(() => {
    const k = this.selectedKey;
    return k ? this.items.findIndex((it) => this.keyOf(it) === k) : -1;
  });

  /** Whether the list is on screen: live reloads only happen then. */
  private active = false;
  private gen = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastRefresh = 0;

  constructor(
    private readonly fetchPage: (p: EntityListParams) => Promise<Page<T>>,
    readonly keyOf: (item: T) => string,
    private readonly throttleMs = 1000,
  ) {}

  /** loadFirst (re)loads the first page for the current query. */
  async loadFirst(): Promise<void> {
    const gen = ++this.gen;
    this.loading = true;
    this.error = null;
    try {
      const page = await this.fetchPage({ limit: PAGE, q: this.query || undefined });
      if (gen !== this.gen) return;
      this.items = page.items;
      this.nextCursor = page.next_cursor;
    } catch (err) {
      if (gen !== this.gen) return;
      this.error = asError(err);
    } finally {
      if (gen === this.gen) {
        this.loading = false;
        this.loaded = true;
      }
    }
  }

  /** loadMore appends the next page, if there is one and nothing is loading. */
  async loadMore(): Promise<void> {
    if (this.loading || !this.nextCursor) return;
    const gen = this.gen;
    this.loading = true;
    try {
      const page = await this.fetchPage({ limit: PAGE, cursor: this.nextCursor, q: this.query || undefined });
      if (gen !== this.gen) return;
      const seen = new Set(this.items.map(this.keyOf));
      this.items = this.items.concat(page.items.filter((it) => !seen.has(this.keyOf(it))));
      this.nextCursor = page.next_cursor;
    } catch (err) {
      if (gen === this.gen) this.error = asError(err);
    } finally {
      if (gen === this.gen) this.loading = false;
    }
  }

  /**
   * refreshVisible loads the rows already shown again (up to the API's page limit) and keeps the
   * rest: entities with new activity move to the top, counts and statuses change.
   */
  async refreshVisible(): Promise<void> {
    if (this.loading) return;
    const gen = this.gen;
    const limit = Math.min(MAX_LIMIT, Math.max(PAGE, this.items.length));
    const hadTail = this.items.length > limit;
    try {
      const page = await this.fetchPage({ limit, q: this.query || undefined });
      if (gen !== this.gen) return;
      const head = page.items;
      const seen = new Set(head.map(this.keyOf));
      const tail = this.items.slice(limit).filter((it) => !seen.has(this.keyOf(it)));
      this.items = tail.length ? head.concat(tail) : head;
      if (!hadTail) this.nextCursor = page.next_cursor;
      this.error = null;
    } catch (err) {
      if (gen === this.gen) this.error = asError(err);
    }
  }

  /** schedule reloads the visible rows soon, at most once per throttle interval. */
  schedule(): void {
    if (!this.active || !this.loaded || this.timer) return;
    const wait = Math.max(0, this.lastRefresh + this.throttleMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastRefresh = Date.now();
      void this.refreshVisible();
    }, wait);
  }

  /** setActive says whether the list is on screen; showing it loads it (again). */
  setActive(on: boolean): void {
    this.active = on;
    if (!on) {
      clearTimeout(this.timer);
      this.timer = undefined;
    } else if (!this.loaded) {
      void this.loadFirst();
    } else {
      void this.refreshVisible();
    }
  }

  /** setQuery changes the search and reloads. */
  setQuery(q: string): Promise<void> {
    const next = q.trim();
    if (next === this.query && this.loaded) return Promise.resolve();
    this.query = next;
    return this.loadFirst();
  }

  select(key: string | null): void {
    this.selectedKey = key;
  }

  /** move shifts the selection by delta rows and returns the newly selected item. */
  move(delta: number): T | null {
    if (this.items.length === 0) return null;
    const from = this.selectedIndex;
    const to = from < 0 ? (delta > 0 ? 0 : this.items.length - 1) : Math.min(this.items.length - 1, Math.max(0, from + delta));
    const it = this.items[to];
    this.selectedKey = this.keyOf(it);
    if (to >= this.items.length - 20) void this.loadMore();
    return it;
  }

  /** reset forgets everything (tests). */
  reset(): void {
    this.gen++;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.lastRefresh = 0;
    this.active = false;
    this.items = [];
    this.nextCursor = '';
    this.loading = false;
    this.loaded = false;
    this.error = null;
    this.query = '';
    this.selectedKey = null;
  }
}

/** touchesEntities tells whether a live batch can change the entity lists. */
function touchesEntities(batch: DeliveryItem[]): boolean {
  return batch.some((d) => d.decoded && (d.conversation?.id || (d.actors?.length ?? 0) > 0));
}

/** EntitiesStore holds the Conversations and Agents lists. */
export class EntitiesStore {
  conversations = new EntityList<Conversation>(listConversations, (c) => `${c.vendor}/${c.external_id}`);
  agents = new EntityList<Agent>(listAgents, (a) => `${a.vendor}/${a.external_id}`);

  constructor() {
    deliveries.listen((batch) => {
      if (!touchesEntities(batch)) return;
      this.conversations.schedule();
      this.agents.schedule();
    });
  }

  /** list returns the list of a view. */
  list(kind: 'conversations' | 'agents'): EntityList<Conversation> | EntityList<Agent> {
    return kind === 'conversations' ? this.conversations : this.agents;
  }
}

export const entities = new EntitiesStore();
