// How deeply emphasis, strikethrough and brackets nest in one run of inline
// text (a paragraph, a heading, a table row), estimated in linear time. The
// report hands the notebook to remark, whose parser and every transform
// after it recurse once per level; `*a ` written 4000 times and closed by
// 4000 `*` overflows the stack (and micromark takes seconds to get there).
//
// The estimate follows CommonMark's delimiter-stack algorithm (flanking
// rules, nearest opener, the rule of three, delimiters between a matched
// pair dropped, "openers bottom" so that each opener is searched once per
// kind of closer), but counts every `[…]` as a level and ignores code
// spans and link-in-link: it may count more levels than remark builds,
// hardly ever fewer, and the limit is far above anything a person writes.

const STAR = 0;
const UNDERSCORE = 1;
const TILDE = 2;
const BRACKET = 3;

interface Opener {
  kind: number;
  /** Delimiter characters still unmatched (1 for a bracket). */
  count: number;
  /** The length of the whole run, for the rule of three. */
  length: number;
  /** The run could close too (the rule of three applies to it). */
  both: boolean;
  line: number;
  column: number;
  /** The deepest matched pair that ended after this opener (inside whatever it will close). */
  inner: number;
}

function isSpace(c: number): boolean {
  return c === -1 || c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

function isPunctuation(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

export class InlineNesting {
  private readonly s: string;
  readonly limit: number;
  private stack: Opener[] = [];
  /**
   * Per kind of closer (delimiter kind, run length mod 3, whether it can
   * also open): no opener below this index can match such a closer.
   */
  private readonly bottom = new Array<number>(BRACKET * 6 + 1).fill(0);

  constructor(text: string, limit: number) {
    this.s = text;
    this.limit = limit;
  }

  /** A new run of inline text starts (nothing pairs across it). */
  begin(): void {
    this.stack = [];
    this.bottom.fill(0);
  }

  /**
   * The next line of the current text, `from` to `to`, on line `line` that
   * starts at `lineStart`. Returns where the opener of a pair that nests
   * deeper than the limit is, or null.
   */
  feed(from: number, to: number, line: number, lineStart: number): { line: number; column: number } | null {
    const s = this.s;
    let i = from;
    while (i < to) {
      const c = s.charCodeAt(i);
      if (c === 92 /* \ */) {
        i += i + 1 < to && isPunctuation(s.charCodeAt(i + 1)) ? 2 : 1;
        continue;
      }
      if (c === 91 /* [ */) {
        this.stack.push({ kind: BRACKET, count: 1, length: 1, both: false, line, column: i - lineStart + 1, inner: 0 });
        i++;
        continue;
      }
      if (c === 93 /* ] */) {
        const hit = this.close(BRACKET, 1, false);
        if (hit) return hit;
        i++;
        continue;
      }
      if (c !== 42 && c !== 95 && c !== 126) {
        i++;
        continue;
      }
      let end = i + 1;
      while (end < to && s.charCodeAt(end) === c) end++;
      const before = i > from ? s.charCodeAt(i - 1) : -1;
      const after = end < to ? s.charCodeAt(end) : -1;
      const left = !isSpace(after) && (!isPunctuation(after) || isSpace(before) || isPunctuation(before));
      const right = !isSpace(before) && (!isPunctuation(before) || isSpace(after) || isPunctuation(after));
      const kind = c === 42 ? STAR : c === 95 ? UNDERSCORE : TILDE;
      const canOpen = kind === UNDERSCORE ? left && (!right || isPunctuation(before)) : left;
      const canClose = kind === UNDERSCORE ? right && (!left || isPunctuation(after)) : right;
      const length = end - i;
      let count = length;
      if (canClose) {
        const hit = this.close(kind, count, canOpen);
        if (hit) return hit;
        count = this.leftover;
      }
      if (canOpen && count > 0) this.stack.push({ kind, count, length, both: canClose, line, column: i - lineStart + 1, inner: 0 });
      i = end;
    }
    return null;
  }

  /** Closer characters `close` did not use. */
  private leftover = 0;

  /**
   * Matches a closer run of `count` characters (that can also open when
   * `both`) against the openers; returns the opener of a pair that goes past
   * the limit.
   */
  private close(kind: number, count: number, both: boolean): Opener | null {
    const stack = this.stack;
    const length = count;
    const slot = kind === BRACKET ? BRACKET * 6 : kind * 6 + (length % 3) * 2 + (both ? 1 : 0);
    while (count > 0) {
      let j = stack.length - 1;
      for (; j >= this.bottom[slot]; j--) {
        const o = stack[j];
        if (o.kind !== kind) continue;
        // The rule of three: `*foo**bar*` nests, the `**` cannot close the `*`.
        if ((o.both || both) && (o.length + length) % 3 === 0 && !(o.length % 3 === 0 && length % 3 === 0)) continue;
        break;
      }
      if (j < this.bottom[slot]) {
        this.bottom[slot] = stack.length;
        break;
      }
      const opener = stack[j];
      const depth = opener.inner + 1;
      if (depth > this.limit) return opener;
      // Delimiters between a matched pair can no longer match anything.
      this.truncate(j + 1);
      const used = kind === BRACKET ? 1 : count >= 2 && opener.count >= 2 ? 2 : 1;
      opener.count -= used;
      count -= used;
      // The pair sits after what is left of the opener's run: a later
      // match of the rest encloses it.
      opener.inner = depth;
      if (opener.count === 0) {
        this.truncate(j);
        const parent = stack[j - 1];
        if (parent) parent.inner = Math.max(parent.inner, depth);
      }
    }
    this.leftover = count;
    return null;
  }

  private truncate(length: number): void {
    this.stack.length = length;
    for (let k = 0; k < this.bottom.length; k++) if (this.bottom[k] > length) this.bottom[k] = length;
  }
}
