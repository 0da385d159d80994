// Progress of `modus run`: on a terminal, a live line per running block and
// host with its elapsed time, redrawn in place; otherwise one plain line per
// finished host (`[3] sh local … pass 0.2s`).

import type { Writable } from 'node:stream';
import type { RunEvent } from '../../../run/engine.js';
import { formatDuration } from '../../../run/run-host.js';

const REDRAW_MS = 100;
/** Live lines drawn at most: a block on 200 hosts shows the first ones and a count. */
const MAX_LIVE_LINES = 12;
/** Failed hosts named in a block's summary line. */
const MAX_NAMED_FAILURES = 5;

interface BlockTally {
  counts: Map<string, number>;
  /** Failed hosts with their gist, by their place in the block's host list. */
  failures: { at: number; text: string }[];
  hosts: string[];
}

/** The gist of a host's failure message, for a summary line: `connection refused`, `exit status 1, expected 0`. */
export function shortReason(message: string): string {
  // A jump host's own failure (jump-host.ts) is one of the sentences below, after the ProxyJump's name.
  const ownJump = /^cannot reach \S+ through its ProxyJump (\S+): ((?:cannot connect to|authentication to|the host key of|the connection to) .*)$/s.exec(message);
  if (ownJump) return `via ${ownJump[1]}: ${shortReason(ownJump[2]!)}`;
  const clause = message.split(/; /)[0]!;
  const jump = /through its ProxyJump ([^\s:]+)/.exec(clause);
  if (jump) return `via ${jump[1]}: ${clause.slice(clause.lastIndexOf(': ') + 2)}`;
  if (/^authentication to \S+ failed/.test(clause)) return 'authentication failed';
  if (/host key of \S+ has CHANGED/.test(clause)) return 'host key changed';
  if (/host key of .* is not known/.test(clause)) return 'unknown host key';
  if (/connection to \S+ was lost/.test(clause)) return 'connection lost';
  const afterAddress = /\): (.+)$/.exec(clause);
  const m = afterAddress ? afterAddress[1]! : clause;
  return m.length > 60 ? `${m.slice(0, 57)}...` : m;
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
}

export class RunDisplay {
  private readonly live = new Map<string, Live>();
  private drawn = 0;
  private timer: NodeJS.Timeout | null = null;
  private paused = false;
  private readonly tallies = new Map<number, BlockTally>();

  constructor(private readonly out: Writable, private readonly tty: boolean) {}

  event(e: RunEvent): void {
    if (e.kind === 'block-start') {
      this.tallies.set(e.number, { counts: new Map(), failures: [], hosts: e.hosts });
    } else if (e.kind === 'block-end') {
      const t = this.tallies.get(e.number);
      this.tallies.delete(e.number);
      if (t && t.hosts.length > 1) this.print(`[${e.number}] ${e.status === 'pass' ? 'all pass' : e.status}: ${blockSummary(t)}`);
    } else if (e.kind === 'host-start') {
      this.live.set(`${e.number}\0${e.host}`, { number: e.number, lang: e.lang, host: e.host, start: e.at.getTime() });
      if (this.tty) this.redraw();
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
    const running = [...this.live.values()];
    const lines = running.slice(0, MAX_LIVE_LINES).map((l) => `[${l.number}] ${l.lang} ${l.host} … running ${formatDuration(now - l.start)}`);
    if (running.length > MAX_LIVE_LINES) lines.push(`… and ${running.length - MAX_LIVE_LINES} more running`);
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
