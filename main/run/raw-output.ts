// The full raw output of one run on one host, kept for the journal. As it
// streams it is masked (`:redact`, line by line; a line is cut at
// MAX_LINE_BYTES so memory stays bounded), hashed and checked for UTF-8.
// Small output stays in memory and goes into the journal record itself;
// past INLINE_OUTPUT_BYTES it is gzip-compressed into a private spool file
// while the run goes (compression runs on libuv's thread pool, beside the
// run), and the journal adopts that file as the run's blob
// (journal-blob.ts). No copy of big output is ever held in memory.

import { createHash } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, type Gzip, type ZlibOptions } from 'node:zlib';
import type { TransformOptions } from 'node:stream';
import { redactText } from './redact.js';
import { Utf8Stream } from './utf8-stream.js';
import { createScratchDirSync } from '../files/scratch-dir.js';

/** Output up to this size is kept in the journal line; bigger output goes to a compressed blob. */
export const INLINE_OUTPUT_BYTES = 64 * 1024;
/** Fast compression: it must keep up with a pty on a busy machine; `yes` still shrinks 200 times. */
export const GZIP_LEVEL = 1;
const MAX_LINE_BYTES = 1 << 20;
/** Bytes are handed to the compressor in batches this big: one thread-pool job per batch, not per pty read. */
const BATCH_BYTES = 256 * 1024;
const NEWLINE = 0x0a;

/** A run's output as the journal receives it: its size, hash and whether it is text, and where the bytes are. */
export interface RawOutput {
  readonly bytes: number;
  /** sha256 (hex) of the bytes. */
  readonly sha256: string;
  /** True when the bytes are valid UTF-8. */
  readonly utf8: boolean;
  /** The bytes, when at most INLINE_OUTPUT_BYTES; else null and they are in `gzipFile`. */
  readonly inline: Buffer | null;
  /** A gzip file holding the bytes, when not inline; the journal moves it into its blob store. */
  readonly gzipFile: string | null;
  /** Why the output could not be kept (the spool failed, e.g. a full disk); then neither inline nor gzipFile. */
  readonly lost?: string;
  /** Removes whatever the journal did not take. Safe to call more than once. */
  dispose(): Promise<void>;
}

export function isRawOutput(value: unknown): value is RawOutput {
  return typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && 'sha256' in value && 'dispose' in value;
}

/** A RawOutput of bytes already in memory (runs that never started, tests). */
export function rawOutputOf(bytes: Buffer): RawOutput {
  return {
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    utf8: isUtf8(bytes),
    inline: bytes,
    gzipFile: null,
    dispose: async () => undefined,
  };
}

/** Spool directories not yet removed: a process that exits without disposing (a crash, journal off) leaves none behind. */
const liveDirs = new Set<string>();
let exitHook = false;
function track(dir: string): void {
  liveDirs.add(dir);
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
  });
}

export class RawOutputSpool {
  private carry: Buffer = Buffer.alloc(0);
  private size = 0;
  private readonly hash = createHash('sha256');
  private readonly utf8 = new Utf8Stream();
  /** Output is kept in memory until it passes INLINE_OUTPUT_BYTES; only big output pays for a file. */
  private memory: Buffer[] | null = [];
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private gzip: Gzip | null = null;
  private written: Promise<void> | null = null;
  private dir: string | null = null;
  private failure: string | null = null;

  private constructor(private readonly redact: readonly RegExp[]) {}

  static async create(redact: readonly RegExp[]): Promise<RawOutputSpool> {
    return new RawOutputSpool(redact);
  }

  /** Takes bytes; returns a promise only when the producer should wait for the compressor. */
  write(bytes: Uint8Array): void | Promise<void> {
    let data: Buffer = Buffer.from(bytes);
    if (this.redact.length > 0) {
      data = this.carry.length > 0 ? Buffer.concat([this.carry, data]) : data;
      let cut = data.lastIndexOf(NEWLINE) + 1;
      if (cut === 0 && data.length >= MAX_LINE_BYTES) cut = data.length;
      this.carry = Buffer.from(data.subarray(cut));
      data = redactBytes(data.subarray(0, cut), this.redact);
    }
    return this.append(data);
  }

  private append(data: Buffer): void | Promise<void> {
    if (data.length === 0) return;
    this.size += data.length;
    if (this.memory && this.size <= INLINE_OUTPUT_BYTES) {
      this.memory.push(data);
      return;
    }
    if (this.memory) {
      this.batch = this.memory;
      this.batchBytes = this.size - data.length;
      this.memory = null;
    }
    this.batch.push(data);
    this.batchBytes += data.length;
    if (this.batchBytes >= BATCH_BYTES) return this.flushBatch();
  }

  /** Hashes, checks and compresses the batch; a promise when the compressor asks the producer to wait. */
  private flushBatch(): void | Promise<void> {
    if (this.batchBytes === 0) return;
    const data = this.batch.length === 1 ? this.batch[0]! : Buffer.concat(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    this.hash.update(data);
    this.utf8.update(data);
    if (!this.gzip && !this.failure) this.start();
    const gzip = this.gzip;
    if (!gzip || this.failure || gzip.destroyed || gzip.write(data)) return;
    return new Promise<void>((resolve) => {
      gzip.once('drain', resolve);
      // A failed file write never drains.
      void this.written!.then(resolve);
    });
  }

  /** Synchronous, so batches reach the compressor in order without a queue of our own. */
  private start(): void {
    try {
      this.dir = createScratchDirSync('output');
      track(this.dir);
      // Room for a few batches: the producer (a pty) waits only when compression really falls behind.
      // zlib streams take the stream options too; its typings do not say so.
      const options: ZlibOptions & TransformOptions = { level: GZIP_LEVEL, chunkSize: 64 * 1024, highWaterMark: 4 * BATCH_BYTES };
      this.gzip = createGzip(options);
      const file = createWriteStream(join(this.dir, 'output.gz'), { mode: 0o600, flags: 'wx' });
      // pipeline reports the failure (below); a write after it must not throw an unhandled 'error'.
      this.gzip.on('error', () => undefined);
      this.written = pipeline(this.gzip, file).catch((e: Error) => {
        this.failure = e.message;
      });
    } catch (e) {
      this.failure = (e as Error).message;
    }
  }

  /** Everything written, as a RawOutput (the spool now belongs to it). */
  async finish(): Promise<RawOutput> {
    if (this.carry.length > 0) {
      const rest = redactBytes(this.carry, this.redact);
      this.carry = Buffer.alloc(0);
      await this.append(rest);
    }
    if (this.memory) {
      const bytes = Buffer.concat(this.memory);
      this.memory = null;
      return rawOutputOf(bytes);
    }
    await this.flushBatch();
    if (this.gzip && !this.failure) {
      this.gzip.end();
      await this.written;
    }
    const dir = this.dir;
    const dispose = async (): Promise<void> => {
      if (!dir) return;
      await rm(dir, { recursive: true, force: true });
      liveDirs.delete(dir);
    };
    const facts = { bytes: this.size, sha256: this.hash.digest('hex'), utf8: this.utf8.end(), inline: null, dispose };
    if (this.failure || !dir) {
      await dispose();
      return { ...facts, gzipFile: null, lost: `the output could not be spooled for the journal: ${this.failure ?? 'no spool'}` };
    }
    return { ...facts, gzipFile: join(dir, 'output.gz') };
  }

  /** Removes the spool without keeping anything. */
  async discard(): Promise<void> {
    this.gzip?.destroy();
    await this.written?.catch(() => undefined);
    if (this.dir) {
      await rm(this.dir, { recursive: true, force: true });
      liveDirs.delete(this.dir);
    }
  }
}

/** Masks matches; valid UTF-8 is matched as text, anything else byte for byte (latin1) so no byte changes except the masked ones. */
function redactBytes(data: Buffer, patterns: readonly RegExp[]): Buffer {
  if (data.length === 0 || patterns.length === 0) return data;
  const encoding = isUtf8(data) ? 'utf8' : 'latin1';
  const text = data.toString(encoding);
  const masked = redactText(text, patterns);
  if (masked === text) return data;
  return encoding === 'utf8' ? Buffer.from(masked, 'utf8') : Buffer.concat(splitLatin1(masked));
}

/** latin1 text back to bytes, with the mask (not latin1) written as UTF-8. */
function splitLatin1(text: string): Buffer[] {
  const out: Buffer[] = [];
  let from = 0;
  for (let i = 0; i <= text.length; i++) {
    const wide = i < text.length && text.charCodeAt(i) > 0xff;
    const end = i === text.length;
    if (!wide && !end) continue;
    if (i > from) out.push(Buffer.from(text.slice(from, i), 'latin1'));
    if (wide) {
      let j = i;
      while (j < text.length && text.charCodeAt(j) > 0xff) j++;
      out.push(Buffer.from(text.slice(i, j), 'utf8'));
      i = j - 1;
      from = j;
    }
  }
  return out;
}
