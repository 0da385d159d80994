// The device's sense of time: commit dates, the commit-confirmed deadline,
// BGP session ages. Real in a standalone simulator; manual in tests, where
// nothing times out until the test advances the clock, so a ten-minute
// rollback takes no time and never depends on machine speed.

import { VirtualClock } from '../helpers/virtual-clock.js';

export interface SimClock {
  now(): Date;
  /** Runs `callback` `ms` from now; returns a handle for cancel. */
  schedule(ms: number, callback: () => void): unknown;
  cancel(handle: unknown): void;
}

/** Node's timers fire at once past 2^31-1 ms (24.8 days); a confirm timeout may be 65535 minutes (45 days). */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

interface RealTimer {
  timer: NodeJS.Timeout | null;
}

export class RealClock implements SimClock {
  now(): Date {
    return new Date();
  }

  schedule(ms: number, callback: () => void): unknown {
    const handle: RealTimer = { timer: null };
    const due = Date.now() + ms;
    const arm = () => {
      const left = due - Date.now();
      handle.timer = setTimeout(left > LONGEST_TIMER_MS ? arm : callback, Math.min(Math.max(left, 0), LONGEST_TIMER_MS));
      // A pending rollback alone does not keep a process alive (the daemon's server does).
      handle.timer.unref();
    };
    arm();
    return handle;
  }

  cancel(handle: unknown): void {
    const h = handle as RealTimer;
    if (h.timer) clearTimeout(h.timer);
    h.timer = null;
  }
}

export class ManualClock implements SimClock {
  readonly #virtual = new VirtualClock();

  constructor(private readonly epochMs: number) {}

  now(): Date {
    return new Date(this.epochMs + this.#virtual.now());
  }

  schedule(ms: number, callback: () => void): unknown {
    return this.#virtual.setTimeout(callback, ms);
  }

  cancel(handle: unknown): void {
    this.#virtual.clearTimeout(handle);
  }

  /** Moves time forward by `ms`, running what falls due, in order. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`cannot advance the clock by ${ms} ms`);
    this.#virtual.runUntil(this.#virtual.now() + ms);
  }
}

/** Junos's date format in commit listings and headers: `2026-01-02 10:00:00 UTC`. */
export function junosDate(d: Date): string {
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
