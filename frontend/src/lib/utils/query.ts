// Helpers for the search language of docs/api.md: space-separated terms, `key:value` or free
// words and "quoted phrases"; all terms must match.

/** tokenize splits a query into its terms, keeping quoted phrases (with their quotes) whole. */
export function tokenize(q: string): string[] {
  const out: string[] = [];
  const re = /(?:[^\s"]+:)?"[^"]*"?|\S+/g;
  for (const m of q.matchAll(re)) out.push(m[0]);
  return out;
}

/** termValue returns the value of the first `key:` term, or ''. */
export function termValue(q: string, key: string): string {
  const prefix = `${key}:`;
  for (const t of tokenize(q)) if (t.toLowerCase().startsWith(prefix)) return t.slice(prefix.length);
  return '';
}

/**
 * setTerm replaces every `key:` term with `key:value` (or removes them when value is '').
 * The new term goes first so that chips read in a stable order.
 */
export function setTerm(q: string, key: string, value: string): string {
  const prefix = `${key}:`;
  const rest = tokenize(q).filter((t) => !t.toLowerCase().startsWith(prefix));
  if (value) rest.unshift(`${key}:${/\s/.test(value) ? `"${value}"` : value}`);
  return rest.join(' ');
}

/** toggleTerm sets `key:value`, or removes it when it is already the value. */
export function toggleTerm(q: string, key: string, value: string): string {
  return setTerm(q, key, termValue(q, key) === value ? '' : value);
}

/**
 * querySyntax is the query syntax, for the help popover; vendors are the ids the backend knows,
 * the first one used in the examples.
 */
export function querySyntax(vendors: string[]): { term: string; meaning: string }[] {
  const v = vendors[0] ?? 'livechat';
  return [
    { term: `vendor:${v}`, meaning: vendors.length ? `vendor: ${orList(vendors)}` : 'vendor id' },
    { term: 'type:incoming_event', meaning: 'event type' },
    { term: 'conv:PJ0MRSHTDG', meaning: 'conversation id' },
    { term: 'agent:smith@example.com', meaning: 'agent, operator or bot id' },
    { term: 'status:closed', meaning: 'conversation status' },
    { term: 'verified:yes', meaning: 'yes, no, mismatch, unsigned or no_secret' },
    { term: 'has:flags', meaning: 'deliveries with schema flags' },
    { term: 'has:gap', meaning: 'events expected but not seen: a missing start, a thread gap, only a retry arrived, no close past the vendor\'s limit' },
    { term: 'method:POST', meaning: 'HTTP method' },
    { term: `path:/${v}`, meaning: 'receiver path' },
    { term: 'word "a phrase"', meaning: 'free text over body values (not field names), paths and summaries' },
  ];
}

/** orList joins words for a sentence: "a", "a or b", "a, b or c". */
export function orList(words: string[]): string {
  return words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}
