// One program on a local pty: raw bytes out with flow control, and a way to
// stop it that reaches every process it started (its process group). The
// pty itself belongs to the pty helper process (./pty-host/pty-helper.ts),
// so starting a block costs the same however big Modus has grown; in
// Electron, whose packaged binary cannot run as Node, to this process.

import { DirectPty } from './pty-host/direct-pty.js';
import { PtyHelper } from './pty-host/helper-client.js';
import { blockEnvironment, type PtyBackend, type PtyExit, type PtySpawn } from './pty-host/pty-spec.js';

export { DEFAULT_COLS, PTY_ROWS, KILL_GRACE_MS, blockEnvironment, type PtyExit, type PtySpawn } from './pty-host/pty-spec.js';

const inElectron = process.versions.electron !== undefined;

export class PtyProcess {
  /** Resolves when the program ends, or with `failure` when it could not start or its pty was lost. */
  readonly exited: Promise<PtyExit>;
  private readonly backend: PtyBackend;
  private pauses = 0;

  /** `onData` may return a promise: reading stops until it settles (and every other such promise has). */
  constructor(spec: PtySpawn, onData: (bytes: Uint8Array) => void | Promise<void>) {
    const full = { ...spec, env: spec.env ?? blockEnvironment(spec.cols) };
    const deliver = (bytes: Uint8Array): void => {
      const wait = onData(bytes);
      if (!wait) return;
      if (this.pauses++ === 0) this.backend.pause();
      void wait.finally(() => {
        if (--this.pauses === 0) this.backend.resume();
      });
    };
    this.backend = inElectron ? directOrFailed(full, deliver) : PtyHelper.shared().spawn(full, deliver);
    this.exited = this.backend.exited;
  }

  /** Writes to the program's terminal input. */
  write(data: string): void {
    this.backend.write(data);
  }

  /** Changes the terminal's size (the program gets SIGWINCH). */
  resize(cols: number, rows: number): void {
    this.backend.resize(cols, rows);
  }

  /** Stops the program and everything in its process group: SIGTERM, then SIGKILL after a grace period. */
  kill(): void {
    this.backend.kill();
  }
}

function directOrFailed(spec: PtySpawn, onData: (bytes: Uint8Array) => void): PtyBackend {
  try {
    return new DirectPty(spec, onData);
  } catch (e) {
    const nothing = (): void => undefined;
    const exited = Promise.resolve({ exitCode: -1, failure: `could not start ${spec.file}: ${(e as Error).message}` });
    return { exited, write: nothing, resize: nothing, pause: nothing, resume: nothing, kill: nothing };
  }
}
