// YAML front matter exactly where remark-frontmatter sees it: a `---` line
// (trailing spaces allowed) as the very first line, up to the next `---`
// line. Without a closing line there is no front matter (the `---` is then a
// thematic break), as in remark.

import { isAlias, isCollection, isMap, isPair, isScalar, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { FRONT_MATTER_ALIASES_RULE } from './limits.js';
import { message } from './messages.js';
import type { FrontMatter, NotebookMessage } from './types.js';

export interface FrontMatterScan {
  frontMatter: FrontMatter | null;
  /** Where Markdown starts after the front matter (or `from`). */
  next: number;
  /** The 1-based line number at `next`. */
  nextLine: number;
  messages: NotebookMessage[];
}

/** Offset after the line ending of the line that ends at `end` (\n, \r\n or \r). */
function afterEol(s: string, end: number): number {
  if (end >= s.length) return end;
  if (s.charCodeAt(end) === 13 && s.charCodeAt(end + 1) === 10) return end + 2;
  return end + 1;
}

function lineEnd(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return s.length;
}

function isDashFence(s: string, from: number, end: number): boolean {
  if (end - from < 3 || !s.startsWith('---', from)) return false;
  for (let i = from + 3; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

export function scanFrontMatter(s: string, from: number, file?: string): FrontMatterScan {
  const none: FrontMatterScan = { frontMatter: null, next: from, nextLine: 1, messages: [] };
  const firstEnd = lineEnd(s, from);
  if (!isDashFence(s, from, firstEnd) || firstEnd >= s.length) return none;
  const rawStart = afterEol(s, firstEnd);
  let pos = rawStart;
  let line = 2;
  while (pos < s.length) {
    const end = lineEnd(s, pos);
    if (isDashFence(s, pos, end)) {
      const raw = s.slice(rawStart, pos);
      const next = afterEol(s, end);
      const { data, messages } = parseYaml(raw, file);
      return {
        frontMatter: { span: { start: from, end: next }, raw, data },
        next,
        nextLine: line + 1,
        messages,
      };
    }
    pos = afterEol(s, end);
    line++;
  }
  return {
    ...none,
    messages: [message({ line: 1, column: 1 },
      'the first line is --- but no closing --- line follows, so this is not front matter; add the closing --- line (or start the file with something else: remark then misreads the rest of the file)',
      'front-matter-unclosed', 'warning', file)],
  };
}

function parseYaml(raw: string, file?: string): { data: Record<string, unknown> | null; messages: NotebookMessage[] } {
  // Duplicate keys are found here, not by yaml's uniqueKeys: that compares
  // each key with every earlier one (3000 variables took a second).
  const doc = parseDocument(raw, { prettyErrors: false, uniqueKeys: false });
  const at = pointsIn(raw, 2);
  const problems: { offset: number; text: string }[] = doc.errors.map((e) => ({ offset: e.pos[0], text: firstLine(e.message) }));
  for (const offset of duplicateKeys(doc)) problems.push({ offset, text: 'Map keys must be unique' });
  if (problems.length > 0) {
    problems.sort((a, b) => a.offset - b.offset);
    const messages = problems.map((p) =>
      message(at(p.offset), `front matter is not valid YAML: ${p.text}; fix the YAML between the --- lines`, 'front-matter-yaml', 'error', file));
    return { data: null, messages };
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (err) {
    // yaml refuses aliases that expand past its maxAliasCount (a "billion
    // laughs" front matter of 200 bytes would expand to gigabytes).
    const aliases = /alias/i.test(err instanceof Error ? err.message : '');
    const reason = aliases
      ? 'front matter YAML aliases (*name) expand to too much data; Modus does not read this notebook (write the values out instead of nesting aliases)'
      : `front matter YAML cannot be read: ${err instanceof Error ? firstLine(err.message) : String(err)}`;
    return { data: null, messages: [message(at(firstAliasOffset(doc) ?? 0), reason, aliases ? FRONT_MATTER_ALIASES_RULE : 'front-matter-yaml', 'error', file)] };
  }
  if (value === null || value === undefined) return { data: {}, messages: [] };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return {
      data: null,
      messages: [message(at(0), 'front matter must be a YAML mapping (key: value lines), not a list or a single value', 'front-matter-yaml', 'error', file)],
    };
  }
  return { data: value as Record<string, unknown>, messages: [] };
}

function firstLine(text: string): string {
  const i = text.indexOf('\n');
  return (i < 0 ? text : text.slice(0, i)).replace(/[:\s]+$/, '');
}

/**
 * Line and column of offsets in `text`, whose first line is line
 * `firstLineNo`. The line starts are found once: YAML can report an error
 * per line, and walking from the start for each was quadratic.
 */
function pointsIn(text: string, firstLineNo: number): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return (offset) => {
    const o = Math.max(0, Math.min(offset, text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: firstLineNo + lo, column: o - starts[lo] + 1 };
  };
}

/** Where keys repeat an earlier key of the same mapping (equal scalar values), walking without recursion. */
function duplicateKeys(doc: Document): number[] {
  const out: number[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key)) {
          if (seen.has(key.value)) out.push(key.range?.[0] ?? 0);
          else seen.add(key.value);
        }
        stack.push(key, pair.value);
      }
    } else if (isCollection(node)) {
      for (const item of node.items) stack.push(item);
    } else if (isPair(node)) {
      stack.push(node.key, node.value);
    }
  }
  return out;
}

/** Where the first alias is, walking the document without recursion (it may nest deeply). */
function firstAliasOffset(doc: Document): number | null {
  const stack: unknown[] = [doc.contents];
  let first: number | null = null;
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      const offset = node.range?.[0];
      if (offset !== undefined && (first === null || offset < first)) first = offset;
    } else if (isPair(node)) {
      stack.push(node.key, node.value);
    } else if (isCollection(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return first;
}
