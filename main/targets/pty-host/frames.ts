// The pty helper's wire format: frames over a byte stream (the helper's
// stdin, and its fd 3 back). A frame is its length (u32, big-endian, counting what
// follows), a type (u8), the pty's id (u32) and a payload: bytes for output
// and input, JSON for the rest. Pure: no I/O, so both ends and the tests
// share it.

export const FrameType = {
  // main → helper
  Spawn: 1,
  Write: 2,
  Resize: 3,
  Pause: 4,
  Resume: 5,
  Kill: 6,
  // helper → main
  Spawned: 65,
  Data: 66,
  Exit: 67,
  Failed: 68,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

export interface Frame {
  type: FrameType;
  id: number;
  payload: Uint8Array;
}

const HEADER = 4 + 1 + 4;
/** Far above any frame either end writes (pty reads are at most 64 KB): a longer length means the stream is corrupt. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

export function encodeFrame(type: FrameType, id: number, payload: Uint8Array = new Uint8Array(0)): Buffer {
  const frame = Buffer.allocUnsafe(HEADER + payload.byteLength);
  frame.writeUInt32BE(1 + 4 + payload.byteLength, 0);
  frame.writeUInt8(type, 4);
  frame.writeUInt32BE(id, 5);
  frame.set(payload, HEADER);
  return frame;
}

export function encodeJsonFrame(type: FrameType, id: number, value: unknown): Buffer {
  return encodeFrame(type, id, Buffer.from(JSON.stringify(value), 'utf8'));
}

export function frameJson<T>(frame: Frame): T {
  return JSON.parse(Buffer.from(frame.payload.buffer, frame.payload.byteOffset, frame.payload.byteLength).toString('utf8')) as T;
}

/**
 * Cuts a byte stream into frames, whatever chunks it arrives in. Payloads
 * are views into the chunks (no copy) unless a frame spans chunks.
 */
export class FrameReader {
  #pending: Buffer | null = null;

  /** Returns the frames complete so far; throws if the stream cannot be frames. */
  push(chunk: Buffer): Frame[] {
    const data = this.#pending === null ? chunk : Buffer.concat([this.#pending, chunk]);
    this.#pending = null;
    const frames: Frame[] = [];
    let at = 0;
    while (data.byteLength - at >= 4) {
      const length = data.readUInt32BE(at);
      if (length < 5 || length > MAX_FRAME_BYTES) throw new Error(`pty helper stream is corrupt: a frame of ${length} bytes`);
      if (data.byteLength - at - 4 < length) break;
      frames.push({ type: data.readUInt8(at + 4) as FrameType, id: data.readUInt32BE(at + 5), payload: data.subarray(at + HEADER, at + 4 + length) });
      at += 4 + length;
    }
    // Copy the tail out, so a small remainder does not keep a big chunk alive.
    if (at < data.byteLength) this.#pending = Buffer.from(data.subarray(at));
    return frames;
  }

  /** Bytes of a frame begun but not complete. */
  get pendingBytes(): number {
    return this.#pending?.byteLength ?? 0;
  }
}
