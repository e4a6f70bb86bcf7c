import { agentTimeline, asError, conversationTimeline } from '../api';
import type { DeliveryItem } from '../types/api';
import type { Agent, Conversation, EntityKind, Timeline, TimelineItem } from '../types/timeline';
import { deliveries } from './deliveries.svelte';

/** FIRST items come with the first answer (fast to show on a big store); WINDOW more per scroll. */
const FIRST = 200;
const WINDOW = 1000;
const MAX_WINDOW = 10_000;

type Fetch = (vendor: string, id: string, p: { cursor?: string; limit?: number }) => Promise<Timeline>;

export interface EntityRef {
  vendor: string;
  id: string;
}

/** TimelineStore holds the timeline open in the detail pane of the Conversations or Agents view. */
export class TimelineStore {
  ref = $state<EntityRef | null>(null);
  conversation = $state.raw<Conversation | null>(null);
  agent = $state.raw<Agent | null>(null);
  /** In the order the events happened. Replaced (never mutated) on every change. */
  items = $state.raw<TimelineItem[]>([]);
  /** Items on the whole timeline (more may be loaded on scroll). */
  total = $state(0);
  nextCursor = $state('');
  loading = $state(false);
  loaded = $state(false);
  error = $state<Error | null>(null);
  /** delivery_id of the selected item. */
  selectedId = $state<string | null>(null);
  /** The delivery shown in the detail pane instead of the timeline, opened from it. */
  openDelivery = $state<string | null>(null);
  /** Where "back" goes when the timeline was opened from another one (an agent's). */
  returnTo = $state<(EntityRef & { label: string }) | null>(null);

  selectedIndex = $derived.by(() => {
    const id = this.selectedId;
    return id ? this.items.findIndex((it) => it.delivery_id === id) : -1;
  });

  private gen = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastRefresh = 0;

  constructor(
    readonly kind: EntityKind,
    private readonly fetch: Fetch,
    private readonly throttleMs = 1000,
  ) {}

  /** open loads the first window of an entity's timeline. */
  async open(vendor: string, id: string, returnTo: (EntityRef & { label: string }) | null = null): Promise<void> {
    const same = this.ref?.vendor === vendor && this.ref.id === id;
    this.returnTo = returnTo;
    if (!same) {
      this.ref = { vendor, id };
      this.items = [];
      this.total = 0;
      this.nextCursor = '';
      this.conversation = null;
      this.agent = null;
      this.selectedId = null;
      this.openDelivery = null;
      this.loaded = false;
    }
    await this.load(FIRST, true);
  }

  /** reload loads again every item shown so far (up to the API's window), keeping the selection. */
  reload(): Promise<void> {
    return this.load(Math.min(MAX_WINDOW, Math.max(FIRST, this.items.length)), false);
  }

  private async load(limit: number, showLoading: boolean): Promise<void> {
    const ref = this.ref;
    if (!ref) return;
    const gen = ++this.gen;
    if (showLoading) this.loading = true;
    try {
      const t = await this.fetch(ref.vendor, ref.id, { limit });
      if (gen !== this.gen) return;
      this.apply(t, false);
      this.error = null;
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

  private apply(t: Timeline, append: boolean): void {
    if (t.conversation) this.conversation = t.conversation;
    if (t.agent) this.agent = t.agent;
    if (append) {
      const seen = new Set(this.items.map((it) => it.delivery_id));
      this.items = this.items.concat(t.items.filter((it) => !seen.has(it.delivery_id)));
    } else {
      this.items = t.items;
    }
    this.total = Math.max(t.total, this.items.length);
    this.nextCursor = t.next_cursor;
  }

  /** loadMore appends the next window, if there is one and nothing is loading. */
  async loadMore(): Promise<void> {
    const ref = this.ref;
    if (!ref || this.loading || !this.nextCursor) return;
    const gen = this.gen;
    this.loading = true;
    try {
      const t = await this.fetch(ref.vendor, ref.id, { cursor: this.nextCursor, limit: WINDOW });
      if (gen === this.gen) this.apply(t, true);
    } catch (err) {
      if (gen === this.gen) this.error = asError(err);
    } finally {
      if (gen === this.gen) this.loading = false;
    }
  }

  /** concerns tells whether a live delivery belongs on this timeline. */
  concerns(d: DeliveryItem): boolean {
    const ref = this.ref;
    if (!ref || !d.decoded || d.vendor !== ref.vendor) return false;
    if (this.kind === 'conversation') return d.conversation?.id === ref.id;
    return (d.actors ?? []).some((a) => a.id === ref.id);
  }

  /** schedule reloads the timeline soon, at most once per throttle interval. */
  schedule(): void {
    if (!this.ref || !this.loaded || this.timer) return;
    const wait = Math.max(0, this.lastRefresh + this.throttleMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastRefresh = Date.now();
      void this.reload();
    }, wait);
  }

  select(id: string | null): void {
    this.selectedId = id;
  }

  /** move shifts the selection by delta items and returns the selected item. */
  move(delta: number): TimelineItem | null {
    const n = this.items.length;
    if (n === 0) return null;
    const from = this.selectedIndex;
    const to = from < 0 ? (delta > 0 ? 0 : n - 1) : Math.min(n - 1, Math.max(0, from + delta));
    const it = this.items[to];
    this.selectedId = it.delivery_id;
    if (to >= n - 50) void this.loadMore();
    return it;
  }

  /** showDelivery opens a delivery of the timeline in the detail pane. */
  showDelivery(id: string | null): void {
    if (id) this.selectedId = id;
    this.openDelivery = id;
  }

  close(): void {
    this.gen++;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.ref = null;
    this.conversation = null;
    this.agent = null;
    this.items = [];
    this.total = 0;
    this.nextCursor = '';
    this.loading = false;
    this.loaded = false;
    this.error = null;
    this.selectedId = null;
    this.openDelivery = null;
    this.returnTo = null;
  }
}

/** TimelinesStore holds the conversation timeline and the agent timeline. */
export class TimelinesStore {
  conversation = new TimelineStore('conversation', conversationTimeline);
  agent = new TimelineStore('agent', agentTimeline);

  constructor() {
    deliveries.listen((batch) => {
      for (const tl of [this.conversation, this.agent]) if (batch.some((d) => tl.concerns(d))) tl.schedule();
    });
  }

  of(kind: 'conversations' | 'agents'): TimelineStore {
    return kind === 'conversations' ? this.conversation : this.agent;
  }
}

export const timelines = new TimelinesStore();
