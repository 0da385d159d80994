// A clock that moves only when the test says so: timers run in the order of
// their due times (ties in the order they were set), and now() is the due
// time of the timer being run. Simulations of several parties (a pty, the
// host, a renderer) share one, so what they do to each other is the same
// on every machine, idle or loaded.

import type { Clock } from '../../main/terminals/clock.js';

interface Timer {
  at: number;
  seq: number;
  callback: () => void;
}

export class VirtualClock implements Clock {
  #now = 0;
  #seq = 0;
  /** A binary heap ordered by (at, seq). */
  #heap: Timer[] = [];
  #cancelled = new Set<Timer>();

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): Timer {
    const timer = { at: this.#now + Math.max(0, Number.isFinite(ms) ? ms : 0), seq: this.#seq++, callback };
    this.#push(timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    if (handle !== null && typeof handle === 'object') this.#cancelled.add(handle as Timer);
  }

  /** Runs every timer due up to `until` (timers set meanwhile included), then leaves the clock there. */
  runUntil(until: number): void {
    for (;;) {
      const next = this.#heap[0];
      if (next === undefined || next.at > until) break;
      this.#pop();
      if (this.#cancelled.delete(next)) continue;
      this.#now = next.at;
      next.callback();
    }
    this.#now = Math.max(this.#now, until);
  }

  /** Runs timers until `done()` holds after one of them; false if `limitMs` passed first. */
  runUntilTrue(done: () => boolean, limitMs: number): boolean {
    const limit = this.#now + limitMs;
    while (!done()) {
      const next = this.#heap[0];
      if (next === undefined || next.at > limit) return false;
      this.runUntil(next.at);
    }
    return true;
  }

  #less(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  #push(timer: Timer): void {
    const heap = this.#heap;
    heap.push(timer);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.#less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && this.#less(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && this.#less(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) break;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  }
}
