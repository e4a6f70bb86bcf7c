import { describe, expect, it } from 'vitest';
import { item } from '../testing/fixtures';
import { upsert } from './merge';

describe('upsert', () => {
  it('puts new items on top, newest first', () => {
    const ids = new Set<string>();
    let list = upsert([], ids, [item('a', 1), item('b', 2)]).list;
    expect(list.map((d) => d.id)).toEqual(['b', 'a']);
    list = upsert(list, ids, [item('c', 3)]).list;
    expect(list.map((d) => d.id)).toEqual(['c', 'b', 'a']);
    expect([...ids].sort()).toEqual(['a', 'b', 'c']);
  });

  it('replaces an item with the same id in place', () => {
    const ids = new Set<string>();
    const list = upsert([], ids, [item('a', 1, { decoded: false }), item('b', 2)]).list;
    const res = upsert(list, ids, [item('a', 1, { decoded: true, summary: 'done' })]);
    expect(res.list.map((d) => d.id)).toEqual(['b', 'a']);
    expect(res.list[1].summary).toBe('done');
    expect(res.added).toEqual([]);
    expect(res.updated).toEqual(['a']);
    expect(list[1].summary).toBe(''); // the old array is untouched
  });

  it('places an older new item by time', () => {
    const ids = new Set<string>();
    const list = upsert([], ids, [item('a', 1), item('c', 3)]).list;
    const res = upsert(list, ids, [item('b', 2)]);
    expect(res.list.map((d) => d.id)).toEqual(['c', 'b', 'a']);
  });

  it('keeps the last copy of an id repeated in one batch', () => {
    const ids = new Set<string>();
    const res = upsert([], ids, [item('a', 1, { summary: 'one' }), item('a', 1, { summary: 'two' })]);
    expect(res.list).toHaveLength(1);
    expect(res.list[0].summary).toBe('two');
  });

  it('reports but leaves out new items when asked', () => {
    const ids = new Set<string>();
    const res = upsert([], ids, [item('a', 1)], false);
    expect(res.list).toEqual([]);
    expect(res.added.map((d) => d.id)).toEqual(['a']);
    expect(ids.size).toBe(0);
  });

  it('returns the same array when nothing changed', () => {
    const list = [item('a', 1)];
    expect(upsert(list, new Set(['a']), []).list).toBe(list);
  });
});
