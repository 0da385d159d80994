// NETCONF message framing over the SSH channel (RFC 6242). Until both sides
// have said base:1.1 in their hellos, every message ends with `]]>]]>`
// (end-of-message framing, what Junos speaks by default); after that, chunked
// framing: `\n#SIZE\n` DATA … `\n##\n`. Each message is encoded as one
// buffer and written with one write: Junos complains when the delimiter
// arrives split or padded. Decoders take bytes as the channel delivers them
// (a delimiter or a multi-byte character may straddle two reads) and hand
// back whole messages, decoded as UTF-8 once whole.

export type Framing = 'eom' | 'chunked';

export const EOM = ']]>]]>';
const EOM_BYTES = Buffer.from(EOM, 'latin1');
/** RFC 6242: a chunk's size is at most 4294967295. */
const MAX_CHUNK = 4294967295;
/** "#" and ten digits: a chunk header longer than this is not one. */
const MAX_HEADER_DIGITS = 10;

export class FramingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FramingError';
  }
}

/** One message as the bytes to write. */
export function encodeMessage(xml: string, framing: Framing): Buffer {
  // One string encoded once: no intermediate buffers per message.
  if (framing === 'eom') return Buffer.from(xml + EOM, 'utf8');
  const size = Buffer.byteLength(xml, 'utf8');
  if (size === 0) throw new FramingError('a chunked message cannot be empty');
  return Buffer.from(`\n#${size}\n${xml}\n##\n`, 'utf8');
}

export interface MessageDecoder {
  /** Takes bytes as they arrive. FramingError when the peer breaks the framing. */
  push(bytes: Uint8Array): void;
  /** The next whole message, or null until more bytes complete one. */
  next(): string | null;
}

/** A growable byte buffer: appends without copying everything each time. */
class ByteBuffer {
  private data = Buffer.alloc(4096);
  length = 0;

  append(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.data.length) {
      const bigger = Buffer.alloc(Math.max(this.data.length * 2, this.length + bytes.length));
      this.data.copy(bigger, 0, 0, this.length);
      this.data = bigger;
    }
    this.data.set(bytes, this.length);
    this.length += bytes.length;
  }

  view(): Buffer {
    return this.data.subarray(0, this.length);
  }

  /** Drops the first n bytes. */
  consume(n: number): void {
    this.data.copy(this.data, 0, n, this.length);
    this.length -= n;
  }
}

export class EomDecoder implements MessageDecoder {
  private readonly buf = new ByteBuffer();
  /** Where the next search for the delimiter starts (what is before cannot hold one). */
  private scanFrom = 0;

  push(bytes: Uint8Array): void {
    this.buf.append(bytes);
  }

  next(): string | null {
    const view = this.buf.view();
    const at = view.indexOf(EOM_BYTES, this.scanFrom);
    if (at < 0) {
      this.scanFrom = Math.max(0, view.length - (EOM_BYTES.length - 1));
      return null;
    }
    const message = view.toString('utf8', 0, at);
    this.buf.consume(at + EOM_BYTES.length);
    this.scanFrom = 0;
    return message;
  }

  /**
   * What is left once the peer switches to chunked framing: bytes that came
   * after the last delimiter belong to the next framing.
   */
  takeRest(): Buffer {
    const rest = Buffer.from(this.buf.view());
    this.buf.consume(this.buf.length);
    this.scanFrom = 0;
    return rest;
  }
}

type ChunkState =
  | { at: 'lf' }
  | { at: 'hash' }
  | { at: 'size-or-end' }
  | { at: 'size'; digits: string }
  | { at: 'end-lf' }
  | { at: 'data'; left: number };

const LF = 0x0a;
const HASH = 0x23;

export class ChunkedDecoder implements MessageDecoder {
  private state: ChunkState = { at: 'lf' };
  private parts: Buffer[] = [];
  private partBytes = 0;
  private readonly done: string[] = [];

  next(): string | null {
    return this.done.shift() ?? null;
  }

  push(bytes: Uint8Array): void {
    const out = this.done;
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let i = 0;
    while (i < b.length) {
      const s = this.state;
      if (s.at === 'data') {
        const take = Math.min(s.left, b.length - i);
        // A copy: the caller may reuse its buffer.
        this.parts.push(Buffer.from(b.subarray(i, i + take)));
        this.partBytes += take;
        i += take;
        this.state = s.left === take ? { at: 'lf' } : { at: 'data', left: s.left - take };
        continue;
      }
      const c = b[i]!;
      i++;
      switch (s.at) {
        case 'lf':
          if (c !== LF) throw this.broken(`expected a newline before a chunk header, got ${describeByte(c)}`);
          this.state = { at: 'hash' };
          break;
        case 'hash':
          // Tolerated: extra newlines between messages (a server that ends its hello with "]]>]]>\n").
          if (c === LF) break;
          if (c !== HASH) throw this.broken(`expected "#" to start a chunk header, got ${describeByte(c)}`);
          this.state = { at: 'size-or-end' };
          break;
        case 'size-or-end':
          if (c === HASH) this.state = { at: 'end-lf' };
          else if (c >= 0x31 && c <= 0x39) this.state = { at: 'size', digits: String.fromCharCode(c) };
          else throw this.broken(`expected a chunk size (1-9 first) or "#", got ${describeByte(c)}`);
          break;
        case 'size':
          if (c >= 0x30 && c <= 0x39) {
            if (s.digits.length >= MAX_HEADER_DIGITS) throw this.broken('chunk size has too many digits');
            s.digits += String.fromCharCode(c);
          } else if (c === LF) {
            const size = Number(s.digits);
            if (size > MAX_CHUNK) throw this.broken(`chunk size ${size} is larger than RFC 6242 allows`);
            this.state = { at: 'data', left: size };
          } else {
            throw this.broken(`unexpected ${describeByte(c)} in a chunk size`);
          }
          break;
        case 'end-lf':
          if (c !== LF) throw this.broken(`expected a newline after "##", got ${describeByte(c)}`);
          if (this.parts.length === 0) throw this.broken('a message ended before any chunk');
          out.push(Buffer.concat(this.parts, this.partBytes).toString('utf8'));
          this.parts = [];
          this.partBytes = 0;
          this.state = { at: 'lf' };
          break;
      }
    }
  }

  private broken(why: string): FramingError {
    return new FramingError(`the device broke NETCONF chunked framing (RFC 6242): ${why}`);
  }
}

function describeByte(c: number): string {
  return c >= 0x20 && c < 0x7f ? JSON.stringify(String.fromCharCode(c)) : `byte 0x${c.toString(16).padStart(2, '0')}`;
}
