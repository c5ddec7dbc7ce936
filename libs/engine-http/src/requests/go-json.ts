/**
 * A JSON reader that fails as Go's `json.Decoder` does, so a malformed body gets the Engine's
 * text (`invalid character 'a' looking for beginning of value`, `unexpected EOF`, ...) instead of
 * V8's. Like the Engine's `json.NewDecoder(r.Body).Decode(&req)` it reads the first value and
 * ignores what follows it. Nesting is bounded (Go allows 10,000 levels; we allow `maxDepth`), and
 * the recursion is bounded with it. Number literals are kept as written, because Go quotes them
 * (`cannot unmarshal number 1e26 into ...`).
 */
export class GoJsonSyntaxError extends Error {}

export interface GoJsonValue {
  readonly value: unknown;
  /** The literal of each number, keyed by its path (see `pathKey`). */
  readonly numberLiterals: ReadonlyMap<string, string>;
}

/** The key of a value's path in `numberLiterals`. */
export function pathKey(path: readonly (string | number)[]): string {
  return path.map(String).join('\u0000');
}

/** Parses the first JSON value of `text`; undefined when there is none (Go's io.EOF). */
export function readGoJson(text: string, maxDepth: number): GoJsonValue | undefined {
  return readPlainJson(text, maxDepth) ?? readGoJsonByHand(text, maxDepth);
}

const NO_NUMBERS: ReadonlyMap<string, string> = new Map();
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * The common body, read by V8's JSON.parse: one JSON value and nothing after it, no number (their
 * literals are kept by the hand reader for Go's texts), no UTF-16 surrogate (Go turns a lone one
 * into U+FFFD), nesting within `maxDepth`. For such a text both readers give the same value (the
 * spec compares them); anything else, errors included, is left to the hand reader.
 */
function readPlainJson(text: string, maxDepth: number): GoJsonValue | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isPlain(value, 0, maxDepth) ? { value, numberLiterals: NO_NUMBERS } : undefined;
}

function isPlain(value: unknown, depth: number, maxDepth: number): boolean {
  if (typeof value === 'string') return !SURROGATE.test(value);
  if (value === null || typeof value === 'boolean') return true;
  if (typeof value !== 'object') return false; // a number
  if (depth >= maxDepth) return false;
  if (Array.isArray(value)) return value.every((item) => isPlain(item, depth + 1, maxDepth));
  for (const key of Object.keys(value)) {
    if (SURROGATE.test(key) || !isPlain((value as Record<string, unknown>)[key], depth + 1, maxDepth)) return false;
  }
  return true;
}

/** The hand-written reader: Go's error texts, number literals, depth bound. Exported for its spec. */
export function readGoJsonByHand(text: string, maxDepth: number): GoJsonValue | undefined {
  const reader = new Reader(text, maxDepth);
  reader.skipSpace();
  if (reader.at >= text.length) return undefined;
  const value = reader.value([], 0);
  return { value, numberLiterals: reader.numbers };
}

const SPACE = new Set([' ', '\t', '\r', '\n']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't', 'u']);

class Reader {
  at = 0;
  readonly numbers = new Map<string, string>();

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  skipSpace(): void {
    while (this.at < this.text.length && SPACE.has(this.text[this.at]!)) this.at++;
  }

  value(path: (string | number)[], depth: number): unknown {
    const c = this.peek();
    if (c === '{' || c === '[') {
      if (depth >= this.maxDepth) this.fail(c, 'exceeded max depth');
      return c === '{' ? this.object(path, depth + 1) : this.array(path, depth + 1);
    }
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number(path);
    if (c === 't') return this.literal('true', true);
    if (c === 'f') return this.literal('false', false);
    if (c === 'n') return this.literal('null', null);
    return this.fail(c, 'looking for beginning of value');
  }

  private object(path: (string | number)[], depth: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.at++;
    this.skipSpace();
    if (this.peek() === '}') {
      this.at++;
      return result;
    }
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      if (c !== '"') this.fail(c, 'looking for beginning of object key string');
      const key = this.string();
      this.skipSpace();
      const colon = this.peek();
      if (colon !== ':') this.fail(colon, 'after object key');
      this.at++;
      this.skipSpace();
      path.push(key);
      // defineProperty: a key named __proto__ stays data, as JSON.parse keeps it.
      Object.defineProperty(result, key, { value: this.value(path, depth), enumerable: true, writable: true, configurable: true });
      path.pop();
      this.skipSpace();
      const next = this.peek();
      this.at++;
      if (next === '}') return result;
      if (next !== ',') this.fail(next, 'after object key:value pair');
    }
  }

  private array(path: (string | number)[], depth: number): unknown[] {
    const result: unknown[] = [];
    this.at++;
    this.skipSpace();
    if (this.peek() === ']') {
      this.at++;
      return result;
    }
    for (;;) {
      this.skipSpace();
      path.push(result.length);
      result.push(this.value(path, depth));
      path.pop();
      this.skipSpace();
      const next = this.peek();
      this.at++;
      if (next === ']') return result;
      if (next !== ',') this.fail(next, 'after array element');
    }
  }

  private string(): string {
    const start = this.at;
    this.at++;
    for (;;) {
      const c = this.peek();
      if (c === '"') break;
      if (c < ' ') this.fail(c, 'in string literal');
      if (c === '\\') {
        this.at++;
        const escape = this.peek();
        if (!ESCAPES.has(escape)) this.fail(escape, 'in string escape code');
        if (escape === 'u') {
          for (let i = 0; i < 4; i++) {
            this.at++;
            const hex = this.peek();
            if (!/[0-9a-fA-F]/.test(hex)) this.fail(hex, 'in \\u hexadecimal character escape');
          }
        }
      }
      this.at++;
    }
    this.at++;
    // The grammar was checked above; V8 unescapes (lone surrogates become U+FFFD as in Go).
    return (JSON.parse(this.text.slice(start, this.at)) as string).replace(/[\uD800-\uDFFF]/g, (s, i: number, all: string) => surrogateOrReplacement(s, i, all));
  }

  private number(path: readonly (string | number)[]): number {
    const start = this.at;
    if (this.text[this.at] === '-') this.at++;
    const first = this.peek();
    if (first === '0') this.at++;
    else if (first >= '1' && first <= '9') this.digits();
    else this.fail(first, 'in numeric literal');
    if (this.text[this.at] === '.') {
      this.at++;
      const d = this.peek();
      if (!(d >= '0' && d <= '9')) this.fail(d, 'after decimal point in numeric literal');
      this.digits();
    }
    if (this.text[this.at] === 'e' || this.text[this.at] === 'E') {
      this.at++;
      if (this.text[this.at] === '+' || this.text[this.at] === '-') this.at++;
      const d = this.peek();
      if (!(d >= '0' && d <= '9')) this.fail(d, 'in exponent of numeric literal');
      this.digits();
    }
    const literal = this.text.slice(start, this.at);
    this.numbers.set(pathKey(path), literal);
    return Number(literal);
  }

  private digits(): void {
    while (this.at < this.text.length && this.text[this.at]! >= '0' && this.text[this.at]! <= '9') this.at++;
  }

  private literal<T>(word: string, value: T): T {
    for (let i = 1; i < word.length; i++) {
      const c = this.text[this.at + i];
      if (c === undefined) throw new GoJsonSyntaxError('unexpected EOF');
      if (c !== word[i]) this.fail(c, `in literal ${word} (expecting '${word[i]}')`);
    }
    this.at += word.length;
    return value;
  }

  /** The character at the cursor; the end of the body inside a value is Go's `unexpected EOF`. */
  private peek(): string {
    const c = this.text[this.at];
    if (c === undefined) throw new GoJsonSyntaxError('unexpected EOF');
    return c;
  }

  private fail(c: string, context: string): never {
    throw new GoJsonSyntaxError(`invalid character ${quoteChar(c)} ${context}`);
  }
}

/** Go's `quoteChar`: `'x'`, with `'\''` and escapes for control characters. */
export function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const quoted = JSON.stringify(c).slice(1, -1);
  const code = c.charCodeAt(0);
  if (code < 0x20 && quoted.startsWith('\\u')) return `'\\x${code.toString(16).padStart(2, '0')}'`;
  return `'${quoted}'`;
}

function surrogateOrReplacement(s: string, i: number, all: string): string {
  const code = s.charCodeAt(0);
  const paired = code < 0xdc00 ? /[\uDC00-\uDFFF]/.test(all[i + 1] ?? '') : /[\uD800-\uDBFF]/.test(all[i - 1] ?? '');
  return paired ? s : '\uFFFD';
}
