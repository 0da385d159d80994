// One program on a pty of this process, through node-pty: raw bytes out,
// reading paused and resumed on demand, stopped with its whole process group.
// The pty helper runs these; so does Electron's main process, which cannot
// start the helper (its RunAsNode fuse is off).

import type * as NodePty from 'node-pty';
import { lazyModule } from '../../files/lazy-module.js';
import { KILL_GRACE_MS, PTY_ROWS, blockEnvironment, signalGroup, type PtyBackend, type PtyExit, type PtySpawn } from './pty-spec.js';

/** Electron's main process only: the CLI and `modus serve` run ptys in the helper process. */
const pty = lazyModule<typeof NodePty>('node-pty');

/** How often a paused pty checks whether its program ended (node-pty gives up on unread output after 200 ms). */
const EXIT_WATCH_MS = 25;

export class DirectPty implements PtyBackend {
  readonly exited: Promise<PtyExit>;
  private readonly term: NodePty.IPty;
  private paused = false;
  /** Stopped: read to the end, never paused again (what it writes as it ends must not wait for a resume). */
  private killed = false;
  private killTimer: NodeJS.Timeout | undefined;
  private ended = false;
  private childGone = false;
  private watch: NodeJS.Timeout | undefined;

  /** Throws if the pty cannot be made (no ptys left, say). */
  constructor(spec: PtySpawn, onData: (bytes: Uint8Array) => void) {
    this.term = pty().spawn(spec.file, spec.args, {
      name: 'xterm-256color',
      cols: spec.cols,
      rows: PTY_ROWS,
      cwd: spec.cwd,
      env: spec.env ?? blockEnvironment(spec.cols),
      // Raw bytes: output may be invalid UTF-8 and the journal keeps it exactly.
      encoding: null,
    });
    // With encoding null node-pty hands out Buffers; its typings still say string.
    this.term.onData((data: string | Buffer) => onData(typeof data === 'string' ? Buffer.from(data, 'utf8') : data));
    this.exited = new Promise((resolve) => {
      this.term.onExit(({ exitCode, signal }) => {
        this.ended = true;
        if (this.killTimer) clearTimeout(this.killTimer);
        if (this.watch) clearInterval(this.watch);
        resolve(signal ? { exitCode, signal } : { exitCode });
      });
    });
  }

  get pid(): number {
    return this.term.pid;
  }

  /**
   * Flow control stops reading the pty, so the program blocks in write().
   * node-pty drops what is still unread 200 ms after the program ends (it
   * destroys the socket when no close comes), so while paused we watch for the
   * program's end and then read everything: what is left is at most the
   * kernel's pty buffer.
   */
  pause(): void {
    if (this.killed || this.childGone || this.ended) return;
    this.paused = true;
    this.term.pause();
    this.watch ??= setInterval(() => {
      try {
        process.kill(this.term.pid, 0);
      } catch {
        this.childGone = true;
        this.resume();
      }
    }, EXIT_WATCH_MS);
  }

  resume(): void {
    this.paused = false;
    if (this.watch) clearInterval(this.watch);
    this.watch = undefined;
    if (!this.ended) this.term.resume();
  }

  write(data: string): void {
    this.term.write(data);
  }

  resize(cols: number, rows: number): void {
    if (!this.ended) this.term.resize(cols, rows);
  }

  /**
   * Stops the program and everything in its process group: SIGTERM, then
   * SIGKILL after a grace period. node-pty starts the program in a new
   * session, so its pid is the group id. A paused pty is read again, and
   * pause() does nothing from now on.
   */
  kill(): void {
    if (this.ended) return;
    this.killed = true;
    signalGroup(this.term.pid, 'SIGTERM');
    if (this.paused) this.resume();
    this.killTimer ??= setTimeout(() => signalGroup(this.term.pid, 'SIGKILL'), KILL_GRACE_MS);
  }
}
