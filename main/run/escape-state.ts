// Whether a terminal's parser is between sequences after the bytes fed to it:
// capture may skip the emulator for plain text only then. Plain text that
// follows an escape sequence cut short ("\x1b" in one piece, "[1Aup" in the
// next) is the rest of that sequence, not text. The states follow the
// VT500-series parser that xterm.js implements (vt100.net/emu/dec_ansi_parser),
// reduced to what decides "in the middle of something": no parameters are
// kept. C1 controls arrive UTF-8 encoded (C2 80-9F), as the emulator gets them. Pure.

const ESC = 0x1b;
const BEL = 0x07;
const CAN = 0x18;
const SUB = 0x1a;

type State =
  | 'ground'
  /** After ESC. */
  | 'escape'
  /** ESC followed by intermediate bytes (0x20-0x2F). */
  | 'escape-intermediate'
  /** Inside a CSI sequence, before its final byte. */
  | 'csi'
  /** Inside OSC: ends at BEL or ST. */
  | 'osc'
  /** Inside DCS, SOS, PM or APC: ends at ST. */
  | 'string'
  /** ESC inside a string: ST if a backslash follows. */
  | 'string-escape';

export class EscapeState {
  private state: State = 'ground';
  /** A C2 byte was last: the next byte may make a C1 control. */
  private afterC2 = false;

  /** True when the last byte fed ended every sequence it was part of. */
  get ground(): boolean {
    return this.state === 'ground' && !this.afterC2;
  }

  feed(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) this.step(bytes[i]!);
  }

  private step(b: number): void {
    if (this.afterC2) {
      this.afterC2 = false;
      if (b >= 0x80 && b <= 0x9f) {
        this.c1(b);
        return;
      }
    }
    if (b === 0xc2) {
      // The next byte decides: a C1 control, or a character (text, or part of a string).
      this.afterC2 = true;
      return;
    }
    const inString = this.state === 'osc' || this.state === 'string' || this.state === 'string-escape';
    if (b === ESC) {
      this.state = inString ? 'string-escape' : 'escape';
      return;
    }
    if (b === CAN || b === SUB) {
      this.state = 'ground';
      return;
    }
    switch (this.state) {
      case 'ground':
        return;
      case 'escape':
        if (b >= 0x20 && b <= 0x2f) this.state = 'escape-intermediate';
        else if (b === 0x5b) this.state = 'csi'; // [
        else if (b === 0x5d) this.state = 'osc'; // ]
        else if (b === 0x50 || b === 0x58 || b === 0x5e || b === 0x5f) this.state = 'string'; // P X ^ _
        else if (b >= 0x30 && b <= 0x7e) this.state = 'ground';
        // C0 controls execute without leaving the sequence; DEL is ignored.
        return;
      case 'escape-intermediate':
        if (b >= 0x30 && b <= 0x7e) this.state = 'ground';
        return;
      case 'csi':
        if (b >= 0x40 && b <= 0x7e) this.state = 'ground';
        return;
      case 'osc':
        if (b === BEL) this.state = 'ground';
        return;
      case 'string':
        return;
      case 'string-escape':
        this.state = b === 0x5c ? 'ground' : 'string'; // ESC \ is ST
        return;
    }
  }

  private c1(b: number): void {
    if (b === 0x9c) this.state = 'ground'; // ST
    else if (b === 0x9b) this.state = 'csi';
    else if (b === 0x9d) this.state = 'osc';
    else if (b === 0x90 || b === 0x98 || b === 0x9e || b === 0x9f) this.state = 'string';
    else this.state = 'ground'; // the other C1 controls execute and end any sequence
  }
}
