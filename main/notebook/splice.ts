// Writing results into the notebook text as one minimal edit.
//
// Layout: the results blocks of a code block come right after its closing
// fence, each preceded by exactly one blank line, inside the same container
// (every line carries the block's container prefix, so results of a block in
// a `> ` quote or a list item stay there), with the file's line ending. The
// edit covers only the old results region (from the end of the closing
// fence's text to the end of the last results fence's text), so every other
// byte of the file, the line ending after the region included, is kept.

import { formatResultsAttrs } from './header-args.js';
import { message } from './messages.js';
import { RESULTS_LANG } from './scan.js';
import type { CodeBlock, NotebookMessage, ResultEntry, ScannedNotebook, Span, TextEdit } from './types.js';

export type SpliceMode = 'replace' | 'append';

export interface SpliceOutcome {
  /** The new text (the original text when `error` is set). */
  text: string;
  /** One edit (none when `error` is set). */
  edits: TextEdit[];
  /** Why the results could not be written; the caller keeps them elsewhere (the journal). */
  error: NotebookMessage | null;
}

/**
 * Characters shown visibly instead of written raw: C0 controls other than
 * tab and line feed, and DEL, become their Control Pictures (NUL → ␀,
 * ESC → ␛, DEL → ␡); CR LF and a lone CR become a line break; unpaired
 * surrogates become U+FFFD (what a UTF-8 file would hold anyway).
 */
export function sanitizeResultText(text: string): string {
  let out = '';
  let last = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let rep: string | null = null;
    let skip = 0;
    if (c < 0x20) {
      if (c === 9 || c === 10) continue;
      if (c === 13) {
        rep = '\n';
        if (text.charCodeAt(i + 1) === 10) skip = 1;
      } else {
        rep = String.fromCharCode(0x2400 + c);
      }
    } else if (c === 0x7f) {
      rep = '\u2421';
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const paired = c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (paired) {
        i++;
        continue;
      }
      rep = '\ufffd';
    } else {
      continue;
    }
    out += text.slice(last, i) + rep;
    i += skip;
    last = i + 1;
  }
  return last === 0 ? text : out + text.slice(last);
}

function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ch) {
      run++;
      if (run > best) best = run;
    } else {
      run = 0;
    }
  }
  return best;
}

/**
 * One results block as text, without a final line ending: the opening
 * fence with the attributes, the body, the closing fence, every line with
 * `prefix` (blank or whitespace-only lines become the prefix without its
 * trailing spaces). The
 * fence is backticks (tildes only when an attribute holds a backtick, which
 * a backtick fence's info string cannot) and longer than any run of its
 * character in the body, so no output line can close or open anything.
 */
export function renderResultsBlock(entry: ResultEntry, prefix: string, eol: '\n' | '\r\n'): string {
  let body = sanitizeResultText(entry.body);
  if (body.endsWith('\n')) body = body.slice(0, -1);
  const attrs = formatResultsAttrs(entry.attrs.map(([k, v]) => [k, sanitizeResultText(v)] as const));
  const ch = attrs.includes('`') ? '~' : '`';
  const fence = ch.repeat(Math.max(3, longestRun(body, ch) + 1));
  const lines = [`${fence}${RESULTS_LANG}${attrs ? ` ${attrs}` : ''}`, ...(entry.body === '' ? [] : body.split('\n')), fence];
  const blankPrefix = prefix.replace(/[ \t]+$/, '');
  // Whitespace-only lines are written empty: inside containers CommonMark
  // would not read their spaces back the same way everywhere.
  return lines.map((l) => (/^[ \t]*$/.test(l) ? blankPrefix : prefix + l)).join(eol);
}

/** Offset of the end of the text of the line that ends at `end` (its line ending excluded). */
function withoutEol(text: string, end: number): number {
  if (end > 0 && text.charCodeAt(end - 1) === 10) {
    return end > 1 && text.charCodeAt(end - 2) === 13 ? end - 2 : end - 1;
  }
  if (end > 0 && text.charCodeAt(end - 1) === 13) return end - 1;
  return end;
}

/** The span an edit of this block's results covers: from its closing fence's text end to the last results fence's text end. */
export function resultsRegion(nb: ScannedNotebook, block: CodeBlock): Span {
  const start = withoutEol(nb.text, block.span.end);
  const last = block.results[block.results.length - 1];
  return { start, end: last ? withoutEol(nb.text, last.span.end) : start };
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

/**
 * Write `entries` (one results block each) as the results of `block`.
 * `replace`: they take the place of the block's existing results;
 * `append`: they go after them. A block that is never closed, or whose
 * existing results are never closed, cannot take results: `error` says so
 * and the text is unchanged.
 */
export function spliceResults(
  nb: ScannedNotebook,
  block: CodeBlock,
  entries: readonly ResultEntry[],
  mode: SpliceMode,
  file?: string,
): SpliceOutcome {
  if (nb.blocks[block.index]?.span.start !== block.span.start) {
    throw new Error(`spliceResults: block ${block.index} is not a block of this scan (scan the current text and pass one of its blocks)`);
  }
  const fail = (reason: string, at: { line: number; column: number }): SpliceOutcome => ({
    text: nb.text,
    edits: [],
    error: message(at, reason, 'results-not-written', 'error', file),
  });
  if (!block.closed) {
    return fail(`cannot write results: the code block starting here is never closed; add a closing ${block.fence.char.repeat(block.fence.length)} line`, block.start);
  }
  const open = block.results.find((r) => r.closed === false);
  if (open) {
    return fail(`cannot write results: an earlier results block of this code block is never closed; close or delete it first (its fence is ${open.fence.char.repeat(open.fence.length)})`, block.start);
  }
  const region = resultsRegion(nb, block);
  const eol = nb.eol;
  const blank = block.container.prefix.replace(/[ \t]+$/, '');
  const rendered = entries.map((e) => eol + blank + eol + renderResultsBlock(e, block.container.prefix, eol)).join('');
  const span: Span = mode === 'replace' ? region : { start: region.end, end: region.end };
  const edit: TextEdit = { span, newText: rendered };
  const text = nb.text.slice(0, span.start) + rendered + nb.text.slice(span.end);
  return { text, edits: [edit], error: null };
}

/** The text without any results blocks (each block's results region removed), and the edits that do it. */
export function removeResults(nb: ScannedNotebook): { text: string; edits: TextEdit[] } {
  const edits: TextEdit[] = [];
  for (const b of nb.blocks) {
    if (b.results.length === 0) continue;
    edits.push({ span: resultsRegion(nb, b), newText: '' });
  }
  return { text: applyEdits(nb.text, edits), edits };
}
