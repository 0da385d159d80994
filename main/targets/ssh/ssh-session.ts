// `:session NAME` on a Linux host: one long-lived bash on a remote pty
// (remote-script.ts sessionBootstrap), over the host's connection. Each run
// is one command line plus the script's bytes, framed by markers with a
// nonce fresh per run, as local sessions are. A stopped run kills the
// session's process group on the host (its state after an interrupted
// command is unknown, as for local sessions); the next run starts a new
// shell and says so.

import type { ChildProcess } from 'node:child_process';
import { SOURCED_IN_SESSION, programFor } from '../interpreters.js';
import { MarkerStream, newNonce } from '../marker-stream.js';
import { scriptName } from '../private-dir.js';
import { DEFAULT_COLS, PTY_ROWS } from '../pty-process.js';
import type { RunIO, ScriptOutcome, ScriptRequest, SessionOptions, TargetSession } from '../target.js';
import { destinationArgs } from './destination.js';
import { isBootstrapDir, remoteCommand, remoteKillCommand, sessionBootstrap, sessionRunLine } from './remote-script.js';
import type { SshConnection } from './ssh-connection.js';
import { classifySshFailure, lastSshWords } from './ssh-failure.js';
import { clientEnded, killSsh, runSsh, spawnSsh } from './ssh-client.js';
import { failureText } from './ssh-run.js';

const REMOTE_KILL_WAIT_MS = 5000;

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
  private queue: Promise<unknown> = Promise.resolve();
  private serial = 0;
  private restarted = false;
  private disposed = false;

  constructor(
    readonly name: string,
    private readonly conn: SshConnection,
    private readonly options: SessionOptions = {},
  ) {}

  run(req: ScriptRequest, io: RunIO): Promise<ScriptOutcome> {
    const next = this.queue.then(() => this.runNow(req, io));
    this.queue = next.catch(() => undefined);
    return next;
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
    let stopping: Promise<void> | null = null;
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
        await stopping;
        return { kind: 'aborted' };
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
        return { kind: 'failed', message: `the connection to ${this.conn.label} was lost while the block ran (${lastSshWords(shell.stderr)}); the block may still be running there` };
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

  /** Kills the session's process group on the host, then ends the local client. */
  private async stop(shell: RemoteShell): Promise<void> {
    shell.dead = true;
    await runSsh([...shell.args, '-T', ...destinationArgs(this.conn.destination), remoteKillCommand(shell.pid, shell.dir)], {
      env: shell.env,
      timeoutMs: REMOTE_KILL_WAIT_MS,
    }).catch(() => undefined);
    killSsh(shell.child);
    await shell.closed;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.queue;
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
