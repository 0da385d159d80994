// A small strict-JSON parser that remembers where every value and key is,
// so a settings problem can be reported as file:line:column. JSON.parse
// only says "position N" for syntax errors and nothing at all for values.

export interface Position {
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units like most editors' column counters for BMP text. */
  column: number;
}

export type JsonNode =
  | { kind: 'object'; at: Position; members: JsonMember[] }
  | { kind: 'array'; at: Position; items: JsonNode[] }
  | { kind: 'string'; at: Position; value: string }
  | { kind: 'number'; at: Position; value: number }
  | { kind: 'boolean'; at: Position; value: boolean }
  | { kind: 'null'; at: Position };

export interface JsonMember {
  key: string;
  keyAt: Position;
  value: JsonNode;
}

export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
  constructor(
    readonly reason: string,
    readonly at: Position,
  ) {
    super(`${at.line}:${at.column}: ${reason}`);
  }
}

const MAX_DEPTH = 64;

/** Describes the character at `offset` for an error message. */
function describe(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the file';
  const ch = text[offset]!;
  if (ch === '\n' || ch === '\r') return 'a line break';
  return JSON.stringify(ch);
}

class Parser {
  #offset = 0;
  #line = 1;
  #lineStart = 0;

  constructor(private readonly text: string) {
    if (text.charCodeAt(0) === 0xfeff) this.#offset = 1; // editors on Windows write a BOM; it is not content
  }

  position(offset = this.#offset): Position {
    // Positions are requested at or just after the cursor; the cursor tracks lines.
    return { offset, line: this.#line, column: offset - this.#lineStart + 1 };
  }

  fail(reason: string, at: Position = this.position()): never {
    throw new JsonSyntaxError(reason, at);
  }

  parseDocument(): JsonNode {
    this.skipSpace();
    if (this.#offset >= this.text.length) this.fail('the file is empty; write a JSON object such as {}');
    const value = this.parseValue(0);
    this.skipSpace();
    if (this.#offset < this.text.length) this.fail(`unexpected ${describe(this.text, this.#offset)} after the end of the JSON value`);
    return value;
  }

  skipSpace(): void {
    const t = this.text;
    for (;;) {
      const c = t[this.#offset];
      if (c === ' ' || c === '\t' || c === '\r') this.#offset++;
      else if (c === '\n') {
        this.#offset++;
        this.#line++;
        this.#lineStart = this.#offset;
      } else if (c === '/' && (t[this.#offset + 1] === '/' || t[this.#offset + 1] === '*')) {
        this.fail('comments are not allowed in JSON; remove them (settings.json is strict JSON)');
      } else return;
    }
  }

  parseValue(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail(`values nested deeper than ${MAX_DEPTH} levels`);
    const at = this.position();
    const c = this.text[this.#offset];
    switch (c) {
      case '{':
        return this.parseObject(at, depth);
      case '[':
        return this.parseArray(at, depth);
      case '"':
        return { kind: 'string', at, value: this.parseString() };
      case 't':
        return this.parseWord('true', { kind: 'boolean', at, value: true });
      case 'f':
        return this.parseWord('false', { kind: 'boolean', at, value: false });
      case 'n':
        return this.parseWord('null', { kind: 'null', at });
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.parseNumber(at);
        if (c === "'") this.fail('strings must use double quotes in JSON');
        return this.fail(`expected a value, found ${describe(this.text, this.#offset)}`);
    }
  }

  parseWord<T extends JsonNode>(word: string, node: T): T {
    if (this.text.startsWith(word, this.#offset)) {
      this.#offset += word.length;
      return node;
    }
    return this.fail(`expected a value, found ${describe(this.text, this.#offset)}`);
  }

  parseNumber(at: Position): JsonNode {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.#offset, this.#offset + 400));
    if (!match) this.fail(`malformed number`, at);
    this.#offset += match[0].length;
    const next = this.text[this.#offset];
    if (next !== undefined && /[\w.]/.test(next)) this.fail(`malformed number`, at);
    return { kind: 'number', at, value: Number(match[0]) };
  }

  parseString(): string {
    const start = this.position();
    const t = this.text;
    this.#offset++; // opening quote
    let out = '';
    let runStart = this.#offset;
    for (;;) {
      const c = t[this.#offset];
      if (c === undefined) this.fail('unterminated string: add the closing "', start);
      if (c === '"') {
        out += t.slice(runStart, this.#offset);
        this.#offset++;
        return out;
      }
      if (c === '\n' || c === '\r' || c.charCodeAt(0) < 0x20) {
        this.fail(c === '\n' || c === '\r' ? 'unterminated string: a line break inside a string (add the closing " or write \\n)' : 'control character inside a string; escape it');
      }
      if (c === '\\') {
        out += t.slice(runStart, this.#offset);
        const e = t[this.#offset + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          this.#offset += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(this.#offset + 2, this.#offset + 6))) {
          out += String.fromCharCode(parseInt(t.slice(this.#offset + 2, this.#offset + 6), 16));
          this.#offset += 6;
        } else {
          this.fail(`invalid escape \\${e ?? ''} in a string`);
        }
        runStart = this.#offset;
        continue;
      }
      this.#offset++;
    }
  }

  parseObject(at: Position, depth: number): JsonNode {
    this.#offset++;
    const members: JsonMember[] = [];
    this.skipSpace();
    if (this.text[this.#offset] === '}') {
      this.#offset++;
      return { kind: 'object', at, members };
    }
    for (;;) {
      this.skipSpace();
      const keyAt = this.position();
      if (this.text[this.#offset] !== '"') {
        if (this.text[this.#offset] === '}' && members.length > 0) this.fail('trailing comma before } is not allowed in JSON');
        this.fail(`expected a key in double quotes, found ${describe(this.text, this.#offset)}`);
      }
      const key = this.parseString();
      this.skipSpace();
      if (this.text[this.#offset] !== ':') this.fail(`expected ":" after the key "${key}", found ${describe(this.text, this.#offset)}`);
      this.#offset++;
      this.skipSpace();
      const value = this.parseValue(depth + 1);
      members.push({ key, keyAt, value });
      this.skipSpace();
      const c = this.text[this.#offset];
      if (c === ',') {
        this.#offset++;
        continue;
      }
      if (c === '}') {
        this.#offset++;
        return { kind: 'object', at, members };
      }
      this.fail(`expected "," or "}" after the value of "${key}", found ${describe(this.text, this.#offset)}`);
    }
  }

  parseArray(at: Position, depth: number): JsonNode {
    this.#offset++;
    const items: JsonNode[] = [];
    this.skipSpace();
    if (this.text[this.#offset] === ']') {
      this.#offset++;
      return { kind: 'array', at, items };
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.#offset] === ']' && items.length > 0) this.fail('trailing comma before ] is not allowed in JSON');
      items.push(this.parseValue(depth + 1));
      this.skipSpace();
      const c = this.text[this.#offset];
      if (c === ',') {
        this.#offset++;
        continue;
      }
      if (c === ']') {
        this.#offset++;
        return { kind: 'array', at, items };
      }
      this.fail(`expected "," or "]" in the list, found ${describe(this.text, this.#offset)}`);
    }
  }
}

/** Parses strict JSON (a leading BOM is tolerated); throws JsonSyntaxError with a position. */
export function parseJsonDocument(text: string): JsonNode {
  return new Parser(text).parseDocument();
}

/** The plain JavaScript value of a node. */
export function plainValue(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object': {
      const o: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const m of node.members) o[m.key] = plainValue(m.value);
      return o;
    }
    case 'array':
      return node.items.map(plainValue);
    case 'null':
      return null;
    default:
      return node.value;
  }
}
