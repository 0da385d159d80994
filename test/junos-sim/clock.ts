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

export class RealClock implements SimClock {
  now(): Date {
    return new Date();
  }

  schedule(ms: number, callback: () => void): unknown {
    // Node's timers overflow past 2^31-1 ms (24.8 days): clamp, a confirm timeout is at most 65535 minutes.
    const timer = setTimeout(callback, Math.min(ms, 2 ** 31 - 1));
    timer.unref();
    return timer;
  }

  cancel(handle: unknown): void {
    clearTimeout(handle as NodeJS.Timeout);
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
