// settings.json as a tree with a position for every key and value, read
// the way VS Code reads its own settings (jsonc-parser: comments and trailing
// commas allowed), and its syntax errors put into words at the place the
// reader should look. Validation of the values is validate.ts's.

import { createScanner, parseTree, printParseErrorCode, ParseErrorCode, SyntaxKind, type Node as TreeNode, type ParseError } from 'jsonc-parser';

/** jsonc-parser recurses once per level; far below this the stack is safe, far above it no settings file goes. */
const MAX_DEPTH = 64;
/** More mistakes than this and the file is likely not a settings file at all; the banner stays readable. */
const MAX_SYNTAX_PROBLEMS = 50;

// ---------------------------------------------------------------- positions

export interface Position {
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units like most editors' column counters for BMP text. */
  column: number;
}

/** Offsets to lines and columns; \n, \r\n and a lone \r each end a line, as in editors. */
class LineMap {
  readonly #starts = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) this.#starts.push(i + 1);
    }
  }

  at(offset: number): Position {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.#starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { offset, line: low + 1, column: offset - this.#starts[low]! + 1 };
  }
}

// ---------------------------------------------------------------- the document

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

/** jsonc-parser's tree of a file without syntax errors, with positions instead of offsets. */
function toJsonNode(node: TreeNode, lines: LineMap): JsonNode {
  const at = lines.at(node.offset);
  const children = node.children ?? [];
  switch (node.type) {
    case 'object':
      return {
        kind: 'object',
        at,
        members: children.map((property) => {
          const [key, value] = property.children ?? [];
          if (!key || !value) throw new Error(`jsonc-parser gave a property without key or value at offset ${property.offset}`);
          return { key: key.value as string, keyAt: lines.at(key.offset), value: toJsonNode(value, lines) };
        }),
      };
    case 'array':
      return { kind: 'array', at, items: children.map((item) => toJsonNode(item, lines)) };
    case 'string':
      return { kind: 'string', at, value: node.value as string };
    case 'number':
      return { kind: 'number', at, value: node.value as number };
    case 'boolean':
      return { kind: 'boolean', at, value: node.value as boolean };
    case 'null':
      return { kind: 'null', at };
    case 'property':
      throw new Error(`jsonc-parser gave a property outside an object at offset ${node.offset}`);
  }
}

interface Token {
  kind: SyntaxKind;
  offset: number;
  length: number;
}

/** A syntax error in words, at the offset the reader should look at. */
interface SyntaxProblem {
  offset: number;
  reason: string;
  /** The object or list the problem is about, so a later error about the same one is not reported again. */
  about?: TreeNode;
}

function tokenize(text: string): Token[] {
  const scanner = createScanner(text, true);
  const tokens: Token[] = [];
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    tokens.push({ kind, offset: scanner.getTokenOffset(), length: scanner.getTokenLength() });
  }
  return tokens;
}

function tooDeep(tokens: Token[]): Token | undefined {
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === SyntaxKind.OpenBraceToken || t.kind === SyntaxKind.OpenBracketToken) {
      depth++;
      if (depth > MAX_DEPTH) return t;
    } else if (t.kind === SyntaxKind.CloseBraceToken || t.kind === SyntaxKind.CloseBracketToken) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** The index of the first item at or after `offset`, in items sorted by offset (tokens, a node's children). */
function firstAtOrAfter(items: readonly { offset: number }[], offset: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (items[mid]!.offset < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Describes the character at `offset` for an error message. */
function describe(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the file';
  const ch = text[offset]!;
  if (ch === '\n' || ch === '\r') return 'a line break';
  return JSON.stringify(ch);
}

/** After these, jsonc-parser skips tokens up to the next "," "}" or "]". */
const RESYNCING = new Set([ParseErrorCode.PropertyNameExpected, ParseErrorCode.ColonExpected, ParseErrorCode.ValueExpected]);
const RESYNC_TOKENS = new Set([SyntaxKind.CommaToken, SyntaxKind.CloseBraceToken, SyntaxKind.CloseBracketToken]);

/** What the reader expected where an error is: a key, a value, a separator after a value, or nothing (after the root value). */
type Slot = 'key' | 'value' | 'separator' | 'end';

/**
 * Puts jsonc-parser's error codes into words. The parser recovers from a
 * mistake by skipping tokens and may report again while it does; those
 * echoes are left out, so each mistake gets one message.
 */
class SyntaxExplainer {
  /** For each token, the index of the first "," "}" or "]" at or after it (tokens.length when none). */
  readonly #nextResync: number[];

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
    private readonly root: TreeNode | undefined,
    private readonly lines: LineMap,
  ) {
    this.#nextResync = new Array<number>(tokens.length + 1).fill(tokens.length);
    for (let i = tokens.length - 1; i >= 0; i--) this.#nextResync[i] = RESYNC_TOKENS.has(tokens[i]!.kind) ? i : this.#nextResync[i + 1]!;
  }

  explainAll(errors: ParseError[]): SyntaxProblem[] {
    const problems: SyntaxProblem[] = [];
    const mentioned = new Set<TreeNode>();
    let previous: ParseError | undefined;
    for (const error of [...errors].sort((a, b) => a.offset - b.offset)) {
      const echo = previous !== undefined && this.isEcho(previous, error);
      previous = error;
      if (echo) continue;
      if (problems.length === MAX_SYNTAX_PROBLEMS) {
        problems.push({ offset: error.offset, reason: `stopped after ${MAX_SYNTAX_PROBLEMS} syntax errors; more follow from here (is this the settings file?)` });
        break;
      }
      const problem = this.explain(error);
      const closing = error.error === ParseErrorCode.CloseBraceExpected || error.error === ParseErrorCode.CloseBracketExpected;
      if (problem.about) {
        if (closing && mentioned.has(problem.about)) continue;
        mentioned.add(problem.about);
      }
      problems.push(problem);
    }
    return problems;
  }

  /**
   * Within the previous error, up to the "," "}" or "]" where the parser
   * picks up again after a missing key, colon or value, or with nothing but
   * spaces and comments between.
   */
  isEcho(previous: ParseError, next: ParseError): boolean {
    const end = previous.offset + previous.length;
    if (next.offset <= end) return true;
    if (RESYNCING.has(previous.error)) {
      const resync = this.tokens[this.#nextResync[firstAtOrAfter(this.tokens, previous.offset)]!];
      if (resync && next.offset <= resync.offset) return true;
    }
    const between = this.tokens[firstAtOrAfter(this.tokens, end)];
    return between === undefined || between.offset >= next.offset;
  }

  explain(error: ParseError): SyntaxProblem {
    const { offset } = error;
    const found = describe(this.text, offset);
    switch (error.error) {
      case ParseErrorCode.ValueExpected:
        if (this.tokens.length === 0) {
          return { offset: 0, reason: `${this.text.trim() === '' ? 'the file is empty' : 'the file holds only comments'}; write a JSON object such as {}` };
        }
        return this.slotAt(offset) === 'key' ? { offset, reason: `expected a key in double quotes, found ${found}` } : { offset, reason: `expected a value, found ${found}` };
      case ParseErrorCode.PropertyNameExpected:
        return { offset, reason: `expected a key in double quotes, found ${found}` };
      case ParseErrorCode.ColonExpected: {
        const key = this.keyBefore(offset);
        return { offset, reason: `expected ":" after the key${key === undefined ? '' : ` ${JSON.stringify(key)}`}, found ${found}` };
      }
      case ParseErrorCode.CommaExpected:
        return this.gluedNumber(offset) ?? this.missingSeparator(offset);
      case ParseErrorCode.CloseBraceExpected:
        return this.unclosed(offset, 'object');
      case ParseErrorCode.CloseBracketExpected:
        return this.unclosed(offset, 'array');
      case ParseErrorCode.InvalidSymbol:
        return this.invalidSymbol(error);
      case ParseErrorCode.EndOfFileExpected:
        return { offset, reason: `unexpected ${found} after the end of the JSON value` };
      case ParseErrorCode.InvalidNumberFormat:
      case ParseErrorCode.UnexpectedEndOfNumber:
        return { offset, reason: 'malformed number' };
      case ParseErrorCode.UnexpectedEndOfString: {
        const atLineBreak = /[\r\n]/.test(this.text[offset + error.length] ?? '');
        return { offset, reason: atLineBreak ? 'unterminated string: a line break inside a string (add the closing " or write \\n)' : 'unterminated string: add the closing "' };
      }
      case ParseErrorCode.UnexpectedEndOfComment:
        return { offset, reason: 'unterminated comment: add the closing */' };
      case ParseErrorCode.InvalidEscapeCharacter:
      case ParseErrorCode.InvalidUnicode:
        return this.badEscape(error);
      case ParseErrorCode.InvalidCharacter:
        return this.controlCharacter(error);
      default:
        return { offset, reason: `cannot read the JSON here (${printParseErrorCode(error.error)})` };
    }
  }

  invalidSymbol(error: ParseError): SyntaxProblem {
    const { offset } = error;
    const symbol = this.text.slice(offset, offset + error.length);
    const slot = this.slotAt(offset);
    if (slot === 'end') return { offset, reason: `unexpected ${describe(this.text, offset)} after the end of the JSON value` };
    if (symbol.startsWith("'")) return { offset, reason: 'strings must use double quotes in JSON' };
    if (slot === 'key') {
      if (/^[A-Za-z_$][\w$-]*$/.test(symbol)) return { offset, reason: `keys must be in double quotes: write ${JSON.stringify(symbol)}` };
      return { offset, reason: `expected a key in double quotes, found ${describe(this.text, offset)}` };
    }
    if (slot === 'value') {
      if (/^[-+.\d]/.test(symbol)) return { offset, reason: 'malformed number' };
      return { offset, reason: `expected a value, found ${describe(this.text, offset)}` };
    }
    return this.gluedNumber(offset) ?? this.missingSeparator(offset);
  }

  /** "012", "0x10", "1.5.2": the scanner stops after a valid number and the rest looks like a second value. */
  gluedNumber(offset: number): SyntaxProblem | undefined {
    const before = this.tokenBefore(offset);
    if (before?.kind !== SyntaxKind.NumericLiteral || before.offset + before.length !== offset) return undefined;
    return /[\w.]/.test(this.text[offset] ?? '') ? { offset: before.offset, reason: 'malformed number' } : undefined;
  }

  missingSeparator(offset: number): SyntaxProblem {
    const found = describe(this.text, offset);
    const container = this.containerAt(offset);
    if (container?.type === 'array') {
      // Often the list was never closed and what follows belongs to the object around it.
      return { offset, reason: `expected "," or "]" in the list opened at ${this.where(container)}, found ${found}`, about: container };
    }
    const key = this.keyBefore(offset);
    return { offset, reason: `expected "," or "}"${key === undefined ? '' : ` after the value of ${JSON.stringify(key)}`}, found ${found}` };
  }

  unclosed(offset: number, type: 'object' | 'array'): SyntaxProblem {
    const container = this.containerAt(offset, type);
    const [close, what] = type === 'object' ? ['}', 'object'] : [']', 'list'];
    const opened = container ? ` opened at ${this.where(container)}` : '';
    const reason = offset >= this.text.length
      ? `the file ends before the "${close}" that closes the ${what}${opened}`
      : `expected "${close}" to close the ${what}${opened}, found ${describe(this.text, offset)}`;
    return container ? { offset, reason, about: container } : { offset, reason };
  }

  /** The scanner reports a bad escape for the whole string; point at the backslash. */
  badEscape(error: ParseError): SyntaxProblem {
    const end = error.offset + error.length;
    for (let i = error.offset + 1; i < end; i++) {
      if (this.text[i] !== '\\') continue;
      const e = this.text[i + 1] ?? '';
      if (e === 'u') {
        const hex = /^[0-9a-fA-F]{0,4}/.exec(this.text.slice(i + 2, i + 6))![0];
        if (hex.length === 4) {
          i += 5;
          continue;
        }
        return { offset: i, reason: `invalid escape \\u${hex} in a string: \\u takes four hex digits, e.g. \\u00e9` };
      }
      if ('"\\/bfnrt'.includes(e)) {
        i++;
        continue;
      }
      return { offset: i, reason: `invalid escape \\${e} in a string; write \\\\ for a backslash (e.g. "C:\\\\Users")` };
    }
    return { offset: error.offset, reason: 'invalid escape in a string' };
  }

  controlCharacter(error: ParseError): SyntaxProblem {
    const end = error.offset + error.length;
    for (let i = error.offset + 1; i < end; i++) {
      const code = this.text.charCodeAt(i);
      if (code >= 0x20) continue;
      if (code === 0x09) return { offset: i, reason: 'a tab inside a string; write it as \\t' };
      const escape = `\\u${code.toString(16).padStart(4, '0')}`;
      return { offset: i, reason: `a control character (U+${escape.slice(2).toUpperCase()}) inside a string; write it as ${escape}` };
    }
    return { offset: error.offset, reason: 'a control character inside a string; escape it' };
  }

  slotAt(offset: number): Slot {
    if (this.root && offset >= this.root.offset + this.root.length) return 'end';
    const before = this.tokenBefore(offset);
    switch (before?.kind) {
      case undefined:
      case SyntaxKind.ColonToken:
      case SyntaxKind.OpenBracketToken:
        return 'value';
      case SyntaxKind.OpenBraceToken:
        return 'key';
      case SyntaxKind.CommaToken:
        return this.containerAt(offset)?.type === 'object' ? 'key' : 'value';
      default:
        return 'separator';
    }
  }

  tokenBefore(offset: number): Token | undefined {
    return this.tokens[firstAtOrAfter(this.tokens, offset) - 1];
  }

  /** The innermost object or list (of `type`, when given) that `offset` is inside. */
  containerAt(offset: number, type?: 'object' | 'array'): TreeNode | undefined {
    let found: TreeNode | undefined;
    // Siblings do not overlap: only the last child that starts before `offset` can hold it.
    for (let node = this.root; node && node.offset < offset && offset <= node.offset + node.length;) {
      if ((node.type === 'object' || node.type === 'array') && (type === undefined || node.type === type)) found = node;
      const children = node.children ?? [];
      node = children[firstAtOrAfter(children, offset) - 1];
    }
    return found;
  }

  /** The last key written before `offset` in the object around it. */
  keyBefore(offset: number): string | undefined {
    const properties = this.containerAt(offset, 'object')?.children ?? [];
    const property = properties[firstAtOrAfter(properties, offset) - 1];
    const key = property?.children?.[0]?.value as unknown;
    return typeof key === 'string' ? key : undefined;
  }

  where(node: TreeNode): string {
    const at = this.lines.at(node.offset);
    return `${at.line}:${at.column}`;
  }
}

export type ReadDocument = { root: JsonNode; syntax: [] } | { root: null; syntax: { at: Position; reason: string }[] };

/** Parses JSON with comments and trailing commas; syntax errors come back in words, positioned. */
export function readDocument(text: string): ReadDocument {
  const lines = new LineMap(text);
  const tokens = tokenize(text);
  const deep = tooDeep(tokens);
  if (deep) return { root: null, syntax: [{ at: lines.at(deep.offset), reason: `values nested deeper than ${MAX_DEPTH} levels` }] };
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  if (errors.length === 0 && tree) return { root: toJsonNode(tree, lines), syntax: [] };
  const problems = new SyntaxExplainer(text, tokens, tree, lines).explainAll(errors);
  return { root: null, syntax: problems.map((p) => ({ at: lines.at(p.offset), reason: p.reason })) };
}
