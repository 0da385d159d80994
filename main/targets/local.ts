// The local target: blocks run on this machine through node-pty, so programs
// see a terminal (colours, progress bars, line buffering) as they would in a
// terminal tab. A fresh run is one process per block; `:session` runs go to a
// LocalSession.

import { homedir, hostname } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { resolveInterpreter } from './interpreters.js';
import { LocalSession, requireDirectory } from './local-session.js';
import { MarkerStream, beginMarkerCommand, endMarkerCommand, newNonce } from './marker-stream.js';
import { PrivateDir, scriptName } from './private-dir.js';
import { DEFAULT_COLS, PtyProcess, blockEnvironment } from './pty-process.js';
import type { RunIO, ScriptOutcome, ScriptRequest, SessionOptions, Target, TargetSession } from './target.js';

export interface LocalTargetOptions {
  /** Working directory when a request names none (the notebook's directory for notebook runs). */
  defaultCwd: string;
  /** Host label; `local` unless given. */
  label?: string;
}

export class LocalTarget implements Target {
  private readonly sessions = new Set<LocalSession>();
  private serial = 0;
  /** One private 0700 directory for this target's script files, removed by dispose(). */
  private scripts: Promise<PrivateDir> | null = null;

  constructor(private readonly options: LocalTargetOptions) {}

  describe(): string {
    return this.options.label ?? 'local';
  }

  /** The machine's name, for journals ("local" alone does not say which machine). */
  machine(): string {
    return hostname();
  }

  async run(req: ScriptRequest, io: RunIO): Promise<ScriptOutcome> {
    if (io.signal.aborted) return { kind: 'aborted' };
    const cwd = req.cwd === undefined ? this.options.defaultCwd : localDirectory(req.cwd, this.options.defaultCwd);
    try {
      await requireDirectory(cwd);
    } catch (e) {
      return { kind: 'failed', message: (e as Error).message };
    }
    const interpreter = await resolveInterpreter(req.language);
    if ('error' in interpreter) return { kind: 'failed', message: interpreter.error };
    this.scripts ??= PrivateDir.create();
    let script: string | undefined;
    try {
      const dir = await this.scripts;
      script = await dir.writeScript(scriptName(req.language, ++this.serial), req.script);
      const cols = req.cols ?? DEFAULT_COLS;
      // A small sh wrapper gives the program /dev/null as stdin, then prints an end
      // marker with its status and waits for our acknowledgement before it exits.
      // node-pty discards output still unread 200 ms after the process ends, so the
      // process must not end before we have read everything (a busy or paused reader
      // would otherwise lose the tail of big output).
      const nonce = newNonce();
      const markers = new MarkerStream(nonce);
      let status: number | undefined;
      const wrapper = `${beginMarkerCommand(nonce)}; "$0" "$@" </dev/null; ${endMarkerCommand(nonce)}; IFS= read -r _; exit 0`;
      const child: PtyProcess = new PtyProcess(
        { file: '/bin/sh', args: ['-c', wrapper, interpreter.path, script], cwd, cols, env: blockEnvironment(cols) },
        (bytes) => {
          const scan = markers.feed(bytes);
          const wait = scan.output.length > 0 ? io.onData(scan.output) : undefined;
          if (scan.endStatus !== undefined) {
            status = scan.endStatus;
            child.write('\r');
          }
          return wait;
        },
      );
      const onAbort = (): void => child.kill();
      io.signal.addEventListener('abort', onAbort, { once: true });
      // The signal may have fired while the script was being prepared: a listener added now would never run.
      if (io.signal.aborted) onAbort();
      try {
        const exit = await child.exited;
        if (exit.failure !== undefined) return { kind: 'failed', message: exit.failure };
        if (io.signal.aborted) return { kind: 'aborted' };
        if (status !== undefined) return { kind: 'exited', exitCode: status };
        // Killed from outside before the marker: whatever was held back is output.
        const rest = markers.flush();
        if (rest.length > 0) await io.onData(rest);
        return exit.signal ? { kind: 'exited', exitCode: exit.exitCode, signal: exit.signal } : { kind: 'exited', exitCode: exit.exitCode };
      } finally {
        io.signal.removeEventListener('abort', onAbort);
      }
    } catch (e) {
      return { kind: 'failed', message: `could not start ${interpreter.path}: ${(e as Error).message}` };
    } finally {
      if (script !== undefined) await (await this.scripts).removeFile(script);
    }
  }

  async openSession(name: string, options: SessionOptions = {}): Promise<TargetSession> {
    const session = new LocalSession(name, { ...options, defaultCwd: this.options.defaultCwd }, (dir) => localDirectory(dir, this.options.defaultCwd));
    this.sessions.add(session);
    return session;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.sessions].map((s) => s.dispose()));
    this.sessions.clear();
    const scripts = this.scripts;
    this.scripts = null;
    if (scripts) await (await scripts).remove();
  }
}

/** A directory as written in a block: `~` is the home directory; a relative path is relative to the default (the notebook's directory). */
export function localDirectory(dir: string, base: string): string {
  if (dir === '~') return homedir();
  if (dir.startsWith('~/')) return join(homedir(), dir.slice(2));
  return isAbsolute(dir) ? dir : resolve(base, dir);
}
