import { describe, expect, it } from 'vitest';
import { detailOf, item } from '../testing/fixtures';
import { curlCommand, shellQuote } from './curl';

describe('curlCommand', () => {
  it('replays headers and body against the receiver', () => {
    const d = detailOf(item('a', 1, { query: 'x=1' }), {
      headers: [
        ['Host', 'abc.trycloudflare.com'],
        ['Content-Type', 'application/json'],
        ['Content-Length', '16'],
      ],
      body: `{"it's":"ok"}`,
    });
    expect(curlCommand(d, 'http://127.0.0.1:8787/')).toBe(
      `curl -X POST 'http://127.0.0.1:8787/livechat?x=1' \\\n  -H 'Content-Type: application/json' \\\n  --data-binary '{"it'\\''s":"ok"}'`,
    );
  });

  it('pipes binary bodies through base64', () => {
    const d = detailOf(item('a', 1), { headers: [], body_base64: 'AAEC' });
    expect(curlCommand(d, 'http://127.0.0.1:8787')).toBe(`printf %s 'AAEC' | base64 -d | curl -X POST 'http://127.0.0.1:8787/livechat' \\\n  --data-binary @-`);
  });

  it('quotes for the shell', () => {
    expect(shellQuote(`a'b`)).toBe(`'a'\\''b'`);
  });
});
