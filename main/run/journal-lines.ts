// Byte-level line access for journal files: lines are split on \n only and
// handed out as raw bytes, because the hash chain is over the exact bytes.

import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { createHash } from 'node:crypto';

export interface RawLine {
  /** 1-based line number. */
  line: number;
  /** The line's bytes without its \n. */
  bytes: Buffer;
  /** False for a last line that has no \n (an interrupted write). */
  terminated: boolean;
}

const NEWLINE = 0x0a;

/** Streams the lines of a file; a line is held in memory only while it is yielded. */
export async function* readRawLines(path: string): AsyncGenerator<RawLine> {
  let pieces: Buffer[] = [];
  let line = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, from);
      if (nl < 0) break;
      pieces.push(chunk.subarray(from, nl));
      line += 1;
      yield { line, bytes: pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces), terminated: true };
      pieces = [];
      from = nl + 1;
    }
    if (from < chunk.length) pieces.push(chunk.subarray(from));
  }
  if (pieces.length > 0) {
    line += 1;
    yield { line, bytes: Buffer.concat(pieces), terminated: false };
  }
}

export interface TailInfo {
  /** sha256 (hex) of the last line's bytes (without \n); null for an empty file. */
  lastLineHash: string | null;
  /** seq of the last line when it starts like a record, else null. */
  lastSeq: number | null;
  /** True when the file is non-empty and does not end with \n. */
  unterminated: boolean;
}

const SCAN_CHUNK = 1 << 20;
const SEQ_HEAD = /^\{"v":1,"seq":(\d+),/;

/**
 * Finds and hashes the last line by reading backwards from the end, so a long
 * journal is not read whole; only the last line itself is read (streamed).
 */
export async function readTail(handle: FileHandle, size: number): Promise<TailInfo> {
  if (size === 0) return { lastLineHash: null, lastSeq: null, unterminated: false };
  const one = Buffer.alloc(1);
  await handle.read(one, 0, 1, size - 1);
  const unterminated = one[0] !== NEWLINE;
  const lineEnd = unterminated ? size : size - 1;
  let lineStart = 0;
  const buf = Buffer.alloc(SCAN_CHUNK);
  let pos = lineEnd;
  while (pos > 0) {
    const from = Math.max(0, pos - SCAN_CHUNK);
    const { bytesRead } = await handle.read(buf, 0, pos - from, from);
    const nl = buf.subarray(0, bytesRead).lastIndexOf(NEWLINE);
    if (nl >= 0) {
      lineStart = from + nl + 1;
      break;
    }
    pos = from;
  }
  const hash = createHash('sha256');
  for (let at = lineStart; at < lineEnd; at += SCAN_CHUNK) {
    const n = Math.min(SCAN_CHUNK, lineEnd - at);
    const { bytesRead } = await handle.read(buf, 0, n, at);
    hash.update(buf.subarray(0, bytesRead));
  }
  const headLength = Math.min(256, lineEnd - lineStart);
  const head = Buffer.alloc(headLength);
  await handle.read(head, 0, headLength, lineStart);
  const m = SEQ_HEAD.exec(head.toString('latin1'));
  return { lastLineHash: hash.digest('hex'), lastSeq: m ? Number(m[1]) : null, unterminated };
}

/** Number of lines (a last line without \n counts). Used only when the last line is damaged. */
export async function countLines(path: string): Promise<number> {
  let count = 0;
  let last = NEWLINE;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(NEWLINE); i >= 0; i = chunk.indexOf(NEWLINE, i + 1)) count += 1;
    if (chunk.length > 0) last = chunk[chunk.length - 1]!;
  }
  return last === NEWLINE ? count : count + 1;
}
