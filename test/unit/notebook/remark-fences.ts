// What remark (unified + remark-parse + remark-frontmatter + remark-gfm)
// sees as fenced code blocks, reduced to comparable keys. remark reports
// indented code as `code` too; a node is fenced when the source at its start
// is a fence. remark's end point of a block that is never closed varies with
// its container (it may or may not include trailing blank lines and the last
// line ending), so both sides are compared on the same normal form: the
// closing fence line when closed, else the last line with code on it.

import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import type { Root, RootContent } from 'mdast';
import { fenceLines, type RawFence } from '../../../main/notebook/fences.js';

const processor = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm);

export interface FenceKey {
  start: number;
  end: number;
  /** Code text with trailing blank lines removed. */
  body: string;
}

export function trimTrailingBlankLines(value: string): string {
  const lines = value.split('\n');
  while (lines.length > 0 && /^[ \t]*$/.test(lines[lines.length - 1])) lines.pop();
  return lines.join('\n');
}

export function parseWithRemark(src: string): Root {
  return processor.parse(src);
}

export function remarkFenceKeys(src: string): FenceKey[] {
  const tree = processor.parse(src);
  const lines = src.split(/\r\n|\r|\n/);
  const keys: FenceKey[] = [];
  const visit = (node: Root | RootContent): void => {
    if (node.type === 'code' && node.position) {
      const { start, end } = node.position;
      // micromark drops a BOM before counting offsets.
      const o = (start.offset ?? 0) + (src.charCodeAt(0) === 0xfeff ? 1 : 0);
      const ch = src[o];
      if ((ch === '`' || ch === '~') && src.startsWith(ch.repeat(3), o)) {
        let endLine = end.line;
        if (end.column === 1 && endLine > start.line) endLine--;
        let closed = false;
        if (endLine > start.line) {
          const m = /^([ \t>]*)(`{3,}|~{3,})[ \t]*$/.exec(lines[endLine - 1].slice(0, end.column - 1));
          closed = m !== null && m[2][0] === ch;
        }
        const body = trimTrailingBlankLines(node.value.replace(/\r\n?/g, '\n'));
        if (!closed) endLine = start.line + (body === '' ? 0 : body.split('\n').length);
        keys.push({ start: start.line, end: endLine, body });
      }
    }
    if ('children' in node) for (const c of node.children) visit(c);
  };
  visit(tree);
  return keys;
}

export function scannerFenceKeys(text: string, fences: readonly RawFence[]): FenceKey[] {
  return fences.map((f) => {
    const body = trimTrailingBlankLines(fenceLines(text, f).join('\n'));
    const end = f.closed ? f.endLine : f.line + (body === '' ? 0 : body.split('\n').length);
    return { start: f.line, end, body };
  });
}
