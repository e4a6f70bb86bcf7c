import type { DeliveryItem, StreamState } from '../types/api';
import { wailsEvents } from './runtime';

export interface StreamHandlers {
  /** Called with each batch of upserted deliveries. */
  onItems(items: DeliveryItem[]): void;
  /** Called when the connection state changes; a reconnect after a drop may have missed items. */
  onState?(state: StreamState, reconnected: boolean): void;
}

function parseBatch(data: unknown): DeliveryItem[] {
  const value = typeof data === 'string' ? (JSON.parse(data) as unknown) : data;
  return Array.isArray(value) ? (value as DeliveryItem[]) : [];
}

// A frame's worth of stream messages is handed over at once; when frames do not run (a hidden
// tab), after this long at most.
const MAX_WAIT_MS = 100;

/**
 * frameBatcher collects the messages that arrive within one animation frame and hands their items
 * over in one call, in arrival order, so the list re-renders once a frame rather than once a
 * message (the server sends a message every few milliseconds under load).
 */
function frameBatcher(deliver: (items: DeliveryItem[]) => void) {
  let queue: unknown[] = [];
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const raf = typeof requestAnimationFrame === 'function' ? requestAnimationFrame : null;

  const flush = () => {
    if (frame && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(frame);
    clearTimeout(timer);
    frame = 0;
    timer = undefined;
    const messages = queue;
    queue = [];
    const items: DeliveryItem[] = [];
    for (const m of messages) {
      try {
        for (const it of parseBatch(m)) items.push(it);
      } catch (err) {
        console.warn('hooklens: bad deliveries message', err);
      }
    }
    if (items.length > 0) deliver(items);
  };

  return {
    push(message: unknown): void {
      queue.push(message);
      if (timer !== undefined) return;
      timer = setTimeout(flush, MAX_WAIT_MS);
      if (raf) frame = raf(flush);
    },
    flush,
  };
}

/**
 * subscribeDeliveries listens to live delivery upserts: the Wails event `deliveries` in the
 * desktop face, Server-Sent Events from /api/v1/stream in the browser. It returns the unsubscribe.
 */
export function subscribeDeliveries(h: StreamHandlers): () => void {
  const batch = frameBatcher((items) => h.onItems(items));
  const runtime = wailsEvents();
  if (runtime) {
    const off = runtime.EventsOn('deliveries', (payload: unknown) => batch.push(payload));
    h.onState?.('open', false);
    return () => {
      off();
      batch.flush();
    };
  }

  let es: EventSource | null = null;
  let dropped = false;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const connect = () => {
    if (closed) return;
    h.onState?.('connecting', false);
    es = new EventSource('/api/v1/stream');
    es.addEventListener('open', () => {
      batch.flush(); // what arrived before a reconnect comes before its catch-up
      h.onState?.('open', dropped);
      dropped = false;
    });
    es.addEventListener('deliveries', (ev) => batch.push((ev as MessageEvent<string>).data));
    es.addEventListener('error', () => {
      dropped = true;
      h.onState?.('closed', false);
      // EventSource retries by itself unless the server answered with an error status.
      if (es && es.readyState === EventSource.CLOSED) {
        es = null;
        retry = setTimeout(connect, 3000);
      }
    });
  };
  connect();

  return () => {
    closed = true;
    clearTimeout(retry);
    es?.close();
    es = null;
    batch.flush(); // nothing received is lost
  };
}
