// A line-by-line CommonMark block-structure machine that finds fenced code
// blocks, the containers they sit in (block quotes, list items, GFM footnote
// definitions) and the leaf blocks that decide whether a line can be a fence
// at all (paragraphs and lazy continuation lines, indented code, HTML blocks).
// It follows the parsing strategy of the CommonMark spec (appendix "A
// parsing strategy") and micromark's choices where the two differ, because
// remark is what renders the notebook and both must see the same blocks.
// It keeps no inline content: only what is needed to place fences.

import { delimiterRowCells, headRowCells } from './gfm-table.js';
import { htmlBlockEnds, htmlBlockStart } from './html-block-start.js';
import { InlineNesting } from './inline-nesting.js';
import { MAX_NESTING } from './limits.js';

export interface RawFence {
  /** Position among all fences of the scan. */
  index: number;
  /** 1-based line of the opening fence. */
  line: number;
  /** Offset of the start of the opening fence line (container prefix included). */
  lineStart: number;
  /** Offset of the first fence character. */
  fenceStart: number;
  char: '`' | '~';
  length: number;
  /** Indentation of the opening fence within its container, in columns (0..3). */
  indent: number;
  /** The info string, trimmed. */
  info: string;
  /** Offset of the trimmed info string (fence end when empty). */
  infoStart: number;
  /**
   * Content lines, container prefixes and fence indentation removed. Left
   * empty for a top-level block without indentation (`raw`), whose lines are
   * the text itself: use `fenceLines` / `fenceLineStarts`.
   */
  lines: string[];
  /** Top level and not indented: the body is exactly the text from bodyStart to bodyEnd. */
  raw: boolean;
  /** Number of content lines. */
  lineCount: number;
  /** For each content line, the offset in the text where its content starts. */
  lineStarts: number[];
  /** For each content line, the offset where the line itself starts (container prefix included). */
  lineBegins: number[];
  /** Offset of the start of the first content line (the closing line or end when none). */
  bodyStart: number;
  /** Offset of the end of the last content line's content (before its line ending). */
  bodyEnd: number;
  closed: boolean;
  /** Last line that belongs to the block (the closing fence line when closed). */
  endLine: number;
  /** Offset after the line ending of the last line that belongs to the block. */
  end: number;
  /** Offset of the end of the last line's content (before its line ending). */
  contentEnd: number;
  /** Canonical container prefix for lines that continue this block. */
  prefix: string;
  /** The fence closed just before this one opened, in the same container with only blank lines between. */
  follows: RawFence | null;
}

/** Where the scan met a limit (see limits.ts): the first place only. */
export interface LimitHit {
  line: number;
  /** 1-based, counted in code units from the start of the line. */
  column: number;
  /** How deep it got there. */
  depth: number;
}

export interface FenceScanOptions {
  /** Containers (quotes, list items, footnotes) nested deeper are not opened: their markers are read as text. Default MAX_NESTING. */
  maxNesting?: number;
  /** When given, inline nesting (emphasis, brackets) deeper than this is noted in `inlineTooDeep`. Off by default: only the report needs it. */
  maxInlineNesting?: number;
}

export interface FenceScan {
  fences: RawFence[];
  /** The first container marker beyond maxNesting, or null. */
  tooDeep: LimitHit | null;
  /** The first paragraph, heading or table row whose inline nesting passes maxInlineNesting, or null. */
  inlineTooDeep: LimitHit | null;
}

const enum Kind { Document, Quote, List, Item, Footnote, Paragraph, Table, Heading, Fence, Indented, Html }

interface Block {
  kind: Kind;
  parent: Block | null;
  /** Items: set once the item has a child block (an empty item cannot continue over a blank line). */
  hasChild: boolean;
  /** Item: columns its continuation lines need (marker offset + padding). */
  width: number;
  /** List: what makes another item belong to the same list. */
  listKey: string;
  /** Quotes, items and footnotes among this block and its ancestors. */
  level: number;
  htmlKind: number;
  fence: RawFence | null;
  /** Paragraph: where its last line's text starts and ends (a table head row candidate). */
  lastLineFrom: number;
  lastLineEnd: number;
}

function newBlock(kind: Kind, parent: Block | null): Block {
  const level = parent === null ? 0 : parent.level + (kind === Kind.Quote || kind === Kind.Item || kind === Kind.Footnote ? 1 : 0);
  return { kind, parent, hasChild: false, width: 0, listKey: '', level, htmlKind: 0, fence: null, lastLineFrom: 0, lastLineEnd: 0 };
}

const CODE_INDENT = 4;

const canContain = (parent: Kind, child: Kind): boolean => {
  switch (parent) {
    case Kind.Document:
    case Kind.Quote:
    case Kind.Item:
    case Kind.Footnote:
      return child !== Kind.Item;
    case Kind.List:
      return child === Kind.Item;
    default:
      return false;
  }
};

const isContainer = (k: Kind): boolean => k === Kind.Quote || k === Kind.List || k === Kind.Item || k === Kind.Footnote;

const acceptsLines = (k: Kind): boolean => k === Kind.Fence || k === Kind.Indented || k === Kind.Html;

/** Characters that may begin a block start (anything else is paragraph text). */
function maybeSpecial(c: number): boolean {
  switch (c) {
    case 35: case 96: case 126: case 42: case 43: case 95: case 61: case 60: case 62: case 45: case 91: case 124: case 58:
      return true;
    default:
      return c >= 48 && c <= 57;
  }
}

/**
 * Scan `text` from `from` (after a BOM and front matter), starting at line
 * `firstLine`. Line endings: \n, \r\n and a lone \r.
 */
export function scanFences(text: string, from: number, firstLine: number): RawFence[] {
  return scanFenceStructure(text, from, firstLine).fences;
}

/** `scanFences`, with where the scan met a limit. */
export function scanFenceStructure(text: string, from: number, firstLine: number, options: FenceScanOptions = {}): FenceScan {
  const machine = new FenceMachine(text, options.maxNesting ?? MAX_NESTING, options.maxInlineNesting ?? null);
  const fences = machine.run(from, firstLine);
  return { fences, tooDeep: machine.tooDeep, inlineTooDeep: machine.inlineTooDeep };
}

class FenceMachine {
  private readonly s: string;
  private readonly fences: RawFence[] = [];
  private readonly doc = newBlock(Kind.Document, null);
  private open: Block[] = [this.doc];

  // The current line.
  private lineNo = 0;
  private lineStart = 0;
  private lineEnd = 0; // end of content (before the line ending)
  private nextLineStart = 0; // after the line ending

  // Position within the line, in offsets and virtual columns (tabs stop every 4).
  private offset = 0;
  private column = 0;
  private partiallyConsumedTab = false;
  private nextNonspace = 0;
  private nextNonspaceColumn = 0;
  private indent = 0;
  private blank = false;
  private indented = false;

  private allClosed = true;
  private lineInterrupts = false;
  private lastMatched = 0; // index into open[]

  // Results attachment: the last closed fence and whether anything but blank lines came after it.
  private lastClosed: RawFence | null = null;
  private lastClosedParent: Block | null = null;

  // findNextNonspace on this line already found that everything from
  // spaceFrom up to spaceTo is spaces and tabs, and the column at spaceTo.
  // Each of N nested items on an indented line asks again from two columns
  // further on; without this each asked over the whole indentation (N² for
  // a code block N items deep).
  private spaceFrom = -1;
  private spaceTo = -1;
  private spaceToColumn = 0;

  // Per line and break character (*, _, -): the offsets from which the rest
  // of the line is a thematic break of it, [breakFrom, breakTo]. A line of
  // N list markers `- - - … x` asks at each marker; reading the rest of
  // the line every time was N².
  private readonly breakLine = [0, 0, 0];
  private readonly breakFrom = [0, 0, 0];
  private readonly breakTo = [0, 0, 0];

  private readonly maxNesting: number;
  tooDeep: LimitHit | null = null;
  private readonly inline: InlineNesting | null;
  /** The paragraph whose inline text the estimator is reading. */
  private inlineBlock: Block | null = null;
  inlineTooDeep: LimitHit | null = null;

  constructor(text: string, maxNesting: number, maxInlineNesting: number | null) {
    this.s = text;
    this.maxNesting = maxNesting;
    this.inline = maxInlineNesting === null ? null : new InlineNesting(text, maxInlineNesting);
  }

  run(from: number, firstLine: number): RawFence[] {
    const s = this.s;
    const n = s.length;
    let pos = from;
    let line = firstLine;
    let nextCr = s.indexOf('\r', pos);
    if (nextCr < 0) nextCr = n;
    while (pos < n) {
      let nl = s.indexOf('\n', pos);
      if (nl < 0) nl = n;
      if (nextCr < pos) {
        nextCr = s.indexOf('\r', pos);
        if (nextCr < 0) nextCr = n;
      }
      let end: number;
      let next: number;
      if (nextCr < nl) {
        end = nextCr;
        next = nextCr + 1 === nl ? nl + 1 : nextCr + 1;
      } else {
        end = nl;
        next = nl < n ? nl + 1 : n;
      }
      this.lineNo = line;
      this.lineStart = pos;
      this.lineEnd = end;
      this.nextLineStart = next;
      this.incorporateLine();
      pos = next;
      line++;
    }
    // End of document: every open block closes.
    this.lineNo = line;
    while (this.open.length > 1) this.finalize(this.open.pop() as Block);
    return this.fences;
  }

  private at(i: number): number {
    return i < this.lineEnd ? this.s.charCodeAt(i) : -1;
  }

  private findNextNonspace(): void {
    let i = this.offset;
    let cols = this.column;
    let c: number;
    if (i >= this.spaceFrom && i <= this.spaceTo) {
      // Columns are absolute on the line (tab stops every 4), so the column
      // at spaceTo does not depend on where in the run we start.
      i = this.spaceTo;
      cols = this.spaceToColumn;
      c = this.at(i);
    } else {
      c = this.at(i);
      while (c === 32 || c === 9) {
        if (c === 32) cols++;
        else cols += 4 - (cols % 4);
        c = this.at(++i);
      }
      this.spaceFrom = this.offset;
      this.spaceTo = i;
      this.spaceToColumn = cols;
    }
    this.blank = c === -1;
    this.nextNonspace = i;
    this.nextNonspaceColumn = cols;
    this.indent = cols - this.column;
    this.indented = this.indent >= CODE_INDENT;
  }

  private advanceNextNonspace(): void {
    this.offset = this.nextNonspace;
    this.column = this.nextNonspaceColumn;
    this.partiallyConsumedTab = false;
  }

  /** Advance by `count` characters, or by `count` columns when `columns` (a tab may be consumed in part). */
  private advanceOffset(count: number, columns: boolean): void {
    while (count > 0 && this.offset < this.lineEnd) {
      const c = this.s.charCodeAt(this.offset);
      if (c === 9) {
        const toTab = 4 - (this.column % 4);
        if (columns) {
          this.partiallyConsumedTab = toTab > count;
          const advance = toTab > count ? count : toTab;
          this.column += advance;
          if (!this.partiallyConsumedTab) this.offset++;
          count -= advance;
        } else {
          this.partiallyConsumedTab = false;
          this.column += toTab;
          this.offset++;
          count--;
        }
      } else {
        this.partiallyConsumedTab = false;
        this.offset++;
        this.column++;
        count--;
      }
    }
  }

  private get tip(): Block {
    return this.open[this.open.length - 1];
  }

  private incorporateLine(): void {
    this.spaceFrom = -1;
    this.spaceTo = -1;
    this.offset = this.lineStart;
    this.column = 0;
    this.partiallyConsumedTab = false;
    this.blank = false;
    const open = this.open;

    // 1. Which open blocks does this line continue?
    let matched = 0;
    for (let i = 1; i < open.length; i++) {
      this.findNextNonspace();
      const r = this.continueBlock(open[i]);
      if (r === 0) {
        matched = i;
        continue;
      }
      if (r === 2) return; // closing fence: the line is consumed
      break;
    }
    this.lastMatched = matched;
    this.allClosed = matched === open.length - 1;
    let container = open[matched];
    // micromark decides once per line, before any new container, whether a
    // list item here would interrupt something: when every container went
    // on and a paragraph or indented code is open. It keeps that answer for
    // containers opened later on the same line (`para` then `> 2. x` gives
    // no list, unlike the reference implementation).
    const tip = this.tip;
    this.lineInterrupts = (tip.kind === Kind.Paragraph || tip.kind === Kind.Indented) &&
      matched >= open.length - 2;

    // 2. New block starts (unless the matched block takes raw lines).
    let matchedLeaf = container.kind !== Kind.Paragraph && acceptsLines(container.kind);
    let startedLeaf = false;
    while (!matchedLeaf) {
      this.findNextNonspace();
      if (!this.indented && !maybeSpecial(this.at(this.nextNonspace))) {
        this.advanceNextNonspace();
        break;
      }
      const r = this.tryBlockStarts(container);
      if (r === 1) {
        container = this.tip;
        continue;
      }
      if (r === 2) {
        container = this.tip;
        matchedLeaf = true;
        startedLeaf = true;
        break;
      }
      this.advanceNextNonspace();
      break;
    }

    // 3. The rest of the line is text: a lazy paragraph line, a line of a leaf, or a new paragraph.
    if (!this.allClosed && !this.blank && this.tip.kind === Kind.Paragraph) {
      this.noteParagraphLine(this.tip);
      return;
    }
    this.closeUnmatchedBlocks();
    const kind = container.kind;
    if (kind === Kind.Fence) {
      const fence = container.fence as RawFence;
      if (startedLeaf) {
        this.openFenceInfo(fence);
      } else {
        this.addFenceLine(fence);
      }
    } else if (kind === Kind.Html) {
      if (!this.blank) this.noteContent();
      const first = startedLeaf;
      if (container.htmlKind >= 1 && container.htmlKind <= 5) {
        const from = first ? this.htmlAfter : this.offset;
        if (htmlBlockEnds(container.htmlKind, this.s, from, this.lineEnd, first)) this.closeTip();
      }
    } else if (kind === Kind.Indented) {
      this.noteContent();
    } else if (kind === Kind.Table) {
      this.noteContent();
      // Each row is inline text of its own (cells even, but a row is enough for the estimate).
      this.noteInline(null, this.offset);
    } else if (kind === Kind.Heading) {
      this.noteContent();
    } else if (kind === Kind.Paragraph) {
      this.noteParagraphLine(container);
    } else if (this.offset < this.lineEnd && !this.blank) {
      this.noteParagraphLine(this.addChild(Kind.Paragraph));
    }
  }

  private htmlAfter = 0;

  private noteParagraphLine(p: Block): void {
    p.lastLineFrom = this.nextNonspace;
    p.lastLineEnd = this.lineEnd;
    this.noteContent();
    this.noteInline(p, this.nextNonspace);
  }

  /** Feeds the rest of the line to the inline estimator, as more of `p`'s text (null: text of its own). */
  private noteInline(p: Block | null, from: number): void {
    const inline = this.inline;
    if (inline === null || this.inlineTooDeep !== null) return;
    if (p === null || p !== this.inlineBlock) {
      inline.begin();
      this.inlineBlock = p;
    }
    const hit = inline.feed(from, this.lineEnd, this.lineNo, this.lineStart);
    if (hit) this.inlineTooDeep = { line: hit.line, column: hit.column, depth: inline.limit + 1 };
  }

  /** Anything but a blank line between a closed fence and the next one breaks the "directly follows" link. */
  private noteContent(): void {
    this.lastClosed = null;
  }

  /** 0 = matched, 1 = not matched, 2 = closing fence (line consumed). */
  private continueBlock(b: Block): 0 | 1 | 2 {
    switch (b.kind) {
      case Kind.Quote:
        if (!this.indented && this.at(this.nextNonspace) === 62) {
          this.advanceNextNonspace();
          this.advanceOffset(1, false);
          const c = this.at(this.offset);
          if (c === 32 || c === 9) this.advanceOffset(1, true);
          return 0;
        }
        return 1;
      case Kind.List:
        return 0;
      case Kind.Item:
        if (this.blank) {
          if (!b.hasChild) return 1;
          // Like micromark, whitespace beyond the item's indentation stays in a blank line's content.
          if (this.indent >= b.width) this.advanceOffset(b.width, true);
          else this.advanceNextNonspace();
          return 0;
        }
        if (this.indent >= b.width) {
          this.advanceOffset(b.width, true);
          return 0;
        }
        return 1;
      case Kind.Footnote:
        // A blank line continues a footnote and keeps all its whitespace (micromark).
        if (this.blank) return 0;
        if (this.indent >= CODE_INDENT) {
          this.advanceOffset(CODE_INDENT, true);
          return 0;
        }
        return 1;
      case Kind.Fence: {
        const fence = b.fence as RawFence;
        if (this.indent <= 3 && this.isClosingFence(fence)) {
          this.closeFenceAt(b, fence);
          return 2;
        }
        let i = fence.indent;
        while (i > 0) {
          const c = this.at(this.offset);
          if (c !== 32 && c !== 9) break;
          this.advanceOffset(1, true);
          i--;
        }
        return 0;
      }
      case Kind.Indented:
        if (this.indent >= CODE_INDENT) {
          this.advanceOffset(CODE_INDENT, true);
          return 0;
        }
        if (this.blank) {
          this.advanceNextNonspace();
          return 0;
        }
        return 1;
      case Kind.Html:
        return this.blank && (b.htmlKind === 6 || b.htmlKind === 7) ? 1 : 0;
      case Kind.Paragraph:
      case Kind.Table:
        return this.blank ? 1 : 0;
      default:
        return 1; // headings (and anything single-line) never continue
    }
  }

  private isClosingFence(fence: RawFence): boolean {
    const ch = fence.char === '`' ? 96 : 126;
    let i = this.nextNonspace;
    if (this.at(i) !== ch) return false;
    const start = i;
    while (this.at(i) === ch) i++;
    if (i - start < fence.length) return false;
    let c = this.at(i);
    while (c === 32 || c === 9) c = this.at(++i);
    return c === -1;
  }

  private closeFenceAt(b: Block, fence: RawFence): void {
    // Containers deeper than the fence are none (a fence is a leaf), so the fence is the tip.
    fence.closed = true;
    fence.endLine = this.lineNo;
    fence.end = this.nextLineStart;
    fence.contentEnd = this.lineEnd;
    if (fence.lineCount === 0) {
      fence.bodyStart = this.lineStart;
      fence.bodyEnd = this.lineStart;
    }
    const parent = b.parent as Block;
    this.open.pop();
    this.lastClosed = fence;
    this.lastClosedParent = parent;
  }

  /** 0 = nothing started, 1 = a container started, 2 = a leaf started. */
  private tryBlockStarts(container: Block): 0 | 1 | 2 {
    const s = this.s;
    const nn = this.nextNonspace;
    const c = this.at(nn);
    const indented = this.indented;

    // Block quote.
    if (!indented && c === 62) {
      if (this.beyondNesting(container)) return 0;
      this.advanceNextNonspace();
      this.advanceOffset(1, false);
      const d = this.at(this.offset);
      if (d === 32 || d === 9) this.advanceOffset(1, true);
      this.closeUnmatchedBlocks();
      this.addChild(Kind.Quote);
      return 1;
    }
    // GFM footnote definition `[^label]:`.
    if (!indented && c === 91 && this.at(nn + 1) === 94) {
      const after = this.footnoteLabelEnd(nn + 2);
      if (after >= 0) {
        if (this.beyondNesting(container)) return 0;
        this.closeUnmatchedBlocks();
        this.addChild(Kind.Footnote);
        this.advanceNextNonspace();
        this.advanceOffset(after - nn, false);
        this.findNextNonspace();
        this.advanceNextNonspace();
        return 1;
      }
    }
    // ATX heading.
    if (!indented && c === 35) {
      let i = nn;
      while (this.at(i) === 35) i++;
      const n = i - nn;
      const d = this.at(i);
      if (n <= 6 && (d === -1 || d === 32 || d === 9)) {
        this.closeUnmatchedBlocks();
        this.addChild(Kind.Heading);
        this.noteInline(null, i);
        this.offset = this.lineEnd;
        return 2;
      }
    }
    // Fenced code.
    if (!indented && (c === 96 || c === 126)) {
      let i = nn;
      while (this.at(i) === c) i++;
      const length = i - nn;
      if (length >= 3 && (c === 126 || !this.hasBacktick(i))) {
        this.closeUnmatchedBlocks();
        const b = this.addChild(Kind.Fence);
        const fence: RawFence = {
          index: this.fences.length,
          line: this.lineNo,
          lineStart: this.lineStart,
          fenceStart: nn,
          char: c === 96 ? '`' : '~',
          length,
          indent: this.indent,
          info: '',
          infoStart: i,
          lines: [],
          raw: false,
          lineCount: 0,
          lineStarts: [],
          lineBegins: [],
          bodyStart: this.nextLineStart,
          bodyEnd: this.nextLineStart,
          closed: false,
          endLine: this.lineNo,
          end: this.nextLineStart,
          contentEnd: this.lineEnd,
          prefix: this.prefixOf(b.parent as Block),
          follows: this.lastClosed !== null && this.lastClosedParent === b.parent ? this.lastClosed : null,
        };
        fence.raw = fence.prefix === '' && fence.indent === 0;
        b.fence = fence;
        this.fences.push(fence);
        this.advanceNextNonspace();
        this.advanceOffset(length, false);
        return 2;
      }
    }
    // HTML block.
    if (!indented && c === 60) {
      const lazy = !this.allClosed && !this.blank && this.tip.kind === Kind.Paragraph;
      const h = htmlBlockStart(s, nn, this.lineEnd, container.kind === Kind.Paragraph);
      if (h && h.kind === 7 && lazy) {
        // micromark lets a complete tag on a lazy line end the paragraph and
        // start an HTML block where the paragraph was, inside the containers
        // the line did not continue (CommonMark would continue the paragraph).
        this.finalize(this.open.pop() as Block);
        const b = this.addChild(Kind.Html);
        b.htmlKind = 7;
        this.htmlAfter = h.after;
        this.allClosed = true;
        return 2;
      }
      if (h) {
        this.closeUnmatchedBlocks();
        const b = this.addChild(Kind.Html);
        b.htmlKind = h.kind;
        this.htmlAfter = h.after;
        return 2;
      }
    }
    // Setext heading underline: the paragraph becomes a heading.
    if (!indented && container.kind === Kind.Paragraph && (c === 61 || c === 45)) {
      let i = nn;
      while (this.at(i) === c) i++;
      let d = this.at(i);
      while (d === 32 || d === 9) d = this.at(++i);
      if (d === -1) {
        this.closeUnmatchedBlocks();
        container.kind = Kind.Heading;
        this.offset = this.lineEnd;
        return 2;
      }
    }
    // Thematic break.
    if (!indented && (c === 42 || c === 95 || c === 45) && this.isThematicBreak(nn, c)) {
      this.closeUnmatchedBlocks();
      this.addChild(Kind.Heading);
      this.offset = this.lineEnd;
      return 2;
    }
    // List item.
    if (!indented || container.kind === Kind.List) {
      if (this.tryListItem(container)) return 1;
    }
    // GFM table: a delimiter row under a paragraph line with as many cells turns it into a table.
    if (!indented && container.kind === Kind.Paragraph && (c === 124 || c === 58 || c === 45)) {
      const cells = delimiterRowCells(s, nn, this.lineEnd);
      if (cells > 0 && cells === headRowCells(s, container.lastLineFrom, container.lastLineEnd)) {
        container.kind = Kind.Table;
        this.offset = this.lineEnd;
        return 2;
      }
    }
    // Indented code.
    if (indented && this.tip.kind !== Kind.Paragraph && !this.blank) {
      this.advanceOffset(CODE_INDENT, true);
      // On a line that closes containers without opening one, micromark
      // ends this code block with the line (the next indented line starts another).
      const closesContainers = !this.allClosed && this.hasContainerAfter(this.lastMatched);
      this.closeUnmatchedBlocks();
      this.addChild(closesContainers ? Kind.Heading : Kind.Indented);
      return 2;
    }
    return 0;
  }

  /** Offset after `]:` of a footnote label starting at `i` (after `[^`), or -1. */
  private footnoteLabelEnd(i: number): number {
    let size = 0;
    let data = false;
    for (;;) {
      const c = this.at(i);
      if (size > 999 || c === -1 || c === 91 || c === 32 || c === 9) return -1;
      if (c === 93) {
        if (!data) return -1;
        return this.at(i + 1) === 58 ? i + 2 : -1;
      }
      data = true;
      size++;
      i++;
      if (c === 92) {
        const d = this.at(i);
        if (d === 91 || d === 92 || d === 93) {
          i++;
          size++;
        }
      }
    }
  }

  /** Whether the rest of the line, from `i`, is a thematic break of `ch` (3 or more of it, spaces and tabs between). */
  private isThematicBreak(i: number, ch: number): boolean {
    const k = ch === 42 ? 0 : ch === 95 ? 1 : 2;
    if (this.breakLine[k] !== this.lineNo) {
      // Once per line: back from the end over ch, spaces and tabs.
      let count = 0;
      let to = -1;
      let j = this.lineEnd - 1;
      for (; j >= this.lineStart; j--) {
        const c = this.s.charCodeAt(j);
        if (c === ch) {
          if (++count === 3) to = j;
        } else if (c !== 32 && c !== 9) {
          break;
        }
      }
      this.breakLine[k] = this.lineNo;
      this.breakFrom[k] = j + 1;
      this.breakTo[k] = to;
    }
    return i >= this.breakFrom[k] && i <= this.breakTo[k];
  }

  /** A backtick on the rest of the line (a backtick fence's info string may not have one). */
  private hasBacktick(from: number): boolean {
    for (let i = from; i < this.lineEnd; i++) if (this.s.charCodeAt(i) === 96) return true;
    return false;
  }

  private hasContainerAfter(index: number): boolean {
    for (let i = index + 1; i < this.open.length; i++) if (isContainer(this.open[i].kind)) return true;
    return false;
  }

  /**
   * Whether a container started here would be nested deeper than the limit.
   * Then its marker is text (the rest of the line goes on as a paragraph),
   * and the first such place is noted once.
   */
  private beyondNesting(container: Block): boolean {
    if (container.level < this.maxNesting) return false;
    this.tooDeep ??= { line: this.lineNo, column: this.nextNonspace - this.lineStart + 1, depth: container.level + 1 };
    return true;
  }

  private tryListItem(container: Block): boolean {
    if (this.indent >= 4) return false;
    const nn = this.nextNonspace;
    const c = this.at(nn);
    let markerLength: number;
    let key: string;
    // Whether this item would interrupt an open paragraph. micromark also
    // counts an indented code block that sits directly in the matched
    // container (it is still the open construct when containers are checked).
    const inParagraph = container.kind === Kind.Paragraph || this.lineInterrupts;
    if (c === 42 || c === 43 || c === 45) {
      markerLength = 1;
      key = String.fromCharCode(c);
    } else if (c >= 48 && c <= 57) {
      let i = nn;
      while (i - nn < 10 && this.at(i) >= 48 && this.at(i) <= 57) i++;
      const digits = i - nn;
      const d = this.at(i);
      if (digits > 9 || !(d === 46 || d === 41)) return false;
      if (inParagraph && Number(this.s.slice(nn, i)) !== 1) {
        // Only `1.` / `1)` may interrupt a paragraph.
        return false;
      }
      markerLength = digits + 1;
      key = 'o' + String.fromCharCode(d);
    } else {
      return false;
    }
    const after = this.at(nn + markerLength);
    if (!(after === -1 || after === 32 || after === 9)) return false;
    if (inParagraph) {
      let i = nn + markerLength;
      let d = this.at(i);
      while (d === 32 || d === 9) d = this.at(++i);
      if (d === -1) return false; // an empty item cannot interrupt a paragraph
    }
    if (this.beyondNesting(container)) return false;
    const markerOffset = this.indent;
    this.advanceNextNonspace();
    this.advanceOffset(markerLength, true);
    const spacesStartCol = this.column;
    const spacesStartOffset = this.offset;
    let d: number;
    do {
      this.advanceOffset(1, true);
      d = this.at(this.offset);
    } while (this.column - spacesStartCol < 5 && (d === 32 || d === 9));
    const blankItem = this.at(this.offset) === -1;
    const spacesAfter = this.column - spacesStartCol;
    let padding: number;
    if (spacesAfter >= 5 || spacesAfter < 1 || blankItem) {
      padding = markerLength + 1;
      this.column = spacesStartCol;
      this.offset = spacesStartOffset;
      this.partiallyConsumedTab = false;
      const e = this.at(this.offset);
      if (e === 32 || e === 9) this.advanceOffset(1, true);
    } else {
      padding = markerLength + spacesAfter;
    }
    this.closeUnmatchedBlocks();
    if (this.tip.kind !== Kind.List || this.tip.listKey !== key) {
      const list = this.addChild(Kind.List);
      list.listKey = key;
    }
    const item = this.addChild(Kind.Item);
    item.width = markerOffset + padding;
    return true;
  }

  private closeUnmatchedBlocks(): void {
    if (this.allClosed) return;
    while (this.open.length - 1 > this.lastMatched) this.finalize(this.open.pop() as Block);
    this.allClosed = true;
  }

  private addChild(kind: Kind): Block {
    while (!canContain(this.tip.kind, kind)) this.finalize(this.open.pop() as Block);
    const parent = this.tip;
    parent.hasChild = true;
    const b = newBlock(kind, parent);
    this.open.push(b);
    return b;
  }

  private closeTip(): void {
    this.finalize(this.open.pop() as Block);
  }

  private finalize(b: Block): void {
    if (b.kind === Kind.Fence && b.fence && !b.fence.closed) {
      // Ends with its container (or the document) on the previous line.
      this.lastClosed = null;
    }
  }

  private openFenceInfo(fence: RawFence): void {
    let i = this.offset;
    let end = this.lineEnd;
    let c = this.at(i);
    while (c === 32 || c === 9) c = this.at(++i);
    let e = end - 1;
    while (e >= i && (this.s.charCodeAt(e) === 32 || this.s.charCodeAt(e) === 9)) e--;
    end = e + 1;
    fence.infoStart = i;
    fence.info = this.s.slice(i, end);
  }

  private addFenceLine(fence: RawFence): void {
    if (fence.lineCount === 0) fence.bodyStart = this.lineStart;
    fence.lineCount++;
    fence.bodyEnd = this.lineEnd;
    fence.endLine = this.lineNo;
    fence.end = this.nextLineStart;
    fence.contentEnd = this.lineEnd;
    this.lastClosed = null;
    if (fence.raw) return;
    let content = '';
    let start = this.offset;
    if (this.partiallyConsumedTab) {
      start++;
      content = ' '.repeat(4 - (this.column % 4));
    }
    content += this.s.slice(start, this.lineEnd);
    fence.lines.push(content);
    fence.lineStarts.push(start);
    fence.lineBegins.push(this.lineStart);
  }

  /** The canonical prefix a new line needs to stay inside `b`: `> ` per quote, spaces per item or footnote. */
  private prefixOf(b: Block): string {
    if (b.kind === Kind.Document) return '';
    const parts: string[] = [];
    for (let p: Block | null = b; p; p = p.parent) {
      if (p.kind === Kind.Quote) parts.push('> ');
      else if (p.kind === Kind.Item) parts.push(' '.repeat(p.width));
      else if (p.kind === Kind.Footnote) parts.push(' '.repeat(CODE_INDENT));
    }
    return parts.reverse().join('');
  }
}

/** The content lines of a fence (for a `raw` fence, read from the text). */
export function fenceLines(text: string, f: RawFence): string[] {
  if (!f.raw) return f.lines;
  if (f.lineCount === 0) return [];
  return text.slice(f.bodyStart, f.bodyEnd).split(/\r\n|\r|\n/);
}

/** For each content line: [offset where its content starts, offset where the line starts]. */
export function fenceLineStarts(text: string, f: RawFence): [number, number][] {
  if (!f.raw) return f.lineStarts.map((o, k) => [o, f.lineBegins[k]]);
  const out: [number, number][] = [];
  let pos = f.bodyStart;
  for (let k = 0; k < f.lineCount; k++) {
    out.push([pos, pos]);
    while (pos < text.length && text.charCodeAt(pos) !== 10 && text.charCodeAt(pos) !== 13) pos++;
    pos += text.charCodeAt(pos) === 13 && text.charCodeAt(pos + 1) === 10 ? 2 : 1;
  }
  return out;
}
