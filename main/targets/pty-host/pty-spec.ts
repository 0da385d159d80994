// What a pty program is started with and how it ends: shared by the process
// that owns node-pty (the pty helper, or Modus itself in Electron) and the
// one that asks for it.

export const DEFAULT_COLS = 500;
export const PTY_ROWS = 50;
/** Time between SIGTERM and SIGKILL when a run is stopped. */
export const KILL_GRACE_MS = 1000;

export interface PtySpawn {
  file: string;
  args: string[];
  cwd: string;
  cols: number;
  env?: Record<string, string>;
}

export interface PtyExit {
  exitCode: number;
  signal?: number;
  /** The program could not start, or its pty was lost (the pty helper ended): what happened, for the user. */
  failure?: string;
}

/** A program on a pty, wherever it runs: reading can be paused (flow control), and it can be stopped. */
export interface PtyBackend {
  readonly exited: Promise<PtyExit>;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Stops reading the pty, so the program blocks in write(). */
  pause(): void;
  resume(): void;
  /** SIGTERM to the program's process group, SIGKILL after KILL_GRACE_MS. */
  kill(): void;
}

/** The environment a block sees: the user's, plus a wide terminal. */
export function blockEnvironment(cols: number, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return { ...env, TERM: 'xterm-256color', COLUMNS: String(cols), LINES: String(PTY_ROWS), ...extra };
}

/** Sends a signal to a process group, or to the process if it has no group yet. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // No such group: the child may not have called setsid yet, or it is gone.
    try {
      process.kill(pid, signal);
    } catch {
      // gone
    }
  }
}
