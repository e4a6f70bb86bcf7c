import { describe, expect, it } from 'vitest';
import { setTerm, termValue, toggleTerm, tokenize } from './query';

describe('query terms', () => {
  it('tokenizes with quoted phrases', () => {
    expect(tokenize('vendor:livechat "two words" agent:"a b" x')).toEqual(['vendor:livechat', '"two words"', 'agent:"a b"', 'x']);
  });

  it('sets, replaces and toggles terms', () => {
    expect(setTerm('hello', 'vendor', 'livechat')).toBe('vendor:livechat hello');
    expect(setTerm('vendor:closer hello', 'vendor', 'livechat')).toBe('vendor:livechat hello');
    expect(toggleTerm('vendor:livechat hello', 'vendor', 'livechat')).toBe('hello');
    expect(termValue('type:incoming_event vendor:livechat', 'type')).toBe('incoming_event');
  });
});
