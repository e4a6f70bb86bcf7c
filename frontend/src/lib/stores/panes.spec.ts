import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_FRACTION, MIN_FRACTION, PanesStore } from './panes.svelte';

describe('PanesStore', () => {
  beforeEach(() => localStorage.clear());

  it('remembers a clamped share per view, across instances, and forgets it on reset', () => {
    const a = new PanesStore();
    expect(a.fraction('inbox')).toBeNull();
    a.set('inbox', 0.63);
    a.set('agents', 0.05);
    a.set('conversations', 2);
    const b = new PanesStore();
    expect(b.fraction('inbox')).toBe(0.63);
    expect(b.fraction('agents')).toBe(MIN_FRACTION);
    expect(b.fraction('conversations')).toBe(MAX_FRACTION);
    b.reset('inbox');
    expect(new PanesStore().fraction('inbox')).toBeNull();
    expect(new PanesStore().fraction('agents')).toBe(MIN_FRACTION);
  });

  it('ignores what it cannot read', () => {
    localStorage.setItem('hooklens.panes', '{"inbox":"wide","agents":0.5');
    expect(new PanesStore().fraction('agents')).toBeNull();
    localStorage.setItem('hooklens.panes', '{"inbox":"wide","agents":0.5}');
    const p = new PanesStore();
    expect(p.fraction('inbox')).toBeNull();
    expect(p.fraction('agents')).toBe(0.5);
  });
});
