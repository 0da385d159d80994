// Modus's end of the pty helper (./pty-helper.ts): one helper process per
// Modus process, started with the first block and shared by all, with ptys
// multiplexed over its stdin and fd 3. The helper does not keep Modus alive:
// its channel holds the event loop only while a pty is open.

import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { FrameReader, FrameType, encodeFrame, encodeJsonFrame, frameJson, type Frame } from './frames.js';
import { signalGroup, type PtyBackend, type PtyExit, type PtySpawn } from './pty-spec.js';

const HELPER = fileURLToPath(new URL('./pty-helper.js', import.meta.url));

class RelayedPty implements PtyBackend {
  readonly exited: Promise<PtyExit>;
  pid: number | null = null;
  settle!: (exit: PtyExit) => void;

  constructor(
    private readonly helper: PtyHelper,
    readonly id: number,
    readonly onData: (bytes: Uint8Array) => void,
  ) {
    this.exited = new Promise((resolve) => (this.settle = resolve));
  }

  write(data: string): void {
    this.helper.send(encodeFrame(FrameType.Write, this.id, Buffer.from(data, 'utf8')));
  }
  resize(cols: number, rows: number): void {
    this.helper.send(encodeJsonFrame(FrameType.Resize, this.id, { cols, rows }));
  }
  pause(): void {
    this.helper.send(encodeFrame(FrameType.Pause, this.id));
  }
  resume(): void {
    this.helper.send(encodeFrame(FrameType.Resume, this.id));
  }
  kill(): void {
    this.helper.send(encodeFrame(FrameType.Kill, this.id));
  }
}

export class PtyHelper {
  static #shared: PtyHelper | null = null;

  /** The helper of this process, started if there is none or the last one ended. */
  static shared(): PtyHelper {
    if (PtyHelper.#shared === null || PtyHelper.#shared.#ended !== null) PtyHelper.#shared = new PtyHelper();
    return PtyHelper.#shared;
  }

  readonly #child: ChildProcess;
  readonly #channel: Socket;
  readonly #reader = new FrameReader();
  readonly #ptys = new Map<number, RelayedPty>();
  #nextId = 1;
  /** Why the helper is gone, once it is. */
  #ended: string | null = null;

  private constructor() {
    // Not process.execArgv: a debugger or test runner flag of Modus is not the helper's.
    this.#child = spawn(process.execPath, [HELPER], { stdio: ['pipe', 'ignore', 'inherit', 'pipe'] });
    this.#channel = this.#child.stdio[3] as Socket;
    (this.#child.stdin as Socket).unref();
    this.#hold(false);
    this.#child.stdin!.on('error', () => undefined);
    this.#channel.on('data', (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = this.#reader.push(chunk);
      } catch (e) {
        this.#end((e as Error).message);
        this.#child.kill('SIGKILL');
        return;
      }
      for (const frame of frames) this.#handle(frame);
    });
    this.#child.on('error', (e) => this.#end(`could not start the pty helper (${process.execPath} ${HELPER}): ${e.message}`));
    this.#child.on('close', (code, signal) => this.#end(`the pty helper process ended (${signal ?? `exit ${code}`}) while the program ran; the program was stopped`));
  }

  spawn(spec: PtySpawn, onData: (bytes: Uint8Array) => void): PtyBackend {
    // shared() never hands out a helper that has ended.
    const pty = new RelayedPty(this, this.#nextId++, onData);
    if (this.#ptys.size === 0) this.#hold(true);
    this.#ptys.set(pty.id, pty);
    this.send(encodeJsonFrame(FrameType.Spawn, pty.id, spec));
    return pty;
  }

  /** The helper's process id (tests look at its children). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  send(frame: Buffer): void {
    if (this.#ended === null) this.#child.stdin!.write(frame);
  }

  #handle(frame: Frame): void {
    const pty = this.#ptys.get(frame.id);
    if (!pty) return;
    switch (frame.type) {
      case FrameType.Data:
        pty.onData(frame.payload);
        return;
      case FrameType.Spawned:
        pty.pid = frameJson<{ pid: number }>(frame).pid;
        return;
      case FrameType.Exit:
        this.#forget(pty);
        pty.settle(frameJson<PtyExit>(frame));
        return;
      case FrameType.Failed: {
        this.#forget(pty);
        const { file, message } = frameJson<{ file: string; message: string }>(frame);
        pty.settle({ exitCode: -1, failure: `could not start ${file}: ${message}` });
        return;
      }
    }
  }

  #forget(pty: RelayedPty): void {
    this.#ptys.delete(pty.id);
    if (this.#ptys.size === 0) this.#hold(false);
  }

  /** While a pty is open, its output and the helper's end must keep this process running; otherwise neither should. */
  #hold(on: boolean): void {
    if (on) {
      this.#child.ref();
      this.#channel.ref();
    } else {
      this.#child.unref();
      this.#channel.unref();
    }
  }

  /** The helper is gone: its programs lost their terminal; stop what may have survived the hangup, and end their runs. */
  #end(why: string): void {
    if (this.#ended !== null) return;
    this.#ended = why;
    for (const pty of this.#ptys.values()) {
      if (pty.pid !== null) signalGroup(pty.pid, 'SIGKILL');
      pty.settle({ exitCode: -1, failure: why });
    }
    this.#ptys.clear();
    this.#hold(false);
  }
}
