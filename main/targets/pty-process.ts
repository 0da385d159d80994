// One program on a local pty: raw bytes out with flow control, and a way to
// stop it that reaches every process it started (its process group).

import * as pty from 'node-pty';

export const DEFAULT_COLS = 500;
export const PTY_ROWS = 50;
/** Time between SIGTERM and SIGKILL when a run is stopped. */
export const KILL_GRACE_MS = 1000;
/** How often a paused pty checks whether its program ended (node-pty gives up on unread output after 200 ms). */
const EXIT_WATCH_MS = 25;

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
}

/** The environment a block sees: the user's, plus a wide terminal. */
export function blockEnvironment(cols: number, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return { ...env, TERM: 'xterm-256color', COLUMNS: String(cols), LINES: String(PTY_ROWS), ...extra };
}

export class PtyProcess {
  readonly exited: Promise<PtyExit>;
  private readonly term: pty.IPty;
  private pauses = 0;
  private killTimer: NodeJS.Timeout | undefined;
  private ended = false;
  private childGone = false;
  private watch: NodeJS.Timeout | undefined;

  constructor(spec: PtySpawn, onData: (bytes: Uint8Array) => void | Promise<void>) {
    this.term = pty.spawn(spec.file, spec.args, {
      name: 'xterm-256color',
      cols: spec.cols,
      rows: PTY_ROWS,
      cwd: spec.cwd,
      env: spec.env ?? blockEnvironment(spec.cols),
      // Raw bytes: output may be invalid UTF-8 and the journal keeps it exactly.
      encoding: null,
    });
    // With encoding null node-pty hands out Buffers; its typings still say string.
    this.term.onData((data: string | Buffer) => {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      const wait = onData(bytes);
      if (wait) {
        if (this.pauses++ === 0) this.pauseReading();
        void wait.finally(() => {
          if (--this.pauses === 0) this.resumeReading();
        });
      }
    });
    this.exited = new Promise((resolve) => {
      this.term.onExit(({ exitCode, signal }) => {
        this.ended = true;
        if (this.killTimer) clearTimeout(this.killTimer);
        if (this.watch) clearInterval(this.watch);
        resolve(signal ? { exitCode, signal } : { exitCode });
      });
    });
  }

  /**
   * Flow control stops reading the pty, so the program blocks in write().
   * node-pty drops what is still unread 200 ms after the program ends (it
   * destroys the socket when no close comes), so while paused we watch for the
   * program's end and then read everything: what is left is at most the
   * kernel's pty buffer.
   */
  private pauseReading(): void {
    if (this.childGone || this.ended) return;
    this.term.pause();
    this.watch ??= setInterval(() => {
      try {
        process.kill(this.term.pid, 0);
      } catch {
        this.childGone = true;
        this.resumeReading();
      }
    }, EXIT_WATCH_MS);
  }

  private resumeReading(): void {
    if (this.watch) clearInterval(this.watch);
    this.watch = undefined;
    if (!this.ended) this.term.resume();
  }

  get pid(): number {
    return this.term.pid;
  }

  /** Writes to the program's terminal input. */
  write(data: string): void {
    this.term.write(data);
  }

  /** Changes the terminal's size (the program gets SIGWINCH). */
  resize(cols: number, rows: number): void {
    if (!this.ended) this.term.resize(cols, rows);
  }

  /**
   * Stops the program and everything in its process group: SIGTERM, then
   * SIGKILL after a grace period. node-pty starts the program in a new
   * session, so its pid is the group id.
   */
  kill(): void {
    if (this.ended) return;
    signalGroup(this.term.pid, 'SIGTERM');
    if (this.pauses > 0) this.resumeReading();
    this.killTimer ??= setTimeout(() => signalGroup(this.term.pid, 'SIGKILL'), KILL_GRACE_MS);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
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
