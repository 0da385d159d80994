// The `:session` shells of a run, one per (host, name). `modus run` makes a
// pool per run (its sessions end with the run); the app keeps one per open
// notebook, so a notebook's sessions live across its runs, can be taken
// over by hand in a terminal tab between them, and end when the notebook is
// closed (the pool's targets are disposed then, and with them the shells).

import type { SessionOptions, Target, TargetSession } from '../targets/target.js';

export class SessionPool {
  private readonly sessions = new Map<string, Promise<TargetSession>>();

  /** The session `name` on `target`, opened the first time it is asked for. */
  open(target: Target, name: string, options: SessionOptions = {}): Promise<TargetSession> {
    const key = keyOf(target.describe(), name);
    let s = this.sessions.get(key);
    if (!s) {
      s = target.openSession(name, options);
      this.sessions.set(key, s);
      // A session that could not be opened is asked for again next time.
      s.catch(() => this.sessions.delete(key));
    }
    return s;
  }

  /** Forgets every session (their targets were disposed, which ended them). */
  clear(): void {
    this.sessions.clear();
  }
}

function keyOf(host: string, name: string): string {
  return `${host}\u0000${name}`;
}
