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
import { SessionTurns } from './session-turns.js';

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
  /** Runs and holds by hand, one at a time, in the order asked. */
  private readonly turns: SessionTurns;
  private serial = 0;
  private restarted = false;
  private disposed = false;

  constructor(
    readonly name: string,
    private readonly options: SessionOptions & { defaultCwd: string },
    private readonly directory: (dir: string) => string = (dir) => dir,
  ) {
    this.turns = new SessionTurns(name);
  }

  run(req: ScriptRequest, io: RunIO): Promise<ScriptOutcome> {
    return this.turns.run(io, () => this.runNow(req, io));
  }

  takeOver(holder: SessionHolder, size: { cols: number; rows: number }, signal: AbortSignal): Promise<SessionHold | { error: string }> {
    return this.turns.takeOver(holder, signal, () => this.beginHold(holder, size));
  }

  /** In the session's turn: the shell (started if need be) runs the hold loop on its terminal, sized as the tab. */
  private async beginHold(holder: SessionHolder, size: { cols: number; rows: number }): Promise<ShellHold | { error: string }> {
    let shell: LiveShell;
    try {
      shell = await this.liveShell();
    } catch (e) {
      return { error: `could not start session "${this.name}": ${(e as Error).message}` };
    }
    if (this.restarted) {
      this.restarted = false;
      void holder.onData(Buffer.from(`modus: session "${this.name}" started a new shell because the previous one ended; earlier cwd and variables are gone\r\n`));
    }
    const nonce = newNonce();
    const hold = new ShellHold(this.name, nonce, holder, { input: (d) => shell.process.write(d), resize: (c, r) => shell.process.resize(c, r) }, () => this.turns.changed());
    shell.sink = (bytes) => hold.feed(bytes);
    shell.process.resize(size.cols, size.rows);
    void shell.process.exited.then((exit) => {
      const how = exit.failure ?? (exit.signal ? `killed by signal ${exit.signal}` : `exit status ${exit.exitCode}`);
      hold.end({ kind: 'shell-ended', message: `the shell of session "${this.name}" ended (${how}); the next block starts a new one` });
    });
    void hold.ended.then(() => {
      shell.sink = null;
      if (!shell.dead) shell.process.resize(this.options.cols ?? DEFAULT_COLS, PTY_ROWS);
    });
    try {
      await shell.fifo.write(holdScript({ nonce, name: this.name }));
    } catch (e) {
      const message = `could not hand session "${this.name}" over: ${(e as Error).message}`;
      hold.end({ kind: 'shell-ended', message });
      return { error: message };
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
      if (result.exit.failure !== undefined) return { kind: 'failed', message: `session "${this.name}": ${result.exit.failure}` };
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
    await this.turns.close(async () => {
      if (this.shell) await this.discard(this.shell);
    });
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
