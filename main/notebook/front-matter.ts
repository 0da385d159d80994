// YAML front matter exactly where remark-frontmatter sees it: a `---` line
// (trailing spaces allowed) as the very first line, up to the next `---`
// line. Without a closing line there is no front matter (the `---` is then a
// thematic break), as in remark.

import { parseDocument } from 'yaml';
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
  const doc = parseDocument(raw, { prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): { line: number; column: number } => pointIn(raw, Math.min(offset, raw.length), 2);
  if (doc.errors.length > 0) {
    const messages = doc.errors.map((e) =>
      message(at(e.pos[0]), `front matter is not valid YAML: ${firstLine(e.message)}; fix the YAML between the --- lines`, 'front-matter-yaml', 'error', file));
    return { data: null, messages };
  }
  const value: unknown = doc.toJS();
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

/** Line and column of `offset` in `text`, whose first line is line `firstLineNo`. */
function pointIn(text: string, offset: number, firstLineNo: number): { line: number; column: number } {
  let line = firstLineNo;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
