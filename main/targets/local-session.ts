// A persistent local shell (`:session NAME`): one non-interactive bash on a pty
// that reads commands from a private FIFO. Reading commands from a FIFO rather
// than the terminal means no prompts, no echo of what we send, and nothing a
// block does to the terminal (stty, raw mode) can disturb the next command.
// Each run is framed by begin/end markers with a fresh nonce (marker-stream.ts).
// A person can take the shell over by hand (takeOver, shell-hold.ts): it then
// reads what they type from its terminal, and runs wait until it is handed
// back.

import { execFile } from 'node:child_process';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { holdScript } from './hold-script.js';
import { resolveInterpreter, SOURCED_IN_SESSION } from './interpreters.js';
import { MarkerStream, beginMarkerCommand, endMarkerCommand, newNonce } from './marker-stream.js';
import { PrivateDir, scriptName, shellQuote } from './private-dir.js';
import { DEFAULT_COLS, PTY_ROWS, PtyProcess } from './pty-process.js';
import { ShellHold } from './shell-hold.js';
import type { RunIO, ScriptOutcome, ScriptRequest, SessionHold, SessionHolder, SessionOptions, TargetSession } from './target.js';
import { Turns } from './turns.js';

const execFileAsync = promisify(execFile);

interface LiveShell {
  process: PtyProcess;
  fifo: FileHandle;
  dir: PrivateDir;
  /** Receives the shell's output while a run is in progress. */
  sink: ((bytes: Uint8Array) => void | Promise<void>) | null;
  dead: boolean;
}

export class LocalSession implements TargetSession {
  private shell: LiveShell | null = null;
  /** Runs and holds, one at a time, in the order asked. */
  private readonly turns = new Turns();
  private serial = 0;
  private restarted = false;
  private disposed = false;
  private hold: ShellHold | null = null;
  /** Where a take-over waiting for its turn will hold the session. */
  private pendingHolder: string | null = null;
  /** Runs waiting while the session is held, and what they were told (told again when it changes). */
  private readonly waiters = new Map<RunIO, string>();

  constructor(
    readonly name: string,
    private readonly options: SessionOptions & { defaultCwd: string },
    private readonly directory: (dir: string) => string = (dir) => dir,
  ) {}

  async run(req: ScriptRequest, io: RunIO): Promise<ScriptOutcome> {
    let told = false;
    const release = await this.turns.take(io.signal, () => {
      const why = this.heldReason();
      if (why === null) return;
      told = true;
      this.waiters.set(io, why);
      io.waiting?.(why);
    });
    this.waiters.delete(io);
    // Cancelled while it waited: it never reached the shell, which stays as it is (and stays held).
    if (!release) return { kind: 'aborted' };
    if (told) io.waiting?.(null);
    try {
      return await this.runNow(req, io);
    } finally {
      release();
    }
  }

  /** Why a run now would wait: the session is held by hand (or about to be); null when it is not. */
  private heldReason(): string | null {
    if (this.hold) return this.hold.waitReason();
    if (this.pendingHolder !== null) return `session "${this.name}" is being opened in ${this.pendingHolder}; the block runs when it is handed back`;
    return null;
  }

  private tellWaiters(): void {
    const why = this.heldReason();
    if (why === null) return;
    for (const [io, told] of this.waiters) {
      if (told === why) continue;
      this.waiters.set(io, why);
      io.waiting?.(why);
    }
  }

  /** Where the session is held by hand now, or null. */
  get heldBy(): string | null {
    return this.hold?.where ?? this.pendingHolder;
  }

  async takeOver(holder: SessionHolder, size: { cols: number; rows: number }, signal: AbortSignal): Promise<SessionHold | { error: string }> {
    if (this.disposed) return { error: `session "${this.name}" is closed` };
    if (this.hold) {
      if (this.hold.attach(holder)) return this.hold;
      const where = this.hold.where;
      return { error: where !== null ? `session "${this.name}" is already held in ${where}` : `session "${this.name}" is being handed back; open it again in a moment` };
    }
    if (this.pendingHolder !== null) return { error: `session "${this.name}" is already being opened in ${this.pendingHolder}` };
    this.pendingHolder = holder.where;
    this.tellWaiters();
    let release: (() => void) | null;
    try {
      release = await this.turns.take(signal, () => holder.onWaiting?.(`session "${this.name}" is running a block; the terminal gets it when the block ends`));
    } finally {
      this.pendingHolder = null;
    }
    if (!release) return { error: `opening session "${this.name}" was given up` };
    if (this.disposed) {
      release();
      return { error: `session "${this.name}" is closed` };
    }
    let shell: LiveShell;
    try {
      shell = await this.liveShell();
    } catch (e) {
      release();
      return { error: `could not start session "${this.name}": ${(e as Error).message}` };
    }
    if (this.restarted) {
      this.restarted = false;
      void holder.onData(Buffer.from(`modus: session "${this.name}" started a new shell because the previous one ended; earlier cwd and variables are gone\r\n`));
    }
    const nonce = newNonce();
    const hold = new ShellHold(this.name, nonce, holder, { input: (d) => shell.process.write(d), resize: (c, r) => shell.process.resize(c, r) }, () => this.tellWaiters());
    this.hold = hold;
    shell.sink = (bytes) => hold.feed(bytes);
    shell.process.resize(size.cols, size.rows);
    void shell.process.exited.then((exit) => {
      const how = exit.signal ? `killed by signal ${exit.signal}` : `exit status ${exit.exitCode}`;
      hold.end({ kind: 'shell-ended', message: `the shell of session "${this.name}" ended (${how}); the next block starts a new one` });
    });
    void hold.ended.then(() => {
      if (this.hold === hold) this.hold = null;
      shell.sink = null;
      if (!shell.dead) shell.process.resize(this.options.cols ?? DEFAULT_COLS, PTY_ROWS);
      release();
    });
    try {
      await shell.fifo.write(holdScript({ nonce, name: this.name }));
    } catch (e) {
      hold.end({ kind: 'shell-ended', message: `could not hand session "${this.name}" over: ${(e as Error).message}` });
      return { error: `could not hand session "${this.name}" over: ${(e as Error).message}` };
    }
    return hold;
  }

  private async runNow(req: ScriptRequest, io: RunIO): Promise<ScriptOutcome> {
    if (this.disposed) return { kind: 'failed', message: `session "${this.name}" is closed` };
    if (io.signal.aborted) return { kind: 'aborted' };
    let command: (quotedScript: string) => string;
    try {
      command = await this.commandFor(req);
    } catch (e) {
      return { kind: 'failed', message: (e as Error).message };
    }
    let shell: LiveShell;
    try {
      shell = await this.liveShell();
    } catch (e) {
      return { kind: 'failed', message: `could not start session "${this.name}": ${(e as Error).message}` };
    }
    if (this.restarted) {
      this.restarted = false;
      await io.onData(Buffer.from(`modus: session "${this.name}" started a new shell because the previous one ended; earlier cwd and variables are gone\r\n`));
    }
    const serial = ++this.serial;
    const script = await shell.dir.writeScript(scriptName(req.language, serial), req.script);
    const nonce = newNonce();
    const markers = new MarkerStream(nonce);
    let onEnd: (status: number) => void = () => {};
    const ended = new Promise<number>((resolve) => (onEnd = resolve));
    shell.sink = (bytes) => {
      const scan = markers.feed(bytes);
      const wait = scan.output.length > 0 ? io.onData(scan.output) : undefined;
      if (scan.endStatus !== undefined) onEnd(scan.endStatus);
      return wait;
    };
    const line = `${beginMarkerCommand(nonce)}; ${command(shellQuote(script))}; ${endMarkerCommand(nonce)}\n`;
    const onAbort = (): void => this.kill(shell);
    io.signal.addEventListener('abort', onAbort, { once: true });
    if (io.signal.aborted) onAbort();
    try {
      await shell.fifo.write(line);
      const result = await Promise.race([
        ended.then((status) => ({ kind: 'exited' as const, exitCode: status })),
        shell.process.exited.then((exit) => ({ kind: 'shell-exit' as const, exit })),
      ]);
      if (result.kind === 'exited') return result;
      // The shell itself ended: the block ran `exit`, or we killed it.
      shell.dead = true;
      this.restarted = true;
      const rest = markers.flush();
      if (rest.length > 0) await io.onData(rest);
      if (io.signal.aborted) return { kind: 'aborted' };
      return result.exit.signal ? { kind: 'exited', exitCode: result.exit.exitCode, signal: result.exit.signal } : { kind: 'exited', exitCode: result.exit.exitCode };
    } finally {
      io.signal.removeEventListener('abort', onAbort);
      shell.sink = null;
      if (shell.dead) await this.discard(shell);
      else await shell.dir.removeFile(script);
    }
  }

  /** Shell code that runs the script at a (quoted) path inside the session. */
  private async commandFor(req: ScriptRequest): Promise<(quotedScript: string) => string> {
    let cd = '';
    if (req.cwd !== undefined) {
      const dir = this.directory(req.cwd);
      await requireDirectory(dir);
      cd = `cd -- ${shellQuote(dir)} && `;
    }
    if (SOURCED_IN_SESSION.has(req.language)) return (s) => `${cd}{ . ${s}; } </dev/null`;
    const interpreter = await resolveInterpreter(req.language);
    if ('error' in interpreter) throw new Error(interpreter.error);
    return (s) => `${cd}{ ${shellQuote(interpreter.path)} ${s}; } </dev/null`;
  }

  private async liveShell(): Promise<LiveShell> {
    if (this.shell && !this.shell.dead) return this.shell;
    if (this.shell) {
      // It ended between runs (a background `kill $$`, say): start again, and say so.
      this.restarted = true;
      await this.discard(this.shell);
    }
    const cwd = this.options.cwd ?? this.options.defaultCwd;
    await requireDirectory(cwd);
    const dir = await PrivateDir.create();
    try {
      const fifoPath = join(dir.path, 'commands');
      await execFileAsync('mkfifo', ['-m', '600', fifoPath]);
      // O_RDWR on a FIFO does not wait for a reader (Linux, macOS), so a shell that fails to start cannot hang us.
      const fifo = await open(fifoPath, 'r+');
      const cols = this.options.cols ?? DEFAULT_COLS;
      const shell: LiveShell = { process: undefined as unknown as PtyProcess, fifo, dir, sink: null, dead: false };
      shell.process = new PtyProcess(
        { file: 'bash', args: ['--noprofile', '--norc', '-c', 'exec bash --noprofile --norc -s <"$0"', fifoPath], cwd, cols },
        (bytes) => shell.sink?.(bytes),
      );
      void shell.process.exited.then(() => (shell.dead = true));
      this.shell = shell;
      return shell;
    } catch (e) {
      await dir.remove();
      throw e;
    }
  }

  private kill(shell: LiveShell): void {
    shell.process.kill();
  }

  private async discard(shell: LiveShell): Promise<void> {
    shell.process.kill();
    await shell.process.exited;
    await shell.fifo.close().catch(() => undefined);
    await shell.dir.remove();
    if (this.shell === shell) this.shell = null;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.hold?.end({ kind: 'closed', message: `session "${this.name}" was closed` });
    // After the run in progress; runs still waiting find the session closed.
    const release = await this.turns.take();
    try {
      if (this.shell) await this.discard(this.shell);
    } finally {
      release?.();
    }
  }
}

export async function requireDirectory(path: string): Promise<void> {
  let s;
  try {
    s = await stat(path);
  } catch {
    throw new Error(`working directory ${path} does not exist`);
  }
  if (!s.isDirectory()) throw new Error(`working directory ${path} is not a directory`);
}
