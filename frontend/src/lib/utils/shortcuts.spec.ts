import { describe, expect, it } from 'vitest';
import { globalShortcuts, viewForKey, viewShortcuts } from './shortcuts';

describe('viewForKey', () => {
  it('reads g sequences and Alt+digits, and nothing else', () => {
    expect(viewForKey('i', true, false)).toBe('inbox');
    expect(viewForKey('c', true, false)).toBe('conversations');
    expect(viewForKey('a', true, false)).toBe('agents');
    expect(viewForKey('t', true, false)).toBe('tunnel');
    expect(viewForKey('s', true, false)).toBe('settings');
    expect(viewForKey('l', true, false)).toBe('catalog');
    expect(viewForKey('c', false, false)).toBeNull();
    expect(viewForKey('x', true, false)).toBeNull();
    expect(viewForKey('1', false, true)).toBe('inbox');
    expect(viewForKey('5', false, true)).toBe('settings');
    expect(viewForKey('6', false, true)).toBe('catalog');
    expect(viewForKey('7', false, true)).toBeNull();
    expect(viewForKey('0', false, true)).toBeNull();
  });
});

describe('shortcut lists', () => {
  it('lists Ctrl+digits only in the desktop face', () => {
    expect(globalShortcuts(false).flatMap((s) => s.keys)).not.toContain('Ctrl+2');
    expect(globalShortcuts(true).find((s) => s.does === 'Go to Conversations')?.keys).toEqual(['g c', 'Alt+2', 'Ctrl+2']);
  });

  it('gives each view its own keys', () => {
    expect(viewShortcuts('inbox').map((s) => s.keys[0])).toContain('x');
    expect(viewShortcuts('agents').map((s) => s.keys[0])).toContain('o');
    expect(viewShortcuts('conversations').map((s) => s.keys[0])).not.toContain('o');
    expect(viewShortcuts('settings')).toEqual([]);
  });
});
