// Whether a stream of bytes is valid UTF-8, checked piece by piece with the
// native validator: a character split between pieces is carried over.

import { isUtf8 } from 'node:buffer';

export class Utf8Stream {
  private carry: Buffer = Buffer.alloc(0);
  private valid = true;

  update(bytes: Uint8Array): void {
    if (!this.valid || bytes.length === 0) return;
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, bytes]) : bytes;
    const cut = completeLength(data);
    if (!isUtf8(data.subarray(0, cut))) this.valid = false;
    this.carry = Buffer.from(data.subarray(cut));
  }

  /** True when everything given was valid UTF-8 and no character is left unfinished. */
  end(): boolean {
    return this.valid && this.carry.length === 0;
  }
}

/** Length of the prefix that does not end inside a multi-byte character (the rest may be completed by the next piece). */
function completeLength(data: Uint8Array): number {
  let i = data.length - 1;
  while (i >= 0 && i > data.length - 4 && (data[i]! & 0xc0) === 0x80) i--;
  if (i < 0 || data[i]! < 0xc0) return data.length;
  const lead = data[i]!;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  return data.length - i < need ? i : data.length;
}
