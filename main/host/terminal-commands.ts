// What a terminal with shell integration knows of its commands: each one's
// command line, working directory, exit status, times and output, captured
// as the engine captures a block's output (escape sequences resolved, colours
// dropped, progress bars collapsed, long output as head and tail). Memory is
// bounded whatever a command prints: the first and the last CAPTURED_BYTES go
// through the capture, what lies between is only counted.

import { CommandMarkScanner } from '../terminals/command-marks.js';
import { Osc7Scanner } from '../terminals/osc7.js';
import { TerminalCapture } from '../run/capture.js';

/** Commands kept per terminal (for the Send to notebook list). */
export const KEPT_COMMANDS = 100;
const CAPTURED_BYTES = 1024 * 1024;

export interface RecordedCommand {
  seq: number;
  command: string;
  /** Where it ran, null when the shell has not said (an SSH tab before its first prompt). */
  cwd: string | null;
  /** The shell whose prompt it was typed at (`bash`, `zsh`), null when it did not say. */
  shell: string | null;
  exitCode: number | null;
  start: Date;
  end: Date;
  output: string;
}

interface Running {
  command: string;
  cwd: string | null;
  shell: string | null;
  start: Date;
  head: TerminalCapture;
  headBytes: number;
  /** The last bytes, once the head is full. */
  tail: Buffer[];
  tailBytes: number;
  skipped: number;
}

export class CommandRecorder {
  private readonly scanner: CommandMarkScanner;
  /** The directory reports, read in stream order with the marks: a command ran where the last prompt before it was. */
  private readonly osc7: Osc7Scanner;
  private reportedCwd: string | null = null;
  private running: Running | null = null;
  private readonly kept: RecordedCommand[] = [];
  private seq = 0;
  /** The shell that drew the last prompt. */
  private shell: string | null = null;
  /** Commands are reported in the order they ended, whatever their captures take. */
  private reported: Promise<void> = Promise.resolve();

  /**
   * `cwd`: where the shell is when it has not reported it yet. `osc7Host`:
   * the host whose directory reports count (osc7.ts); null for any (an SSH
   * tab's remote shell).
   */
  constructor(
    nonce: string,
    private readonly cols: () => number,
    private readonly cwd: () => string | null,
    private readonly finished: (c: RecordedCommand) => void,
    osc7Host?: string | null,
  ) {
    this.scanner = new CommandMarkScanner(nonce);
    this.osc7 = new Osc7Scanner(osc7Host);
  }

  private readCwd(bytes: Buffer): void {
    const found = this.osc7.scan(bytes);
    if (found.length > 0) this.reportedCwd = found[found.length - 1]!;
  }

  /** Raw output, in order. */
  feed(chunk: Buffer): void {
    let from = 0;
    for (const { mark, end } of this.scanner.scan(chunk)) {
      this.readCwd(chunk.subarray(from, end));
      if (this.running) this.take(chunk.subarray(from, end));
      from = end;
      if (mark.kind === 'output-start') {
        this.running = { command: mark.command, cwd: this.reportedCwd ?? this.cwd(), shell: this.shell, start: new Date(), head: new TerminalCapture(this.cols()), headBytes: 0, tail: [], tailBytes: 0, skipped: 0 };
      } else if (mark.kind === 'command-end' && this.running) {
        this.end(mark.exitCode);
      } else if (mark.kind === 'prompt-start') {
        // A prompt with no end mark before it (the shell was interrupted in its hook): the command's status is not known.
        if (this.running) this.end(null);
        if (mark.shell !== null) this.shell = mark.shell;
      }
    }
    if (from < chunk.length) this.readCwd(chunk.subarray(from));
    if (this.running && from < chunk.length) this.take(chunk.subarray(from));
  }

  private take(bytes: Buffer): void {
    const r = this.running!;
    const room = CAPTURED_BYTES - r.headBytes;
    if (room > 0) {
      const part = bytes.subarray(0, room);
      r.headBytes += part.length;
      // The capture queues what it cannot take at once; the head is bounded, so is the queue.
      void r.head.write(Buffer.from(part));
      bytes = bytes.subarray(part.length);
    }
    if (bytes.length === 0) return;
    r.tail.push(keepable(bytes));
    r.tailBytes += bytes.length;
    while (r.tailBytes - r.tail[0]!.length >= CAPTURED_BYTES) {
      const dropped = r.tail.shift()!;
      r.tailBytes -= dropped.length;
      r.skipped += dropped.length;
    }
  }

  private end(exitCode: number | null): void {
    const r = this.running!;
    this.running = null;
    const seq = ++this.seq;
    const end = new Date();
    const output = this.outputOf(r);
    this.reported = this.reported.then(async () => {
      const c: RecordedCommand = { seq, command: r.command, cwd: r.cwd, shell: r.shell, exitCode, start: r.start, end, output: await output };
      this.kept.push(c);
      if (this.kept.length > KEPT_COMMANDS) this.kept.shift();
      this.finished(c);
    });
  }

  private async outputOf(r: Running): Promise<string> {
    if (r.skipped === 0) {
      // Everything is still here: one capture of the whole output.
      if (r.tail.length > 0) await r.head.write(Buffer.concat(r.tail));
      return (await r.head.finish()).text;
    }
    const head = (await r.head.finish()).text;
    const tail = new TerminalCapture(this.cols());
    await tail.write(Buffer.concat(r.tail));
    return `${head}\n… ${r.skipped} bytes of output not kept …\n${(await tail.finish()).text}`;
  }

  commands(): readonly RecordedCommand[] {
    return this.kept;
  }
}

/**
 * A piece of output to keep: as it is when it fills most of its buffer (a
 * flood arrives in large reads, and copying each of them only to drop all
 * but the last megabyte was most of this file's cost), copied when it is a
 * small part of a larger buffer that keeping it would keep whole.
 */
function keepable(bytes: Buffer): Buffer {
  return bytes.byteLength * 2 >= bytes.buffer.byteLength ? bytes : Buffer.from(bytes);
}
