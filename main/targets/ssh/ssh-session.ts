// `:session NAME` on a Linux host: one long-lived bash on a remote pty
// (remote-script.ts sessionBootstrap), over the host's connection. Each run
// is one command line plus the script's bytes, framed by markers with a
// nonce fresh per run, as local sessions are. A stopped run kills the
// session's process group on the host (its state after an interrupted
// command is unknown, as for local sessions); the next run starts a new
// shell and says so. A person can take it over by hand, as a local session
// (shell-hold.ts): `cat` then stops feeding the command FIFO, the pty gets
// cooked modes, and what they type goes through the same connection to the
// shell's readline; a second connection resizes the pty with the tab.

import type { ChildProcess } from 'node:child_process';
import { SOURCED_IN_SESSION, programFor } from '../interpreters.js';
import { MarkerStream, newNonce } from '../marker-stream.js';
import { scriptName } from '../private-dir.js';
import { DEFAULT_COLS, PTY_ROWS } from '../pty-process.js';
import { holdScript } from '../hold-script.js';
import { SessionTurns } from '../session-turns.js';
import { ShellHold } from '../shell-hold.js';
import type { RunIO, ScriptOutcome, ScriptRequest, SessionHold, SessionHolder, SessionOptions, TargetSession } from '../target.js';
import { destinationArgs } from './destination.js';
import {
  isBootstrapDir, remoteCommand, remoteResizeCommand, sessionBootstrap, sessionHoldAfter, sessionHoldBefore, sessionRunLine,
} from './remote-script.js';
import type { SshConnection } from './ssh-connection.js';
import { classifySshFailure, lastSshWords } from './ssh-failure.js';
import { clientEnded, killSsh, runSsh, spawnSsh } from './ssh-client.js';
import { abortedOutcome, connectionLost, REMOTE_KILL_WAIT_MS, stopOnHost } from './remote-stop.js';
import { failureText } from './ssh-run.js';

interface RemoteShell {
  child: ChildProcess;
  pid: number;
  dir: string;
  args: string[];
  env: Record<string, string>;
  /** Receives the shell's output while a run is in progress. */
  sink: ((bytes: Uint8Array) => void) | null;
  closed: Promise<number | null>;
  dead: boolean;
  stderr: string;
}

export class SshSession implements TargetSession {
  private shell: RemoteShell | null = null;
  /** Runs and holds by hand, one at a time, in the order asked. */
  private readonly turns: SessionTurns;
  private serial = 0;
  private restarted = false;
  private disposed = false;

  constructor(
    readonly name: string,
    private readonly conn: SshConnection,
    private readonly options: SessionOptions = {},
  ) {
    this.turns = new SessionTurns(name);
  }

  run(req: ScriptRequest, io: RunIO): Promise<ScriptOutcome> {
    return this.turns.run(io, () => this.runNow(req, io));
  }

  takeOver(holder: SessionHolder, size: { cols: number; rows: number }, signal: AbortSignal): Promise<SessionHold | { error: string }> {
    return this.turns.takeOver(holder, signal, () => this.beginHold(holder, size));
  }

  /** In the session's turn: the remote shell (started if need be) runs the hold loop on its pty. */
  private async beginHold(holder: SessionHolder, size: { cols: number; rows: number }): Promise<ShellHold | { error: string }> {
    const live = await this.liveShell();
    if ('failed' in live) return { error: `could not start session "${this.name}" on ${this.conn.label}: ${live.failed}` };
    const shell = live.shell;
    if (this.restarted) {
      this.restarted = false;
      void holder.onData(Buffer.from(`modus: session "${this.name}" on ${this.conn.label} started a new shell because the previous one ended; earlier cwd and variables are gone\r\n`));
    }
    const nonce = newNonce();
    const resizer = new RemoteResize(shell, this.conn);
    const hold = new ShellHold(
      this.name,
      nonce,
      holder,
      { input: (d) => shell.child.stdin!.write(d), resize: (c, r) => resizer.resize(c, r), terminal: (path) => resizer.terminal(path) },
      () => this.turns.changed(),
    );
    let pauses = 0;
    shell.sink = (bytes) => {
      const wait = hold.feed(bytes);
      if (!wait) return;
      if (pauses++ === 0) shell.child.stdout!.pause();
      void wait.finally(() => {
        if (--pauses === 0) shell.child.stdout!.resume();
      });
    };
    void shell.closed.then((code) => {
      hold.end({ kind: 'shell-ended', message: `the shell of session "${this.name}" on ${this.conn.label} ended (${code === 255 ? `connection lost: ${lastSshWords(shell.stderr)}` : `exit status ${code}`}); the next block starts a new one` });
    });
    void hold.ended.then(() => {
      shell.sink = null;
      if (pauses > 0) shell.child.stdout!.resume();
    });
    const cols = this.options.cols ?? DEFAULT_COLS;
    shell.child.stdin!.write(
      holdScript({
        nonce,
        name: this.name,
        before: sessionHoldBefore({ dir: shell.dir, nonce, cols: size.cols, rows: size.rows }),
        after: sessionHoldAfter({ cols, rows: PTY_ROWS }),
      }),
    );
    return hold;
  }

  private async runNow(req: ScriptRequest, io: RunIO): Promise<ScriptOutcome> {
    if (this.disposed) return { kind: 'failed', message: `session "${this.name}" is closed` };
    if (io.signal.aborted) return { kind: 'aborted' };
    let program: string | null = null;
    if (!SOURCED_IN_SESSION.has(req.language)) {
      const p = programFor(req.language);
      if ('error' in p) return { kind: 'failed', message: p.error };
      program = p.program;
    }
    const live = await this.liveShell();
    if ('failed' in live) return { kind: 'failed', message: live.failed };
    const shell = live.shell;
    if (this.restarted) {
      this.restarted = false;
      await io.onData(Buffer.from(`modus: session "${this.name}" on ${this.conn.label} started a new shell because the previous one ended; earlier cwd and variables are gone\r\n`));
    }
    const script = Buffer.from(req.script, 'utf8');
    const nonce = newNonce();
    const markers = new MarkerStream(nonce);
    let status: number | undefined;
    let failure: string | undefined;
    let pauses = 0;
    let onEnd: () => void = () => {};
    const ended = new Promise<void>((resolve) => (onEnd = resolve));
    shell.sink = (bytes) => {
      const scan = markers.feed(bytes);
      if (scan.failure !== undefined) {
        failure = scan.failure;
        onEnd();
        return;
      }
      if (scan.output.length > 0) {
        const wait = io.onData(scan.output);
        if (wait) {
          if (pauses++ === 0) shell.child.stdout!.pause();
          void wait.finally(() => {
            if (--pauses === 0) shell.child.stdout!.resume();
          });
        }
      }
      if (scan.endStatus !== undefined) {
        status = scan.endStatus;
        onEnd();
      }
    };
    const line = sessionRunLine({
      nonce,
      dir: shell.dir,
      scriptFile: scriptName(req.language, ++this.serial),
      scriptBytes: script.length,
      program,
      ...(req.cwd !== undefined ? { cwd: req.cwd } : {}),
    });
    let stopping: Promise<string | null> | null = null;
    const onAbort = (): void => {
      shell.dead = true;
      this.restarted = true;
      stopping = this.stop(shell);
    };
    io.signal.addEventListener('abort', onAbort, { once: true });
    if (io.signal.aborted) onAbort();
    try {
      shell.child.stdin!.write(Buffer.concat([Buffer.from(line, 'utf8'), script]));
      const closedFirst = await Promise.race([ended.then(() => false), shell.closed.then(() => true)]);
      if (stopping) {
        // A plain aborted means nothing of the block runs on the host.
        return abortedOutcome(this.conn.label, shell.pid, await stopping);
      }
      if (failure !== undefined) return { kind: 'failed', message: failureText(failure, this.conn.label, program ?? 'bash', req.cwd) };
      if (!closedFirst && status !== undefined) return { kind: 'exited', exitCode: status };
      // The shell ended: the block ran `exit`, or the connection went.
      shell.dead = true;
      this.restarted = true;
      const rest = markers.flush();
      if (rest.length > 0) await io.onData(rest);
      const code = await shell.closed;
      if (code === 255) {
        return { kind: 'failed', message: connectionLost(this.conn.label, shell.pid, lastSshWords(shell.stderr)) };
      }
      return { kind: 'exited', exitCode: code ?? 1 };
    } finally {
      io.signal.removeEventListener('abort', onAbort);
      shell.sink = null;
      if (shell.dead && this.shell === shell) this.shell = null;
    }
  }

  private async liveShell(): Promise<{ shell: RemoteShell } | { failed: string }> {
    if (this.shell && !this.shell.dead) return { shell: this.shell };
    if (this.shell) {
      this.restarted = true;
      await this.stop(this.shell);
      this.shell = null;
    }
    const ready = await this.conn.ready();
    if ('failure' in ready) return { failed: ready.failure.message };
    const started = await this.start(ready.args, ready.env);
    if ('failed' in started) return started;
    this.shell = started.shell;
    return started;
  }

  private start(args: string[], env: Record<string, string>): Promise<{ shell: RemoteShell } | { failed: string }> {
    const readyNonce = newNonce();
    const startNonce = newNonce();
    const bootstrap = Buffer.from(
      sessionBootstrap({ nonce: startNonce, cols: this.options.cols ?? DEFAULT_COLS, rows: PTY_ROWS, ...(this.options.cwd !== undefined ? { cwd: this.options.cwd } : {}) }),
      'utf8',
    );
    let child: ChildProcess;
    try {
      child = spawnSsh({ args: [...args, '-tt', ...destinationArgs(this.conn.destination), remoteCommand(readyNonce, bootstrap.length)], env });
    } catch (e) {
      return Promise.resolve({ failed: (e as Error).message });
    }
    const label = this.conn.label;
    return new Promise((resolve) => {
      const readyMarker = new MarkerStream(readyNonce);
      const startMarker = new MarkerStream(startNonce);
      let phase: 'ready' | 'start' | 'live' = 'ready';
      let stderr = '';
      const closed = clientEnded(child).then((e) => e.code);
      child.stdin!.on('error', () => undefined);
      child.stderr!.on('data', (b: Buffer) => {
        if (stderr.length < 65536) stderr += b.toString('utf8');
        if (phase === 'live' && shell) shell.stderr = stderr;
      });
      let shell: RemoteShell | null = null;
      const onStart = (bytes: Uint8Array): void => {
        const scan = startMarker.feed(bytes);
        if (scan.failure !== undefined) {
          killSsh(child);
          resolve({ failed: failureText(scan.failure, label, 'bash', this.options.cwd) });
          return;
        }
        if (!scan.beginFields) return;
        const pid = Number(scan.beginFields[0]);
        const dir = scan.beginFields[1] ?? '';
        if (!Number.isInteger(pid) || pid <= 1 || !isBootstrapDir(dir)) {
          killSsh(child);
          resolve({ failed: `the session on ${label} sent an unexpected start marker` });
          return;
        }
        phase = 'live';
        shell = { child, pid, dir, args, env, sink: null, closed, dead: false, stderr };
        void closed.then(() => {
          if (shell) shell.dead = true;
        });
        resolve({ shell });
        if (scan.output.length > 0) shell.sink?.(scan.output);
      };
      child.stdout!.on('data', (b: Buffer) => {
        if (phase === 'live') return shell?.sink?.(b);
        if (phase === 'start') return onStart(b);
        const scan = readyMarker.feed(b);
        if (!scan.beginFields) return;
        phase = 'start';
        child.stdin!.write(bootstrap);
        if (scan.output.length > 0) onStart(scan.output);
      });
      void closed.then((code) => {
        if (phase === 'live') return;
        resolve({ failed: code === 255 ? classifySshFailure(stderr, { label }).message : `could not start session "${this.name}" on ${label} (ssh exited with ${code}${stderr.trim() ? `: ${lastSshWords(stderr)}` : ''})` });
      });
    });
  }

  /** Kills the session's processes on the host, then ends the local client: null once nothing is left there, else why that is not known. */
  private async stop(shell: RemoteShell): Promise<string | null> {
    shell.dead = true;
    const notStopped = await stopOnHost(this.conn, { args: shell.args, env: shell.env }, shell.pid, shell.dir);
    killSsh(shell.child);
    await shell.closed;
    return notStopped;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.turns.close(() => this.endShell());
  }

  private async endShell(): Promise<void> {
    const shell = this.shell;
    this.shell = null;
    if (shell && !shell.dead) {
      // A clean end: bash exits, the bootstrap stops cat and removes its directory; a pty gives no EOF to wait for.
      shell.child.stdin!.write('exit 0\n');
      const timer = setTimeout(() => void this.stop(shell), REMOTE_KILL_WAIT_MS);
      await shell.closed;
      clearTimeout(timer);
    }
  }
}

/**
 * Resizes a held session's pty from a second client over the same
 * connection (the session's own client has no local terminal whose size ssh
 * would pass on). One at a time; only the latest size matters.
 */
class RemoteResize {
  private tty: string | null = null;
  private wanted: { cols: number; rows: number } | null = null;
  private busy = false;

  constructor(
    private readonly shell: RemoteShell,
    private readonly conn: SshConnection,
  ) {}

  terminal(path: string): void {
    this.tty = path;
    this.next();
  }

  resize(cols: number, rows: number): void {
    this.wanted = { cols, rows };
    this.next();
  }

  private next(): void {
    if (this.busy || this.tty === null || this.wanted === null || this.shell.dead) return;
    const command = remoteResizeCommand(this.tty, this.wanted.cols, this.wanted.rows);
    this.wanted = null;
    if (command === null) return;
    this.busy = true;
    void runSsh([...this.shell.args, '-T', ...destinationArgs(this.conn.destination), command], { env: this.shell.env, timeoutMs: REMOTE_KILL_WAIT_MS })
      .catch(() => undefined)
      .finally(() => {
        this.busy = false;
        this.next();
      });
  }
}
