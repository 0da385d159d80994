// Reading a file and encoding text into memory that is used again next time.
// `modus run` reads the notebook and encodes the new text for every write: a
// 2.5 MB notebook made 5 MB of garbage outside the JS heap per write, and
// the process's RSS grew with it (malloc keeps big freed chunks, and
// node-pty's fork copies the page tables of all of it for every block).

import { open } from 'node:fs/promises';

/** Memory that grows when needed and is otherwise reused. */
export class ByteStore {
  #bytes: Buffer;

  constructor(initial: Buffer = Buffer.alloc(0)) {
    this.#bytes = initial;
  }

  /** The whole memory (its first N bytes are the last result). */
  get capacity(): number {
    return this.#bytes.length;
  }

  private ensure(size: number): Buffer {
    if (this.#bytes.length < size) this.#bytes = Buffer.allocUnsafe(Math.max(size, Math.ceil(this.#bytes.length * 1.25), 4096));
    return this.#bytes;
  }

  /** The file's bytes, in this store's memory (valid until the store is used again). */
  async readFile(path: string): Promise<Buffer> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      let bytes = this.ensure(size + 1);
      let length = 0;
      for (;;) {
        if (length === bytes.length) {
          // The file grew since stat: more room, keeping what was read.
          const old = bytes;
          bytes = this.ensure(bytes.length * 2);
          if (bytes !== old) old.copy(bytes, 0, 0, length);
        }
        const { bytesRead } = await handle.read(bytes, length, bytes.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      return bytes.subarray(0, length);
    } finally {
      await handle.close();
    }
  }

  /** `text` as UTF-8, in this store's memory (valid until the store is used again). */
  encode(text: string): Buffer {
    const size = Buffer.byteLength(text, 'utf8');
    const bytes = this.ensure(size);
    bytes.write(text, 0, size, 'utf8');
    return bytes.subarray(0, size);
  }
}
