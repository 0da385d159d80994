// session.json: the tabs and splits to bring back on the next start.
// Saved atomically (temp file, fsync, rename, fsync of the directory), so a
// crash mid-save leaves the previous session, never half of one.

import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { validateSessionLayout, type SessionLayout } from '../protocol.js';
import { LatestWriteQueue } from '../files/latest-write.js';

export interface SessionLoad {
  session: SessionLayout | null;
  /** Why a present file was not used (it is left in place for the user to inspect). */
  problem: string | null;
}

export async function loadSession(file: string): Promise<SessionLoad> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return unreadable(file, e);
  }
  return parseSession(file, text);
}

/** The same, synchronously: the hub answers hello before any later message, so the welcome cannot wait. */
export function loadSessionSync(file: string): SessionLoad {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return unreadable(file, e);
  }
  return parseSession(file, text);
}

function unreadable(file: string, e: unknown): SessionLoad {
  const code = (e as NodeJS.ErrnoException).code;
  return { session: null, problem: code === 'ENOENT' ? null : `cannot read ${file}: ${code ?? String(e)}` };
}

function parseSession(file: string, text: string): SessionLoad {
  try {
    return { session: validateSessionLayout(JSON.parse(text)), problem: null };
  } catch (e) {
    return { session: null, problem: `${file} is not a saved session (${(e as Error).message}); starting with a fresh window` };
  }
}


/** Saves sessions one at a time; a save requested while one runs replaces any queued one (the latest layout wins). */
export class SessionStore {
  readonly #writes: LatestWriteQueue;

  constructor(readonly file: string) {
    this.#writes = new LatestWriteQueue(file);
  }

  load(): Promise<SessionLoad> {
    return loadSession(this.file);
  }

  loadSync(): SessionLoad {
    return loadSessionSync(this.file);
  }

  save(layout: SessionLayout): Promise<void> {
    return this.#writes.write(JSON.stringify(layout));
  }

  /** Resolves when no save is in progress (for shutdown). */
  idle(): Promise<void> {
    return this.#writes.idle();
  }
}
