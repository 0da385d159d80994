// The live lines of `modus run` on a terminal (run-display.ts), made to fit
// it: a line that wraps takes two rows where the redraw erases one, and rows
// pushed into the scrollback can never be erased, so each line is cut to the
// terminal's width and there are never more of them than its height allows.

/** A block running on a host, as its live line shows it. */
export interface RunningHost {
  number: number;
  lang: string;
  host: string;
  elapsed: string;
  /** Waiting for its turn (a client the open-file limit allows): its clock has not started. */
  waiting?: boolean;
}

export interface TerminalSize {
  columns: number;
  rows: number;
}

const ELLIPSIS = '…';

// East Asian wide and fullwidth characters, and emoji: two cells in a terminal.
const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u;
// Combining marks and zero-width characters: no cell of their own.
const ZERO = /[\p{Mn}\p{Me}\u200B-\u200F\u2060\uFEFF]/u;

function charCells(ch: string): number {
  if (ZERO.test(ch)) return 0;
  return WIDE.test(ch) ? 2 : 1;
}

/** How many terminal cells `text` takes (one line, no control characters). */
export function cellWidth(text: string): number {
  let n = 0;
  for (const ch of text) n += charCells(ch);
  return n;
}

/** `text` in at most `cells` cells, ending with `…` when it had to be cut. */
export function cutToCells(text: string, cells: number): string {
  if (cellWidth(text) <= cells) return text;
  if (cells <= 0) return '';
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = charCells(ch);
    if (used + w > cells - 1) break;
    out += ch;
    used += w;
  }
  return out + ELLIPSIS;
}

/**
 * `[3] sh web01 … running 2.1s` in less than `columns` cells: the host name
 * gives way first (`[3] sh web-fronte… running 2.1s`), so the block and the elapsed time stay readable; a
 * terminal too narrow even for that gets the line's beginning.
 */
export function liveLine(r: RunningHost, columns: number): string {
  const room = columns - 1;
  const head = `[${r.number}] ${r.lang} `;
  const state = r.waiting ? 'waiting' : 'running';
  const full = `${head}${r.host} … ${state} ${r.elapsed}`;
  if (cellWidth(full) <= room) return full;
  // The cut name ends in `…` already: a second one as the separator would read as a stutter.
  const tail = ` ${state} ${r.elapsed}`;
  const forHost = room - cellWidth(head) - cellWidth(tail);
  // Fewer than four cells would leave a host name no one can recognize.
  if (forHost >= 4) return `${head}${cutToCells(r.host, forHost)}${tail}`;
  return cutToCells(full, room);
}

/**
 * The live lines for `running`, at most `rows - 1` of them (and at most
 * `max`): the cursor waits on the row below the last one, and every row
 * must stay on the screen for the next redraw to reach it. When not all
 * fit, the last line says how many more are running.
 */
export function liveLines(running: readonly RunningHost[], size: TerminalSize, max: number): string[] {
  const limit = Math.max(0, Math.min(max, size.rows - 1));
  if (limit === 0) return [];
  const shown = running.length <= limit ? running : running.slice(0, limit - 1);
  const lines = shown.map((r) => liveLine(r, size.columns));
  const more = running.length - shown.length;
  if (more > 0) lines.push(cutToCells(`… and ${more} more running`, size.columns - 1));
  return lines;
}

/**
 * The rows that lines drawn `widths` cells wide take now that the terminal
 * is `columns` wide. Terminals that reflow on resize (xterm.js, VTE, iTerm2,
 * kitty, Windows Terminal, tmux) wrap a line narrowed below its width onto
 * more rows, and join them again when it widens. (Rows that rewrapping
 * pushes off the top of the screen are out of reach of any redraw: a
 * window narrowed to under half the lines' width on a short screen.)
 */
export function rowsTaken(widths: readonly number[], columns: number): number {
  const cols = Math.max(1, columns);
  let rows = 0;
  for (const w of widths) rows += Math.max(1, Math.ceil(w / cols));
  return rows;
}
