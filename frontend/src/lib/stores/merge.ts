import type { DeliveryItem } from '../types/api';

/** newerFirst orders deliveries newest first: by received time, then by id (UUIDv7 sorts by time). */
export function newerFirst(a: DeliveryItem, b: DeliveryItem): number {
  const ta = Date.parse(a.received_at);
  const tb = Date.parse(b.received_at);
  if (ta !== tb && !Number.isNaN(ta) && !Number.isNaN(tb)) return tb - ta;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export interface MergeResult {
  /** The new list (the same array when nothing changed). */
  list: DeliveryItem[];
  /** Items that were not in the list before. */
  added: DeliveryItem[];
  /** Ids of items that replaced an existing one. */
  updated: string[];
}

/**
 * upsert merges a batch into a newest-first list: an item whose id is already there replaces it
 * in place, a new one is placed by time (in practice at the top). With `addNew` false, new items
 * are reported in `added` but left out of the list. `ids` is kept in step with the list.
 */
export function upsert(list: DeliveryItem[], ids: Set<string>, batch: DeliveryItem[], addNew = true): MergeResult {
  const latest = new Map<string, DeliveryItem>();
  for (const it of batch) if (it && typeof it.id === 'string') latest.set(it.id, it);
  if (latest.size === 0) return { list, added: [], updated: [] };

  const fresh: DeliveryItem[] = [];
  const changed = new Map<string, DeliveryItem>();
  for (const it of latest.values()) {
    if (ids.has(it.id)) changed.set(it.id, it);
    else fresh.push(it);
  }

  let out = list;
  if (changed.size > 0) {
    out = list.slice();
    let left = changed.size;
    for (let i = 0; i < out.length && left > 0; i++) {
      const repl = changed.get(out[i].id);
      if (repl) {
        out[i] = repl;
        left--;
      }
    }
  }
  if (addNew && fresh.length > 0) {
    fresh.sort(newerFirst);
    const merged: DeliveryItem[] = new Array(out.length + fresh.length);
    let i = 0;
    let j = 0;
    let k = 0;
    // Fast path: everything new is newer than the current top.
    if (out.length === 0 || newerFirst(fresh[fresh.length - 1], out[0]) <= 0) {
      for (; j < fresh.length; j++) merged[k++] = fresh[j];
    }
    while (i < out.length || j < fresh.length) {
      if (j >= fresh.length || (i < out.length && newerFirst(out[i], fresh[j]) <= 0)) merged[k++] = out[i++];
      else merged[k++] = fresh[j++];
    }
    for (const it of fresh) ids.add(it.id);
    out = merged;
  }
  return { list: out, added: fresh, updated: [...changed.keys()] };
}
