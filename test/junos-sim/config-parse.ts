// Curly-brace configuration text → a tree, with Junos-style errors. Like
// Junos, a statement that does not parse is reported and skipped (its block
// with it) while the rest loads, which is why careful clients roll back
// after a failed load. Tags (`inactive:`, `replace:`…) and `/* annotations
// */` attach to the statement they precede; `#` comments are dropped.

import { resolve, type Shape } from './config-path.js';
import { ensurePath } from './config-edit.js';
import { LexError, tokenize, type Token } from './config-lexer.js';
import { UNKNOWN_BLOCK } from './config-schema.js';
import { findChild, newRoot, type ConfigNode, type LoadTag } from './config-tree.js';

export interface ConfigError {
  severity: 'error' | 'warning';
  message: string;
  /** Hierarchy words of the `[edit …]` path. */
  path: string[];
  badElement?: string;
  line?: number;
  column?: number;
}

export interface ParseResult {
  tree: ConfigNode;
  errors: ConfigError[];
}

const TAGS = new Map<string, LoadTag | 'inactive' | 'protect'>([
  ['inactive:', 'inactive'],
  ['protect:', 'protect'],
  ['replace:', 'replace'],
  ['delete:', 'delete'],
  ['active:', 'active'],
  ['unprotect:', 'unprotect'],
]);

class CurlyParser {
  #pos = 0;
  readonly errors: ConfigError[] = [];

  constructor(private readonly tokens: Token[]) {}

  parse(): ConfigNode {
    const root = newRoot();
    this.#block(root, [], 0);
    return root;
  }

  #error(message: string, path: string[], token: Token | undefined, badElement?: string): void {
    this.errors.push({ severity: 'error', message, path, badElement: badElement ?? token?.text, line: token?.line, column: token?.column });
  }

  /** Skips a balanced `{ … }` whose `{` was just consumed. */
  #skipBlock(): void {
    let depth = 1;
    while (depth > 0) {
      const t = this.tokens[this.#pos++];
      if (!t) return;
      if (t.type === '{') depth += 1;
      if (t.type === '}') depth -= 1;
    }
  }

  #block(parent: ConfigNode, path: string[], depth: number): void {
    for (;;) {
      let annotation: string | undefined;
      const tags: string[] = [];
      const words: string[] = [];
      let bracketed = false;
      let first: Token | undefined;
      let end: Token | undefined;
      for (;;) {
        const t = this.tokens[this.#pos];
        if (!t) break;
        if (t.type === 'annotation' && words.length === 0 && tags.length === 0) {
          annotation = t.text;
          this.#pos += 1;
          continue;
        }
        if (t.type === 'word' && words.length === 0 && TAGS.has(t.text)) {
          tags.push(TAGS.get(t.text)!);
          this.#pos += 1;
          continue;
        }
        if (t.type === 'word' || t.type === '[' || t.type === ']') {
          first ??= t;
          if (t.type === 'word') words.push(t.text);
          else bracketed = true;
          this.#pos += 1;
          continue;
        }
        end = t;
        break;
      }
      if (!end) {
        if (words.length > 0) this.#error("syntax error, expecting ';' or '{'", path, this.tokens[this.tokens.length - 1]);
        if (depth > 0) this.#error("syntax error, expecting '}'", path, this.tokens[this.tokens.length - 1], '}');
        return;
      }
      if (end.type === 'annotation') {
        // An annotation between words: Junos allows it only before a statement.
        this.#error('syntax error', path, end, '/*');
        this.#pos += 1;
        continue;
      }
      if (end.type === '}') {
        this.#pos += 1;
        if (words.length > 0) this.#error("syntax error, expecting ';' or '{'", path, end, words[words.length - 1]);
        if (depth === 0) {
          this.#error('syntax error', path, end, '}');
          continue;
        }
        return;
      }
      this.#pos += 1;
      if (words.length === 0) {
        if (end.type === '{') {
          this.#error('syntax error', path, end, '{');
          this.#skipBlock();
        }
        continue;
      }
      const shape: Shape = end.type === '{' ? 'block' : 'leaf';
      const resolved = resolve(parent.block ?? UNKNOWN_BLOCK, words, shape, parent, bracketed);
      if (resolved.error) {
        const bad = resolved.error.badElement;
        this.#error(resolved.error.message, [...path, ...resolved.error.at], first, bad);
        if (shape === 'block') this.#skipBlock();
        continue;
      }
      const steps = resolved.steps;
      const last = steps[steps.length - 1]!;
      if (shape === 'block' && last.kind !== 'container' && last.kind !== 'list') {
        this.#error('syntax error', [...path, ...steps.slice(0, -1).flatMap((s) => s.words)], end, '{');
        this.#skipBlock();
        continue;
      }
      this.#repeatedUnknownLeaf(parent, steps);
      const made = ensurePath(parent, steps);
      if (annotation !== undefined) made.annotation = annotation;
      for (const tag of tags) {
        if (tag === 'inactive') made.inactive = true;
        else if (tag === 'protect') made.protect = true;
        else (made.tags ??= new Set()).add(tag as LoadTag);
      }
      if (shape === 'block') this.#block(made, [...path, ...steps.flatMap((s) => s.words)], depth + 1);
    }
  }

  /**
   * A statement the schema does not know, seen twice with different values
   * in one block (`server 192.0.2.1; server 192.0.2.2;`), is a list of
   * values, not a leaf the second one replaces.
   */
  #repeatedUnknownLeaf(parent: ConfigNode, steps: ReturnType<typeof resolve>['steps'] & object): void {
    if (steps.length !== 1) return;
    const step = steps[0]!;
    if (step.kind !== 'leaf' || step.spec) return;
    const existing = findChild(parent, step.words.join(' '));
    if (!existing || existing.kind !== 'leaf' || existing.values.join(' ') === step.values.join(' ')) return;
    existing.kind = 'multi';
    existing.words = [...existing.words, ...existing.values];
    existing.values = [];
    step.kind = 'multi';
    step.words = [...step.words, ...step.values];
    step.values = [];
  }
}

export function parseCurly(text: string): ParseResult {
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (err) {
    if (!(err instanceof LexError)) throw err;
    return { tree: newRoot(), errors: [{ severity: 'error', message: `syntax error, ${err.message}`, path: [], line: err.line, column: err.column }] };
  }
  const parser = new CurlyParser(tokens);
  const tree = parser.parse();
  return { tree, errors: parser.errors };
}
