// Progress of `modus run`: on a terminal, a live line per running block and
// host with its elapsed time, redrawn in place; otherwise one plain line per
// finished host (`[3] sh local … pass 0.2s`).

import type { Writable } from 'node:stream';
import type { RunEvent } from '../../../run/engine.js';
import { formatDuration } from '../../../run/run-host.js';

const REDRAW_MS = 100;

interface Live {
  number: number;
  lang: string;
  host: string;
  start: number;
}

export class RunDisplay {
  private readonly live = new Map<string, Live>();
  private drawn = 0;
  private timer: NodeJS.Timeout | null = null;
  private paused = false;

  constructor(private readonly out: Writable, private readonly tty: boolean) {}

  event(e: RunEvent): void {
    if (e.kind === 'host-start') {
      this.live.set(`${e.number}\0${e.host}`, { number: e.number, lang: e.lang, host: e.host, start: e.at.getTime() });
      if (this.tty) this.redraw();
    } else if (e.kind === 'host-end') {
      this.live.delete(`${e.number}\0${e.host}`);
      const r = e.result;
      const took = formatDuration(r.end.getTime() - r.start.getTime());
      this.print(`[${e.number}] ${e.lang} ${e.host} … ${r.status} ${took}${r.message ? ` (${r.message})` : ''}`);
    }
  }

  /** A line that stays (above the live lines). */
  note(line: string): void {
    this.print(line);
  }

  /** Stops redrawing while fn talks to the user (a confirmation). */
  async pause<T>(fn: () => Promise<T>): Promise<T> {
    this.clearLive();
    this.paused = true;
    try {
      return await fn();
    } finally {
      this.paused = false;
      if (this.tty) this.redraw();
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.clearLive();
  }

  private print(line: string): void {
    this.clearLive();
    this.out.write(`${line}\n`);
    if (this.tty) this.redraw();
  }

  private clearLive(): void {
    if (!this.tty || this.drawn === 0) return;
    this.out.write(`\x1b[${this.drawn}A\x1b[J`);
    this.drawn = 0;
  }

  private redraw(): void {
    if (this.paused) return;
    this.clearLive();
    const now = Date.now();
    const lines = [...this.live.values()].map((l) => `[${l.number}] ${l.lang} ${l.host} … running ${formatDuration(now - l.start)}`);
    if (lines.length > 0) this.out.write(lines.join('\n') + '\n');
    this.drawn = lines.length;
    if (lines.length > 0 && !this.timer) {
      this.timer = setInterval(() => this.redraw(), REDRAW_MS);
      this.timer.unref();
    } else if (lines.length === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
