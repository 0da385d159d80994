// The scan of a notebook after results were spliced into it, brought up to
// date instead of made from scratch. Splicing adds or replaces results
// blocks only, between a code block and the next: every code block keeps its
// index, those after the edit move by the edit's length and line count, and
// the edited block's results are read back from the lines that were
// written. Why: `modus run` rescanned the whole file after every block's
// results, which made a run of 20,000 one-line blocks quadratic (per-block
// cost 17 → 84 ms by block 9,000). Agreement with a fresh scan is a property
// test (test/unit/notebook/scan-after-splice.property.test.ts). Pure.

import { parseResultsAttrs } from './header-args.js';
import { RESULTS_LANG } from './scan.js';
import type { CodeBlock, Point, ResultsBlock, ScannedNotebook, Span, TextEdit } from './types.js';

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

function move(p: Point, offsets: number, lines: number): void {
  p.offset += offsets;
  p.line += lines;
}

function moveSpan(s: Span, by: number): void {
  s.start += by;
  s.end += by;
}

/**
 * A copy of `s` that does not hold on to the string it was cut from. V8 keeps
 * a slice as a view of its parent: a results body sliced from the notebook's
 * text kept that whole version of the text alive for as long as the scan
 * lived, one version per write (400 MB for 2,000 blocks). Through JSON,
 * which escapes even a lone surrogate and gives it back as it was.
 */
function detached(s: string): string {
  return s.length === 0 ? '' : (JSON.parse(JSON.stringify(s)) as string);
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
    const attrs = parseResultsAttrs(detached(rest.slice(RESULTS_LANG.length).trim()));
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
      body: detached(body.join('\n')),
      fence: { char, length, indent: 0 },
      closed: true,
    });
    pos = end;
  }
  return out;
}

/** Moves a block that comes after an edit by the edit's length and line count. */
function shiftBlock(b: CodeBlock, delta: number, lineDelta: number): void {
  moveSpan(b.span, delta);
  move(b.start, delta, lineDelta);
  if (b.argsStart !== b.start) move(b.argsStart, delta, lineDelta);
  moveSpan(b.bodySpan, delta);
  if (b.bodyLineStarts) for (const p of b.bodyLineStarts) move(p, delta, lineDelta);
  for (const r of b.results) moveSpan(r.span, delta);
}

/**
 * Updates `block` itself for `edit` (`text` is the text after it) and says by
 * how much the blocks after it move; null when the edit is not one this can
 * follow.
 */
function followOwnBlock(nb: ScannedNotebook, block: CodeBlock, edit: TextEdit, text: string, before: TextBefore): { delta: number; lineDelta: number } | null {
  const { start, end } = edit.span;
  if (nb.blocks[block.index] !== block) return null;
  const delta = edit.newText.length - (end - start);
  const lineDelta = lineBreaks(edit.newText) - lineBreaks(before.text, start - before.shift, end - before.shift);
  const written = readWrittenResults(text, start, start + edit.newText.length, block.container.prefix);
  if (written === null) return null;
  // The last written block ends with the line break that followed the edit; the line the edit
  // began on (the code block's closing fence, or the last results kept) ends with the first one written.
  const last = written[written.length - 1];
  if (last) last.span.end = start + edit.newText.length + breakAt(text, start + edit.newText.length);
  const lineBeforeEnds = start + breakAt(text, start);
  // Results before the edit stay (append); those it replaced go.
  const kept = block.results.filter((r) => r.span.end <= start + breakAt(before.text, start - before.shift));
  const keptLast = kept[kept.length - 1];
  if (keptLast) keptLast.span.end = lineBeforeEnds;
  else block.span.end = lineBeforeEnds;
  block.results = [...kept, ...written];
  if (lineDelta !== 0) {
    const editLine = block.start.line;
    for (const m of nb.messages) if (m.line > editLine) m.line += lineDelta;
  }
  return { delta, lineDelta };
}

/**
 * The text as it was before an edit, for the part of it the edit touches:
 * position p there is `text[p - shift]` (a batch's edits are all made against
 * one text; the earlier ones moved this one by `shift`).
 */
interface TextBefore {
  text: string;
  shift: number;
}

/** One splice of a batch: made against the scan's text, with the scan's block. */
export interface BatchSplice {
  block: CodeBlock;
  edit: TextEdit;
}

/**
 * The text after several splices of different blocks, all made against
 * `text` (they do not overlap: each stays between its block and the next):
 * built once, where applying them one by one rebuilt the whole text per splice.
 */
export function textAfterSplices(text: string, splices: readonly BatchSplice[]): string {
  const sorted = [...splices].sort((a, b) => a.edit.span.start - b.edit.span.start);
  const parts: string[] = [];
  let at = 0;
  for (const { edit } of sorted) {
    parts.push(text.slice(at, edit.span.start), edit.newText);
    at = edit.span.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/**
 * The scan of a notebook brought up to date, in place, after results were
 * spliced into it (in place because a new scan per write of a 20,000-block
 * notebook left O(blocks) garbage per write and the process grew past a
 * gigabyte). The blocks after each edit are moved when they are next looked
 * at, not at every splice: moving all of them per write cost O(blocks) (a
 * fifth of a 20,000-block run's time); a run writes blocks roughly in order,
 * so each block is moved about once. Blocks from `owedFrom` on owe `owed`;
 * read blocks through block() and the whole scan through notebook, which
 * settle what is owed.
 */
export class FollowedScan {
  private owedFrom: number;
  private owed = { delta: 0, lineDelta: 0 };

  constructor(private readonly nb: ScannedNotebook) {
    this.owedFrom = nb.blocks.length;
  }

  /** Block `index` where it is in the current text. */
  block(index: number): CodeBlock | undefined {
    this.settleThrough(index);
    return this.nb.blocks[index];
  }

  /** The whole scan, every block where it is in the current text. */
  get notebook(): ScannedNotebook {
    this.settleThrough(this.nb.blocks.length - 1);
    return this.nb;
  }

  /**
   * The scan without settling: its text is current, but of its blocks only those read through
   * block() since the last follow are where the text says (enough for spliceResults of one of them).
   */
  get unsettled(): ScannedNotebook {
    return this.nb;
  }

  /** The scan's text (always current). */
  get text(): string {
    return this.nb.text;
  }

  /**
   * Follows splices of different blocks (one or more), all made against the current text, whose
   * result is `text` (textAfterSplices); each block read through block() since the last follow.
   * False: the scan is no longer usable; scan `text` again.
   */
  followBatch(splices: readonly BatchSplice[], text: string): boolean {
    const sorted = [...splices].sort((a, b) => a.block.index - b.block.index);
    const before = { text: this.nb.text, shift: 0 };
    for (let i = 0; i < sorted.length; i++) {
      const { block } = sorted[i]!;
      if (block.index >= this.owedFrom || (i > 0 && sorted[i - 1]!.block.index === block.index)) return false;
    }
    for (const { block, edit } of sorted) {
      // The edits before this one moved it (and its block, once settled) by `shift`.
      this.settleThrough(block.index);
      const shifted: TextEdit = { span: { start: edit.span.start + before.shift, end: edit.span.end + before.shift }, newText: edit.newText };
      const moved = followOwnBlock(this.nb, block, shifted, text, before);
      if (!moved) return false;
      if (this.owed.delta === 0 && this.owed.lineDelta === 0) this.owedFrom = block.index + 1;
      // Those between the edit and what is owed are settled: they move now; the rest owe this edit too.
      for (let i = block.index + 1; i < this.owedFrom; i++) shiftBlock(this.nb.blocks[i]!, moved.delta, moved.lineDelta);
      this.owed = { delta: this.owed.delta + moved.delta, lineDelta: this.owed.lineDelta + moved.lineDelta };
      before.shift += moved.delta;
    }
    this.nb.text = text;
    return true;
  }

  private settleThrough(index: number): void {
    const last = Math.min(index, this.nb.blocks.length - 1);
    if (last < this.owedFrom) return;
    const { delta, lineDelta } = this.owed;
    for (let i = this.owedFrom; i <= last; i++) shiftBlock(this.nb.blocks[i]!, delta, lineDelta);
    this.owedFrom = last + 1;
    if (this.owedFrom >= this.nb.blocks.length) this.owed = { delta: 0, lineDelta: 0 };
  }
}
