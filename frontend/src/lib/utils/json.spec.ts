import { describe, expect, it } from 'vitest';
import { childPath, parseJson, patternOf, prettyJson, tryParseJson } from './json';

describe('parseJson', () => {
  it('keeps key order, duplicate keys and numbers as written', () => {
    const n = parseJson('{"b":1,"a":12345678901234567890,"b":2.50}');
    expect(n).toEqual({
      kind: 'object',
      entries: [
        { key: 'b', value: { kind: 'number', raw: '1' } },
        { key: 'a', value: { kind: 'number', raw: '12345678901234567890' } },
        { key: 'b', value: { kind: 'number', raw: '2.50' } },
      ],
    });
    expect(prettyJson(n)).toBe('{\n  "b": 1,\n  "a": 12345678901234567890,\n  "b": 2.50\n}');
  });

  it('reads escapes, literals and nesting', () => {
    const n = parseJson(' [ "a\\"b\\u00e9\\n", true, false, null, {"x": []} ] ');
    expect(prettyJson(n)).toBe('[\n  "a\\"bé\\n",\n  true,\n  false,\n  null,\n  {\n    "x": []\n  }\n]');
  });

  it('rejects what is not JSON', () => {
    for (const bad of ['', '{', '{"a":1,}', '[1 2]', 'nul', '"\u0001"', '{"a":1} x', "{'a':1}", '01']) {
      expect(tryParseJson(bad), bad).toBeNull();
    }
    expect(() => parseJson('{"a":}')).toThrow(/offset 5/);
  });

  it('builds API field paths', () => {
    expect(childPath(childPath(childPath('', 'payload'), 'users'), 0)).toBe('payload.users[0]');
    expect(patternOf('payload.users[10].id')).toBe('payload.users[].id');
  });
});
