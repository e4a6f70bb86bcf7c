import { describe, expect, it } from 'vitest';
import type { CoverageGap } from '../types/compare';
import { CoverageStore } from './coverage.svelte';

const g = (from: string, to: string): CoverageGap => ({ from, to, cause: 'stopped', reason: '', open: false, vendors: [] });

describe('coverage store', () => {
  it('finds the gap between two neighbours of a list, in either order', () => {
    const c = new CoverageStore();
    c.gaps = [g('2026-12-08T10:02:00Z', '2026-12-08T10:41:00Z')];
    expect(c.between('2026-12-08T10:45:00Z', '2026-12-08T10:00:00Z')).toBe(c.gaps[0]);
    expect(c.between('2026-12-08T10:00:00Z', '2026-12-08T10:45:00Z')).toBe(c.gaps[0]);
    expect(c.between('2026-12-08T10:45:00Z', '2026-12-08T10:30:00Z')).toBeNull();
    expect(c.between('2026-12-08T10:45:00Z', undefined)).toBeNull();
  });

  it('lists the gaps overlapping a window, newest first', () => {
    const c = new CoverageStore();
    c.gaps = [g('2026-12-08T09:00:00Z', '2026-12-08T09:10:00Z'), g('2026-12-08T10:02:00Z', '2026-12-08T10:41:00Z')];
    expect(c.within('2026-12-08T09:30:00Z').map((x) => x.from)).toEqual(['2026-12-08T10:02:00Z']);
    expect(c.within(null).map((x) => x.from)).toEqual(['2026-12-08T10:02:00Z', '2026-12-08T09:00:00Z']);
    expect(c.within('2026-12-08T09:05:00Z', '2026-12-08T09:20:00Z')).toHaveLength(1);
  });
});
