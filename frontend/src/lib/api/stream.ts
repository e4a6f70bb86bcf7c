import type { DeliveryItem, StreamState } from '../types/api';

interface WailsRuntime {
  EventsOn(name: string, cb: (...data: unknown[]) => void): () => void;
}

declare global {
  interface Window {
    runtime?: WailsRuntime;
  }
}

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

/**
 * subscribeDeliveries listens to live delivery upserts: the Wails event `deliveries` in the
 * desktop face, Server-Sent Events from /api/v1/stream in the browser. It returns the unsubscribe.
 */
export function subscribeDeliveries(h: StreamHandlers): () => void {
  const runtime = typeof window !== 'undefined' ? window.runtime : undefined;
  if (runtime && typeof runtime.EventsOn === 'function') {
    const off = runtime.EventsOn('deliveries', (payload: unknown) => {
      try {
        h.onItems(parseBatch(payload));
      } catch (err) {
        console.warn('hooklens: bad deliveries event', err);
      }
    });
    h.onState?.('open', false);
    return () => off();
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
      h.onState?.('open', dropped);
      dropped = false;
    });
    es.addEventListener('deliveries', (ev) => {
      try {
        h.onItems(parseBatch((ev as MessageEvent<string>).data));
      } catch (err) {
        console.warn('hooklens: bad deliveries message', err);
      }
    });
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
  };
}
