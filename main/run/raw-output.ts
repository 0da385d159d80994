// The full raw output of one run on one host, kept for the journal. Past
// 1 MB it is spooled to a private file while the run goes (so a 100 MB run does not sit
// in memory twice: once growing, once concatenated) and read back as one
// exactly-sized buffer at the end. With `:redact`, the spooled copy is masked
// line by line (a line is cut at MAX_LINE_BYTES so memory stays bounded).

import { isUtf8 } from 'node:buffer';
import { mkdtemp, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redactText } from './redact.js';

const MAX_LINE_BYTES = 1 << 20;
/** Above this many bytes waiting for the disk, the producer is asked to wait. */
const MAX_QUEUED_BYTES = 4 << 20;
const IN_MEMORY_BYTES = 1 << 20;
const NEWLINE = 0x0a;

export class RawOutputSpool {
  private carry: Buffer = Buffer.alloc(0);
  private size = 0;
  private queued = 0;
  private writing: Promise<unknown> = Promise.resolve();
  /** Output is kept in memory until it passes IN_MEMORY_BYTES; only big output pays for a file. */
  private memory: Buffer[] | null = [];
  private dir: string | null = null;
  private file: FileHandle | null = null;

  private constructor(private readonly redact: readonly RegExp[]) {}

  static async create(redact: readonly RegExp[]): Promise<RawOutputSpool> {
    return new RawOutputSpool(redact);
  }

  /** Queues bytes; returns a promise only when the producer should wait for the disk (too much queued). */
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
    const at = this.size;
    this.size += data.length;
    if (this.memory && this.size <= IN_MEMORY_BYTES) {
      this.memory.push(data);
      return;
    }
    const held = this.memory;
    this.memory = null;
    this.queued += data.length;
    const next = this.writing.then(async () => {
      if (held) {
        this.dir = await mkdtemp(join(tmpdir(), 'modus-output-'));
        this.file = await open(join(this.dir, 'raw'), 'w+', 0o600);
        const start = Buffer.concat(held);
        await this.file.write(start, 0, start.length, 0);
      }
      await this.file!.write(data, 0, data.length, at);
      this.queued -= data.length;
    });
    this.writing = next;
    if (this.queued > MAX_QUEUED_BYTES) return next;
  }

  /** Everything written, as one buffer; the spool is removed. */
  async finish(): Promise<Buffer> {
    if (this.carry.length > 0) {
      const rest = redactBytes(this.carry, this.redact);
      this.carry = Buffer.alloc(0);
      this.append(rest);
    }
    await this.writing;
    if (this.memory) return Buffer.concat(this.memory);
    try {
      await this.file!.close();
      return await readFile(join(this.dir!, 'raw'));
    } finally {
      await rm(this.dir!, { recursive: true, force: true });
    }
  }

  /** Removes the spool without reading it. */
  async discard(): Promise<void> {
    await this.writing.catch(() => undefined);
    await this.file?.close().catch(() => undefined);
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
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
