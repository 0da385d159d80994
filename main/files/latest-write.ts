// Writes of one small state file (session, trust, recent notebooks) one at a
// time, atomically; a write asked for while one runs replaces any queued
// one: the latest state wins and no stale state lands after it.

import { writeFileAtomic } from './atomic-write.js';

export class LatestWriteQueue {
  #running: Promise<void> | null = null;
  #queued: string | null = null;
  #waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];

  constructor(
    readonly file: string,
    private readonly mode = 0o600,
  ) {}

  write(content: string): Promise<void> {
    this.#queued = content;
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (!this.#running) this.#running = this.#drain();
    return done;
  }

  async #drain(): Promise<void> {
    while (this.#queued !== null) {
      const content = this.#queued;
      const waiters = this.#waiters;
      this.#queued = null;
      this.#waiters = [];
      try {
        await writeFileAtomic(this.file, content, { newFileMode: this.mode, createDir: true });
        for (const w of waiters) w.resolve();
      } catch (e) {
        for (const w of waiters) w.reject(e);
      }
    }
    this.#running = null;
  }

  /** Resolves when no write is in progress (for shutdown). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }
}
