// One interactive terminal: a shell on a pty (node-pty), its output batched
// and flow-controlled in bytes, its input written in ordered chunks, and its
// working directory tracked (OSC 7, else /proc/<pid>/cwd). A program tab
// (an SSH tab's ssh) knows its directory only from OSC 7, on any host: the
// remote shell's, reported by Modus's integration when it runs there.

import * as pty from 'node-pty';
import { readlink } from 'node:fs/promises';
import { existsSync, readSync, writeSync } from 'node:fs';
import type { AckResult, Watermarks } from './flow-control.js';
import type { BatchOptions } from './output-batcher.js';
import { OutputFlow } from './output-flow.js';
import { splitInput, DEFAULT_INPUT_CHUNK_BYTES } from './input-chunks.js';
import { Osc7Scanner } from './osc7.js';
import { chooseCwd, chooseShell, shellEnvironment } from './shell.js';
import { signalSession } from './process-tree.js';
import { integrateShell } from './shell-integration.js';

export interface TerminalSpawnOptions {
  cols: number;
  rows: number;
  /** null = home. A directory that does not exist falls back to home with a notice. */
  cwd: string | null;
  /** From settings: null = $SHELL. */
  shell: string | null;
  shellArgs: string[];
  /**
   * Runs this program instead of the shell, with no fallback (an SSH tab's
   * ssh); `shell`, `shellArgs` and `shellIntegration` are then unused.
   * `integrationNonce`: the program starts a shell with Modus's integration
   * itself (the remote one), whose marks carry this nonce. `notice`: shown in
   * the terminal before the program's output.
   */
  program?: { file: string; args: string[]; integrationNonce?: string; notice?: string };
  /** Base environment (default process.env). */
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Reported as TERM_PROGRAM_VERSION. */
  version?: string;
  watermarks?: Watermarks;
  batch?: BatchOptions;
  inputChunkBytes?: number;
  /** A pty read error; the terminal is closed after it. */
  onError?: (error: Error) => void;
  /** Start bash and zsh with Modus's shell integration (prompt and command marks, OSC 7). */
  shellIntegration?: boolean;
}

export interface TerminalListener {
  /** A batch of raw pty output (never decoded). The receiver acknowledges it with ack(). */
  data(batch: Buffer): void;
  cwd(cwd: string): void;
  exit(exitCode: number, signal: number | null): void;
  /** Every chunk of raw output as it is read (before batching): what the shell integration's command capture reads. */
  output?(chunk: Buffer): void;
}

/** How long a closed terminal's process group gets to leave after SIGHUP before SIGKILL. */
const KILL_GRACE_MS = 3000;
/**
 * After the user presses Enter, ask /proc for the cwd once the output has
 * been quiet this long, and again after later output (the prompt after a
 * `cd`) for CWD_PROBE_WINDOW_MS: the shell may run the command after the
 * first probe on a loaded machine, but it prints its prompt after it.
 */
const CWD_PROBE_DELAY_MS = 300;
const CWD_PROBE_WINDOW_MS = 10_000;
/** A background job may keep writing after the shell is gone; stop draining somewhere. */
const MAX_EXIT_DRAIN_BYTES = 8 * 1024 * 1024;
const PROC_CWD = process.platform === 'linux' && existsSync('/proc/self/cwd');

/** Emits a notice in the terminal itself, dimmed yellow, so the user sees why. */
export function noticeBytes(text: string): Buffer {
  return Buffer.from(`\x1b[33mmodus: ${text}\x1b[0m\r\n`, 'utf8');
}

/** node-pty offers no drain event; its write queue is the only way to know the kernel took the bytes. */
function writeQueueLength(p: pty.IPty): number {
  const stream = (p as unknown as { _writeStream?: { _writeQueue?: unknown[] } })._writeStream;
  return Array.isArray(stream?._writeQueue) ? stream._writeQueue.length : 0;
}

/** The pty master's file descriptor (node-pty's UnixTerminal.fd); null where there is none (Windows). */
function masterFd(p: pty.IPty): number | null {
  const fd = (p as unknown as { fd?: unknown }).fd;
  return typeof fd === 'number' ? fd : null;
}

const nextTurn = (waited: number): Promise<void> =>
  new Promise((resolve) => (waited < 8 ? setImmediate(resolve) : setTimeout(resolve, 2)));

export class TerminalProcess {
  readonly pid: number;
  readonly shell: string;
  /** The nonce of the shell integration's marks, or null when the shell runs without it. */
  readonly integrationNonce: string | null;
  /** The directory the shell started in. */
  readonly startCwd: string;
  #cwd: string;
  #cols: number;
  #pty: pty.IPty;
  readonly #masterFd: number | null;
  #output: OutputFlow;
  #osc7: Osc7Scanner;
  #sawOsc7 = false;
  /** A program tab: its own cwd says nothing about where its (remote) shell is. */
  readonly #remote: boolean;
  #cwdProbe: NodeJS.Timeout | null = null;
  #lastOutputAt = 0;
  /** Output before this time (performance.now()) probes the cwd again: it may follow a command line. */
  #probeUntil = 0;
  #input: Buffer[] = [];
  #writing = false;
  #inputChunkBytes: number;
  #closed = false;
  #exited = false;
  #killTimer: NodeJS.Timeout | null = null;
  #listener: TerminalListener;

  constructor(options: TerminalSpawnOptions, listener: TerminalListener) {
    this.#listener = listener;
    const env = options.env ?? process.env;
    const shell = options.program ? { file: options.program.file, args: options.program.args, notice: options.program.notice ?? null } : chooseShell(options.shell, options.shellArgs, env);
    this.#remote = options.program !== undefined;
    this.#osc7 = new Osc7Scanner(this.#remote ? null : undefined);
    const cwd = chooseCwd(options.cwd, options.home);
    this.shell = shell.file;
    this.startCwd = cwd.cwd;
    this.#cwd = cwd.cwd;
    this.#cols = options.cols;
    this.#inputChunkBytes = options.inputChunkBytes ?? DEFAULT_INPUT_CHUNK_BYTES;
    this.#output = new OutputFlow(
      {
        pause: () => {
          if (!this.#closed) this.#pty.pause();
        },
        resume: () => {
          if (!this.#closed) this.#pty.resume();
        },
      },
      (batch) => {
        if (!(this.#closed && this.#exited)) this.#listener.data(batch);
      },
      { watermarks: options.watermarks, batch: options.batch },
    );

    let args = shell.args;
    let environment = shellEnvironment(env, options.version ?? '0');
    const integrated = options.shellIntegration && !options.program ? integrateShell(shell.file, shell.args, environment) : null;
    if (integrated) {
      args = integrated.args;
      environment = integrated.env;
    }
    this.integrationNonce = integrated?.nonce ?? options.program?.integrationNonce ?? null;
    this.#pty = pty.spawn(shell.file, args, {
      name: 'xterm-256color',
      cols: options.cols,
      rows: options.rows,
      cwd: cwd.cwd,
      env: environment,
      // Raw bytes: xterm decodes UTF-8 itself, and a chunk may end mid-character.
      encoding: null,
    });
    this.pid = this.#pty.pid;
    this.#masterFd = masterFd(this.#pty);
    for (const notice of [shell.notice, cwd.notice]) if (notice) this.#output.push(noticeBytes(notice));
    // With encoding: null node-pty emits Buffers; its typings only know strings.
    this.#pty.onData((chunk) => this.#onOutput(chunk as unknown as Buffer));
    this.#pty.onExit(({ exitCode, signal }) => this.#onExit(exitCode, signal ?? null));
    // node-pty attaches 'error' listeners to its read socket and rethrows a read error
    // (other than EIO at exit) unless someone else listens; an uncaught throw there would
    // take the whole host down with one terminal. EIO and EAGAIN are the normal end of a pty.
    const emitter = this.#pty as unknown as { on(event: 'error', listener: (e: NodeJS.ErrnoException) => void): void };
    const onReadError = (e: NodeJS.ErrnoException): void => {
      if (e.code === 'EIO' || e.code === 'EAGAIN') return;
      options.onError?.(e);
      this.close();
    };
    emitter.on('error', onReadError);
    emitter.on('error', () => undefined); // node-pty counts listeners: it stays quiet only with two
    this.#keepOutputAtExit();
  }

  /**
   * When the shell exits, node-pty waits 200 ms for its reader to reach the
   * end and then destroys it, dropping whatever the kernel still holds: the
   * last output of a paused (flow-controlled) or merely busy terminal. Before
   * that destroy, read the rest: the reader's buffer, then the master fd
   * (non-blocking) until it is empty.
   */
  #keepOutputAtExit(): void {
    const socket = (this.#pty as unknown as { _socket?: { destroy?: (...args: unknown[]) => unknown; read?: () => unknown } })._socket;
    const fd = this.#masterFd;
    if (!socket || typeof socket.destroy !== 'function' || typeof socket.read !== 'function' || fd === null) return;
    const destroy = socket.destroy.bind(socket);
    const read = socket.read.bind(socket);
    socket.destroy = (...args: unknown[]) => {
      if (!this.#closed) {
        // read() hands buffered chunks to the 'data' listeners, i.e. to #onOutput.
        while (read() !== null);
        const buffer = Buffer.allocUnsafe(64 * 1024);
        for (let total = 0; total < MAX_EXIT_DRAIN_BYTES; ) {
          let n: number;
          try {
            n = readSync(fd, buffer, 0, buffer.length, null);
          } catch {
            break; // EAGAIN: empty; EIO: the other side is gone and nothing is left
          }
          if (n <= 0) break;
          this.#onOutput(Buffer.from(buffer.subarray(0, n)));
          total += n;
        }
      }
      return destroy(...args);
    };
  }

  get cwd(): string {
    return this.#cwd;
  }

  get unacknowledged(): number {
    return this.#output.unacknowledged;
  }

  get paused(): boolean {
    return this.#output.paused;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Queues input; chunks go to the pty in order, each after the previous one drained. */
  write(data: string): void {
    if (this.#closed || this.#exited) return;
    this.#input.push(...splitInput(data, this.#inputChunkBytes));
    // Shells that do not report OSC 7: look at the shell's cwd once a command line was entered.
    if (PROC_CWD && !this.#remote && !this.#sawOsc7 && /[\r\n]/.test(data)) {
      this.#probeUntil = performance.now() + CWD_PROBE_WINDOW_MS;
      this.#scheduleCwdProbe();
    }
    if (!this.#writing) void this.#pumpInput();
  }

  resize(cols: number, rows: number): void {
    if (this.#closed || this.#exited) return;
    this.#cols = cols;
    this.#pty.resize(cols, rows);
  }

  /** The terminal's width now. */
  get cols(): number {
    return this.#cols;
  }

  /** The renderer parsed `bytes` more bytes of output. */
  ack(bytes: number): AckResult {
    return this.#output.ack(bytes);
  }

  /** Hangs up everything the terminal started (its session); SIGKILL if it lingers. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#input = [];
    if (this.#cwdProbe) clearTimeout(this.#cwdProbe);
    this.#output.dispose();
    if (this.#exited) return;
    // A paused reader would keep node-pty from seeing the hangup; let it drain.
    this.#pty.resume();
    this.#signalGroup('SIGHUP');
    this.#killTimer = setTimeout(() => this.#signalGroup('SIGKILL'), KILL_GRACE_MS);
    this.#killTimer.unref();
  }

  #signalGroup(signal: NodeJS.Signals): void {
    if (process.platform === 'win32') {
      this.#pty.kill();
      return;
    }
    signalSession(this.pid, signal);
  }

  #onOutput(chunk: Buffer): void {
    if (this.#closed) return;
    for (const cwd of this.#osc7.scan(chunk)) {
      this.#sawOsc7 = true;
      this.#setCwd(cwd);
    }
    this.#listener.output?.(chunk);
    this.#lastOutputAt = performance.now();
    if (this.#cwdProbe === null && this.#lastOutputAt < this.#probeUntil && !this.#sawOsc7) this.#scheduleCwdProbe();
    this.#output.push(chunk);
  }

  #onExit(exitCode: number, signal: number | null): void {
    if (this.#exited) return;
    this.#exited = true;
    if (this.#killTimer) clearTimeout(this.#killTimer);
    if (this.#cwdProbe) clearTimeout(this.#cwdProbe);
    this.#output.flush();
    this.#input = [];
    this.#listener.exit(exitCode, signal === 0 ? null : signal);
  }

  #setCwd(cwd: string): void {
    if (cwd === this.#cwd) return;
    this.#cwd = cwd;
    if (!this.#closed) this.#listener.cwd(cwd);
  }

  #scheduleCwdProbe(delayMs = CWD_PROBE_DELAY_MS): void {
    if (this.#cwdProbe) clearTimeout(this.#cwdProbe);
    this.#cwdProbe = setTimeout(() => {
      this.#cwdProbe = null;
      const quietFor = performance.now() - this.#lastOutputAt;
      if (quietFor < CWD_PROBE_DELAY_MS) {
        this.#scheduleCwdProbe(CWD_PROBE_DELAY_MS - quietFor);
        return;
      }
      readlink(`/proc/${this.pid}/cwd`).then(
        (cwd) => {
          if (!this.#sawOsc7 && !this.#exited) this.#setCwd(cwd);
        },
        () => undefined, // the shell is gone or not ours to inspect
      );
    }, delayMs);
  }

  /**
   * Writes to the pty master at once when node-pty has nothing queued (the
   * fd is non-blocking); returns what the kernel did not take, for node-pty's
   * queue, which keeps the order. Why: node-pty writes through fs.write, on
   * libuv's thread pool, a thread handoff for every keystroke. Measured with
   * a Node WebSocket client typing into `cat` (300 keys, three runs): echo
   * p50 0.66–0.78 → 0.30–0.36 ms, p90 2.8 → 0.8–1.1 ms.
   */
  #writeDirect(chunk: Buffer): Buffer {
    if (this.#masterFd === null || writeQueueLength(this.#pty) > 0) return chunk;
    try {
      return chunk.subarray(writeSync(this.#masterFd, chunk));
    } catch {
      return chunk; // EAGAIN (the kernel's buffer is full) or worse: node-pty's queue deals with it as before
    }
  }

  async #pumpInput(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#input.length > 0 && !this.#closed && !this.#exited) {
        const chunk = this.#input.shift()!;
        const rest = this.#writeDirect(chunk);
        if (rest.byteLength > 0) this.#pty.write(rest);
        this.#output.inputWritten();
        for (let waited = 0; writeQueueLength(this.#pty) > 0 && !this.#closed && !this.#exited; waited++) await nextTurn(waited);
      }
    } finally {
      this.#writing = false;
    }
  }
}
