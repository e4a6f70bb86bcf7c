// A small JSON reader that keeps what JSON.parse loses and an integrator needs to see: key order,
// duplicate keys, and numbers exactly as written (no float rounding of big ids).

export type JsonNode =
  | { kind: 'object'; entries: { key: string; value: JsonNode }[] }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; raw: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' };

const MAX_DEPTH = 512;

class Reader {
  private i = 0;
  constructor(private readonly s: string) {}

  fail(what: string): never {
    throw new SyntaxError(`${what} at offset ${this.i}`);
  }

  ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.i++;
      else break;
    }
  }

  document(): JsonNode {
    if (this.s.charCodeAt(0) === 0xfeff) this.i = 1;
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.i !== this.s.length) this.fail('unexpected text after the JSON value');
    return v;
  }

  value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    const c = this.s[this.i];
    switch (c) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return { kind: 'string', value: this.string() };
      case 't':
        return this.literal('true', { kind: 'bool', value: true });
      case 'f':
        return this.literal('false', { kind: 'bool', value: false });
      case 'n':
        return this.literal('null', { kind: 'null' });
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.number();
        return this.fail(c === undefined ? 'unexpected end of input' : `unexpected character ${JSON.stringify(c)}`);
    }
  }

  literal(word: string, node: JsonNode): JsonNode {
    if (this.s.startsWith(word, this.i)) {
      this.i += word.length;
      return node;
    }
    return this.fail('invalid literal');
  }

  number(): JsonNode {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) return this.fail('invalid number');
    this.i += m[0].length;
    return { kind: 'number', raw: m[0] };
  }

  string(): string {
    const s = this.s;
    this.i++; // opening quote
    let out = '';
    let start = this.i;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        out += s.slice(start, this.i);
        this.i++;
        return out;
      }
      if (c < 0x20) this.fail('control character in string');
      if (c === 0x5c) {
        out += s.slice(start, this.i);
        const e = s[this.i + 1];
        this.i += 2;
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out += e;
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const hex = s.slice(this.i, this.i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
            out += String.fromCharCode(parseInt(hex, 16));
            this.i += 4;
            break;
          }
          default:
            this.i -= 2;
            this.fail('invalid escape');
        }
        start = this.i;
        continue;
      }
      this.i++;
    }
    return this.fail('unterminated string');
  }

  object(depth: number): JsonNode {
    this.i++;
    const entries: { key: string; value: JsonNode }[] = [];
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return { kind: 'object', entries };
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('expected a key');
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail("expected ':'");
      this.i++;
      this.ws();
      entries.push({ key, value: this.value(depth + 1) });
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return { kind: 'object', entries };
      if (c !== ',') {
        this.i--;
        this.fail("expected ',' or '}'");
      }
    }
  }

  array(depth: number): JsonNode {
    this.i++;
    const items: JsonNode[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return { kind: 'array', items };
    }
    for (;;) {
      this.ws();
      items.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return { kind: 'array', items };
      if (c !== ',') {
        this.i--;
        this.fail("expected ',' or ']'");
      }
    }
  }
}

/** parseJson reads strict JSON text; it throws a SyntaxError naming the offset on invalid input. */
export function parseJson(text: string): JsonNode {
  return new Reader(text).document();
}

/** tryParseJson is parseJson that returns null instead of throwing. */
export function tryParseJson(text: string): JsonNode | null {
  try {
    return parseJson(text);
  } catch {
    return null;
  }
}

/** parseForm reads an application/x-www-form-urlencoded body as an object of strings. */
export function parseForm(text: string): JsonNode {
  const entries: { key: string; value: JsonNode }[] = [];
  for (const [key, value] of new URLSearchParams(text)) entries.push({ key, value: { kind: 'string', value } });
  return { kind: 'object', entries };
}

/** prettyJson renders a node as indented JSON text, numbers as they were written. */
export function prettyJson(node: JsonNode, indent = 2): string {
  const parts: string[] = [];
  const write = (n: JsonNode, level: number) => {
    const pad = ' '.repeat(indent * (level + 1));
    const end = ' '.repeat(indent * level);
    switch (n.kind) {
      case 'object':
        if (n.entries.length === 0) {
          parts.push('{}');
          return;
        }
        parts.push('{\n');
        n.entries.forEach((e, i) => {
          parts.push(pad, JSON.stringify(e.key), ': ');
          write(e.value, level + 1);
          parts.push(i < n.entries.length - 1 ? ',\n' : '\n');
        });
        parts.push(end, '}');
        return;
      case 'array':
        if (n.items.length === 0) {
          parts.push('[]');
          return;
        }
        parts.push('[\n');
        n.items.forEach((v, i) => {
          parts.push(pad);
          write(v, level + 1);
          parts.push(i < n.items.length - 1 ? ',\n' : '\n');
        });
        parts.push(end, ']');
        return;
      case 'string':
        parts.push(JSON.stringify(n.value));
        return;
      case 'number':
        parts.push(n.raw);
        return;
      case 'bool':
        parts.push(n.value ? 'true' : 'false');
        return;
      case 'null':
        parts.push('null');
    }
  };
  write(node, 0);
  return parts.join('');
}

/** childPath extends a field path the way the API writes FieldNote.path (`a.b[0].c`). */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** patternOf turns a concrete path into its catalog pattern (`a[0].b` → `a[].b`). */
export function patternOf(path: string): string {
  return path.replace(/\[\d+\]/g, '[]');
}

/** summarize renders a short one-line preview of a node for collapsed tree rows. */
export function summarize(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return `{${node.entries.length} ${node.entries.length === 1 ? 'key' : 'keys'}}`;
    case 'array':
      return `[${node.items.length} ${node.items.length === 1 ? 'item' : 'items'}]`;
    case 'string':
      return JSON.stringify(node.value);
    case 'number':
      return node.raw;
    case 'bool':
      return node.value ? 'true' : 'false';
    case 'null':
      return 'null';
  }
}
