// Progress of `modus run`: on a terminal, a live line per running block and
// host with its elapsed time, redrawn in place (each cut to the terminal's
// width, as many as its height allows, redrawn when it is resized);
// otherwise one plain line per finished host (`[3] sh local … pass 0.2s`).

import type { Writable } from 'node:stream';
import type { RunEvent } from '../../../run/engine.js';
import { formatDuration } from '../../../run/run-host.js';
import { cellWidth, liveLines, rowsTaken, type TerminalSize } from './live-lines.js';
import { shortReason } from './short-reason.js';

const REDRAW_MS = 100;
/** Live lines drawn at most (fewer on a short terminal): a block on 200 hosts shows the first ones and a count. */
const MAX_LIVE_LINES = 12;
/** Failed hosts named in a block's summary line. */
const MAX_NAMED_FAILURES = 5;

interface BlockTally {
  counts: Map<string, number>;
  /** Failed hosts with their gist, by their place in the block's host list. */
  failures: { at: number; text: string }[];
  hosts: string[];
}

/** `12 pass, 1 error: r7 (connection refused)`. */
export function blockSummary(t: BlockTally): string {
  const order = ['pass', 'fail', 'error', 'timeout', 'cancelled'];
  const counts = [...t.counts].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])).map(([s, n]) => `${n} ${s}`).join(', ');
  const named = [...t.failures].sort((a, b) => a.at - b.at).slice(0, MAX_NAMED_FAILURES).map((f) => f.text).join(', ');
  const more = t.failures.length > MAX_NAMED_FAILURES ? ` and ${t.failures.length - MAX_NAMED_FAILURES} more` : '';
  return t.failures.length > 0 ? `${counts}: ${named}${more}` : counts;
}

interface Live {
  number: number;
  lang: string;
  host: string;
  start: number;
  waiting: boolean;
}

/** Where `modus run` writes: on a terminal, Node's tty.WriteStream, with its size and a 'resize' event. */
export type DisplayStream = Writable & { columns?: number; rows?: number };

export class RunDisplay {
  private readonly live = new Map<string, Live>();
  /** Cell widths of the live lines on the screen: what the next frame erases. */
  private drawn: number[] = [];
  private timer: NodeJS.Timeout | null = null;
  private redrawQueued = false;
  private paused = false;
  private closed = false;
  private readonly tallies = new Map<number, BlockTally>();
  /** Why hosts wait, told once per block (`[3] waiting for one of the 12 ssh clients…`). */
  private readonly toldWaits = new Set<string>();
  private readonly onResize = (): void => this.render();

  constructor(private readonly out: DisplayStream, private readonly tty: boolean) {
    if (tty) out.on('resize', this.onResize);
  }

  event(e: RunEvent): void {
    if (e.kind === 'block-start') {
      this.tallies.set(e.number, { counts: new Map(), failures: [], hosts: e.hosts });
    } else if (e.kind === 'block-end') {
      const t = this.tallies.get(e.number);
      this.tallies.delete(e.number);
      if (t && t.hosts.length > 1) this.print(`[${e.number}] ${e.status === 'pass' ? 'all pass' : e.status}: ${blockSummary(t)}`);
    } else if (e.kind === 'host-start') {
      this.live.set(`${e.number}\0${e.host}`, { number: e.number, lang: e.lang, host: e.host, start: e.at.getTime(), waiting: false });
      this.render();
    } else if (e.kind === 'host-waiting') {
      const l = this.live.get(`${e.number}\0${e.host}`);
      if (l) {
        // The block's clock on the host starts once it stops waiting (run-host.ts): so does the elapsed time shown.
        l.waiting = e.why !== null;
        l.start = Date.now();
      }
      const told = `${e.number}\0${e.why}`;
      if (e.why !== null && !this.toldWaits.has(told)) {
        this.toldWaits.add(told);
        this.print(`[${e.number}] ${e.why}`);
      } else this.render();
    } else if (e.kind === 'host-end') {
      this.live.delete(`${e.number}\0${e.host}`);
      const r = e.result;
      const t = this.tallies.get(e.number);
      if (t) {
        t.counts.set(r.status, (t.counts.get(r.status) ?? 0) + 1);
        if (r.status !== 'pass') t.failures.push({ at: t.hosts.indexOf(e.host), text: `${e.host} (${shortReason(r.message ?? r.status)})` });
      }
      const took = formatDuration(r.end.getTime() - r.start.getTime());
      this.print(`[${e.number}] ${e.lang} ${e.host} … ${r.status} ${took}${r.message ? ` (${r.message})` : ''}`);
    }
  }

  /** A line that stays (above the live lines). */
  note(line: string): void {
    this.print(line);
  }

  /** Lets `write` put text on the terminal through another stream (stderr) above the live lines, not among them. */
  aside(write: () => void): void {
    this.clearLive();
    write();
    this.render();
  }

  /** Stops redrawing while fn talks to the user (a confirmation). */
  async pause<T>(fn: () => Promise<T>): Promise<T> {
    this.clearLive();
    this.paused = true;
    try {
      return await fn();
    } finally {
      this.paused = false;
      this.render();
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.clearLive();
    this.closed = true;
    this.out.off('resize', this.onResize);
  }

  private print(line: string): void {
    if (this.tty) this.render(`${line}\n`);
    else this.out.write(`${line}\n`);
  }

  private clearLive(): void {
    const erase = this.erase();
    if (erase !== '') this.out.write(erase);
  }

  /**
   * Erases the live lines, writes `text` where they were and draws them
   * again below it, in one write: a terminal never shows a frame half drawn.
   */
  private render(text = ''): void {
    if (!this.tty) return;
    if (this.closed) {
      if (text !== '') this.out.write(text);
      return;
    }
    const frame = this.erase() + text + this.draw();
    if (frame !== '') this.out.write(frame);
    if (this.drawn.length > 0 && !this.timer) {
      this.timer = setInterval(() => this.queueRedraw(), REDRAW_MS);
      this.timer.unref();
    } else if (this.drawn.length === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /**
   * The elapsed times' redraw runs after the event loop's poll phase, where
   * a pending SIGWINCH is delivered ('resize'): a frame that erased rows
   * counted at the old width would miss those the terminal has rewrapped.
   */
  private queueRedraw(): void {
    if (this.redrawQueued) return;
    this.redrawQueued = true;
    setImmediate(() => {
      this.redrawQueued = false;
      this.render();
    });
  }

  private size(): TerminalSize {
    return { columns: this.out.columns || 80, rows: this.out.rows || 24 };
  }

  /** Up to the first live line, as the terminal has them now (rewrapped if it was resized), and clear from there down. */
  private erase(): string {
    if (!this.tty || this.drawn.length === 0) return '';
    const rows = rowsTaken(this.drawn, this.size().columns);
    this.drawn = [];
    return `\x1b[${rows}A\x1b[J`;
  }

  private draw(): string {
    if (this.paused) return '';
    const now = Date.now();
    const running = [...this.live.values()].map((l) => ({ number: l.number, lang: l.lang, host: l.host, elapsed: formatDuration(now - l.start), waiting: l.waiting }));
    const lines = liveLines(running, this.size(), MAX_LIVE_LINES);
    this.drawn = lines.map(cellWidth);
    return lines.map((l) => `${l}\n`).join('');
  }
}
