// The pty helper: a small Node process that starts the programs of blocks on
// ptys for Modus, and relays their output. Why a process of its own: node-pty
// forks, and fork copies the page tables of the whole process. `modus run`
// of 20,000 blocks grows to hundreds of MB, and each fork then cost several
// milliseconds more than at the start (measured: 1.7 ms per spawn from a
// 50 MB process, 8–10 ms from a 450 MB one). This process stays small, so
// starting a block costs the same at the last block as at the first. VS Code
// runs its ptys in a pty host process for the same kind of reason.
//
// Frames (./frames.ts) come in on stdin and go out on fd 3; stdout is not
// used, so nothing a library prints can corrupt the stream. When stdin ends
// (Modus exited or crashed) the helper exits, its ptys close, and their
// programs get SIGHUP as they would from a closed terminal.

import { Socket } from 'node:net';
import { DirectPty } from './direct-pty.js';
import { FrameReader, FrameType, encodeFrame, encodeJsonFrame, frameJson, type Frame } from './frames.js';
import type { PtySpawn } from './pty-spec.js';

interface Entry {
  pty: DirectPty;
  /** Modus asked for a pause (flow control). */
  held: boolean;
}

const ptys = new Map<number, Entry>();
const out = new Socket({ fd: 3, readable: false, writable: true });
/** The channel to Modus is full: every pty waits until it drains. */
let draining = false;

function send(frame: Buffer): void {
  if (out.write(frame) || draining) return;
  draining = true;
  for (const entry of ptys.values()) apply(entry);
  out.once('drain', () => {
    draining = false;
    for (const entry of ptys.values()) apply(entry);
  });
}

/** Reading stops while Modus asks for it or the channel is full (both idempotent on the pty; a killed one is never paused). */
function apply(entry: Entry): void {
  if (entry.held || draining) entry.pty.pause();
  else entry.pty.resume();
}

function spawn(id: number, spec: PtySpawn): void {
  let pty: DirectPty;
  try {
    pty = new DirectPty(spec, (bytes) => send(encodeFrame(FrameType.Data, id, bytes)));
  } catch (e) {
    send(encodeJsonFrame(FrameType.Failed, id, { file: spec.file, message: (e as Error).message }));
    return;
  }
  const entry: Entry = { pty, held: false };
  ptys.set(id, entry);
  apply(entry);
  send(encodeJsonFrame(FrameType.Spawned, id, { pid: pty.pid }));
  void pty.exited.then((exit) => {
    ptys.delete(id);
    send(encodeJsonFrame(FrameType.Exit, id, exit));
  });
}

function handle(frame: Frame): void {
  if (frame.type === FrameType.Spawn) return spawn(frame.id, frameJson<PtySpawn>(frame));
  const entry = ptys.get(frame.id);
  // A pty that exited meanwhile: what was meant for it has nothing to act on.
  if (!entry) return;
  switch (frame.type) {
    case FrameType.Write:
      entry.pty.write(Buffer.from(frame.payload).toString('utf8'));
      return;
    case FrameType.Resize: {
      const { cols, rows } = frameJson<{ cols: number; rows: number }>(frame);
      entry.pty.resize(cols, rows);
      return;
    }
    case FrameType.Pause:
      entry.held = true;
      return apply(entry);
    case FrameType.Resume:
      entry.held = false;
      return apply(entry);
    case FrameType.Kill:
      entry.pty.kill();
      return;
  }
}

const reader = new FrameReader();
process.stdin.on('data', (chunk: Buffer) => {
  for (const frame of reader.push(chunk)) handle(frame);
});
process.stdin.on('end', () => process.exit(0));
// Modus is gone: nobody reads fd 3 any more.
out.on('error', () => process.exit(0));
