// The scan of a notebook after results were spliced into it, made from the
// scan before instead of from scratch. Splicing adds or replaces results
// blocks only, between a code block and the next: every code block keeps its
// index, those after the edit move by the edit's length and line count, and
// the edited block's results are read back from the lines that were
// written. Why: `modus run` rescanned the whole file after every block's
// results, which made a run of 20,000 one-line blocks quadratic (per-block
// cost 17 → 84 ms by block 9,000). Agreement with a fresh scan is a property
// test (test/unit/notebook/scan-after-splice.property.test.ts). Pure.

import { parseResultsAttrs } from './header-args.js';
import { RESULTS_LANG } from './scan.js';
import type { CodeBlock, NotebookMessage, Point, ResultsBlock, ScannedNotebook, Span, TextEdit } from './types.js';

function lineBreaks(text: string, from = 0, to = text.length): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}

/** Length of the line break at `at` (0 at the end of the text or where none is). */
function breakAt(text: string, at: number): number {
  const c = text.charCodeAt(at);
  if (c === 13) return text.charCodeAt(at + 1) === 10 ? 2 : 1;
  return c === 10 ? 1 : 0;
}

/** End of the line that starts at `at` (its line break excluded). */
function lineEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
  return i;
}

function moved(p: Point, offsets: number, lines: number): Point {
  return { line: p.line + lines, column: p.column, offset: p.offset + offsets };
}

function movedSpan(s: Span, by: number): Span {
  return { start: s.start + by, end: s.end + by };
}

/**
 * The results blocks written between `from` and `to` of `text` (each one's
 * opening fence line starts with `prefix`, blank lines are `prefix` without
 * its trailing spaces); `null` when the lines are not what splicing writes.
 */
function readWrittenResults(text: string, from: number, to: number, prefix: string): ResultsBlock[] | null {
  const blank = prefix.replace(/[ \t]+$/, '');
  const out: ResultsBlock[] = [];
  let pos = from;
  while (pos < to) {
    // A line break ends the line before; a blank line; another break; then the opening fence line.
    pos += breakAt(text, pos);
    let end = lineEnd(text, pos);
    if (text.slice(pos, end) !== blank) return null;
    pos = end + breakAt(text, end);
    const open = pos;
    end = lineEnd(text, open);
    const fenceAt = open + prefix.length;
    const char = text[fenceAt];
    if (text.slice(open, fenceAt) !== prefix || (char !== '`' && char !== '~')) return null;
    let length = 0;
    while (text[fenceAt + length] === char) length++;
    const rest = text.slice(fenceAt + length, end);
    if (!rest.startsWith(RESULTS_LANG)) return null;
    const attrs = parseResultsAttrs(rest.slice(RESULTS_LANG.length).trim());
    const closing = prefix + char.repeat(length);
    const body: string[] = [];
    pos = end + breakAt(text, end);
    for (;;) {
      if (pos > to) return null;
      end = lineEnd(text, pos);
      const line = text.slice(pos, end);
      if (line === closing) break;
      body.push(line === blank ? '' : line.slice(prefix.length));
      pos = end + breakAt(text, end);
    }
    out.push({
      span: { start: open, end: end + breakAt(text, end) },
      attrs,
      body: body.join('\n'),
      fence: { char, length, indent: 0 },
      closed: true,
    });
    pos = end;
  }
  return out;
}

/**
 * `nb` after `edit` (one splice of `block`'s results) was applied, giving
 * `text`. Null when the edit is not one this can follow (the caller scans
 * the text instead).
 */
export function scanAfterSplice(nb: ScannedNotebook, block: CodeBlock, edit: TextEdit, text: string): ScannedNotebook | null {
  const { start, end } = edit.span;
  const delta = edit.newText.length - (end - start);
  const lineDelta = lineBreaks(edit.newText) - lineBreaks(nb.text, start, end);
  const written = readWrittenResults(text, start, start + edit.newText.length, block.container.prefix);
  if (written === null) return null;
  // The last written block ends with the line break that followed the edit; the line the edit
  // began on (the code block's closing fence, or the last results kept) ends with the first one written.
  const last = written[written.length - 1];
  if (last) last.span.end = start + edit.newText.length + breakAt(text, start + edit.newText.length);
  const lineBeforeEnds = start + breakAt(text, start);
  // Results before the edit stay (append); those it replaced go.
  const kept = block.results
    .filter((r) => r.span.end <= start + breakAt(nb.text, start))
    .map((r, i, all) => (i === all.length - 1 ? { ...r, span: { start: r.span.start, end: lineBeforeEnds } } : r));
  const edited: CodeBlock = {
    ...block,
    span: kept.length > 0 ? block.span : { start: block.span.start, end: lineBeforeEnds },
    results: [...kept, ...written],
  };
  const blocks = nb.blocks.map((b): CodeBlock => {
    if (b.index < block.index) return b;
    if (b.index === block.index) return edited;
    return {
      ...b,
      span: movedSpan(b.span, delta),
      start: moved(b.start, delta, lineDelta),
      argsStart: moved(b.argsStart, delta, lineDelta),
      bodySpan: movedSpan(b.bodySpan, delta),
      ...(b.bodyLineStarts ? { bodyLineStarts: b.bodyLineStarts.map((p) => moved(p, delta, lineDelta)) } : {}),
      results: b.results.map((r) => ({ ...r, span: movedSpan(r.span, delta) })),
    };
  });
  const editLine = block.start.line;
  const messages = nb.messages.map((m): NotebookMessage => (m.line > editLine && lineDelta !== 0 ? { ...m, line: m.line + lineDelta } : m));
  return { ...nb, text, blocks, messages };
}
