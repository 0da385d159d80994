// NETCONF message framing over a byte stream. Junos by default ends every
// message with `]]>]]>` (base:1.0); RFC 6242 chunked framing (`\n#LEN\n…
// \n##\n`) is used only when both hellos offered base:1.1. Bytes arrive in
// arbitrary pieces: a delimiter or a chunk header may be split across reads,
// so the decoder buffers and yields whole messages only.

export const EOM = ']]>]]>';
const EOM_BYTES = Buffer.from(EOM);

export type Framing = 'eom' | 'chunked';

export class FramingError extends Error {}

export class FrameDecoder {
  #buffer: Buffer = Buffer.alloc(0);
  #mode: Framing = 'eom';
  /** Chunked mode: the pieces of the message being assembled. */
  #chunks: Buffer[] = [];

  get mode(): Framing {
    return this.#mode;
  }

  /** Switches framing for the bytes not yet decoded (after the hello exchange). */
  setMode(mode: Framing): void {
    this.#mode = mode;
  }

  push(bytes: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? bytes : Buffer.concat([this.#buffer, bytes]);
  }

  /** True when bytes of an incomplete message are buffered (whitespace between messages aside). */
  get partial(): boolean {
    return this.#chunks.length > 0 || this.#buffer.toString('utf8').trim() !== '';
  }

  /** The next complete message, or null until more bytes arrive. Throws FramingError on a broken chunk header. */
  next(): string | null {
    return this.#mode === 'eom' ? this.#nextEom() : this.#nextChunked();
  }

  #nextEom(): string | null {
    const end = this.#buffer.indexOf(EOM_BYTES);
    if (end < 0) return null;
    const message = this.#buffer.subarray(0, end).toString('utf8');
    this.#buffer = this.#buffer.subarray(end + EOM_BYTES.length);
    // Whitespace around the delimiter (`</rpc>\n]]>]]>\n`) is no part of either message.
    return message.trim();
  }

  #nextChunked(): string | null {
    for (;;) {
      // Whitespace between messages is tolerated; inside a message, a chunk starts with "\n#".
      if (this.#chunks.length === 0) {
        let skip = 0;
        while (skip < this.#buffer.length) {
          const c = this.#buffer[skip]!;
          if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) break;
          // A newline may be the start of the next chunk header: keep it until the byte after it is known.
          if (c === 0x0a && (skip + 1 >= this.#buffer.length || this.#buffer[skip + 1] === 0x23)) break;
          skip += 1;
        }
        this.#buffer = this.#buffer.subarray(skip);
      }
      if (this.#buffer.length < 3) return null;
      if (this.#buffer[0] !== 0x0a || this.#buffer[1] !== 0x23) throw new FramingError(`bad chunk header: ${JSON.stringify(this.#buffer.subarray(0, 12).toString('latin1'))}`);
      if (this.#buffer[2] === 0x23) {
        // "\n##\n": end of message.
        if (this.#buffer.length < 4) return null;
        if (this.#buffer[3] !== 0x0a) throw new FramingError('bad end-of-chunks marker');
        this.#buffer = this.#buffer.subarray(4);
        const message = Buffer.concat(this.#chunks).toString('utf8');
        this.#chunks = [];
        return message.trim();
      }
      const newline = this.#buffer.indexOf(0x0a, 2);
      if (newline < 0) {
        if (this.#buffer.length > 12) throw new FramingError('chunk size too long');
        return null;
      }
      const digits = this.#buffer.subarray(2, newline).toString('latin1');
      if (!/^[1-9]\d{0,9}$/.test(digits)) throw new FramingError(`bad chunk size ${JSON.stringify(digits)}`);
      const size = Number(digits);
      if (size > 4294967295) throw new FramingError(`chunk size ${size} too large`);
      if (this.#buffer.length < newline + 1 + size) return null;
      this.#chunks.push(Buffer.from(this.#buffer.subarray(newline + 1, newline + 1 + size)));
      this.#buffer = this.#buffer.subarray(newline + 1 + size);
    }
  }
}

/** One message framed for writing in one piece (Junos complains when a delimiter is split across writes). */
export function frame(message: string, mode: Framing): Buffer {
  if (mode === 'eom') return Buffer.from(`${message}\n${EOM}\n`);
  const body = Buffer.from(message);
  return Buffer.concat([Buffer.from(`\n#${body.length}\n`), body, Buffer.from('\n##\n')]);
}
