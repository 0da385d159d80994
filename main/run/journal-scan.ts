// One streaming pass over a journal file that never holds more than
// WHOLE_LINE_BYTES of a line: each line's hashes, its record (read without
// its output) and where an inline output's JSON string body lies in the
// file. Verify, show and export read journals through it, so their memory
// stays bounded even for journals written before blobs, whose lines held
// outputs of gigabytes.

import { createReadStream } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import { JsonBodyCheck } from './journal-inline.js';
import { HASH_FIELD_LENGTH, headBeforeOutput, outputBodyStart, parseRecordHead } from './journal-format.js';
import type { JournalRecord } from './journal-format.js';

export interface ScannedLine {
  /** 1-based line number. */
  line: number;
  /** File offset of the line's first byte, and its length without \n. */
  offset: number;
  length: number;
  /** False for a last line that has no \n (an interrupted write). */
  terminated: boolean;
  /** sha256 (hex) of the line's bytes: what the next record's `prev` names. */
  lineHash: string;
  /** The record, read without its output; null when the line is not one. */
  record: JournalRecord | null;
  /** True when the record's `hash` is the sha256 of its line up to `,"hash":`. */
  selfHashOk: boolean;
  /** File offsets of an inline output's JSON string body (between its quotes). */
  body: { start: number; end: number } | null;
}

/** Lines up to this size are parsed whole; only the outputs of old records are longer. */
const WHOLE_LINE_BYTES = 8 << 20;
const READ_CHUNK = 1 << 20;
const NEWLINE = 0x0a;
/** `,"hash":"<64 hex>"}`: the part of a line its own hash does not cover. */
const HASH_SUFFIX_LENGTH = HASH_FIELD_LENGTH - 1;

/** The state of the line being read. */
class LineState {
  length = 0;
  /** Every byte but the last HASH_FIELD_LENGTH, which wait in `window` (the hash field and the quote before it). */
  private readonly prefix: Hash = createHash('sha256');
  private window: Buffer = Buffer.alloc(0);
  /** Bytes passed on so far (the line's length less the window). */
  private passed = 0;
  /** The line's first bytes; all of it while it is at most WHOLE_LINE_BYTES. */
  private pieces: Buffer[] = [];
  private held = 0;
  /** Set once the line is too long to hold: the record's fields before its output, and the output's check. */
  private long: { head: string; encoding: 'utf8' | 'base64'; check: JsonBodyCheck; bodyStart: number } | null = null;
  private unreadable = false;

  constructor(readonly offset: number) {}

  add(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.length += bytes.length;
    if (!this.long && !this.unreadable) {
      this.pieces.push(bytes);
      this.held += bytes.length;
      if (this.held > WHOLE_LINE_BYTES) this.goLong();
    }
    const total = this.window.length + bytes.length;
    if (total <= HASH_FIELD_LENGTH) {
      this.window = Buffer.concat([this.window, bytes]);
      return;
    }
    // Pass on what leaves the window: first from the window, then from the new bytes.
    const out = total - HASH_FIELD_LENGTH;
    const fromWindow = Math.min(out, this.window.length);
    this.pass(this.window.subarray(0, fromWindow));
    this.pass(bytes.subarray(0, out - fromWindow));
    this.window = Buffer.concat([this.window.subarray(fromWindow), bytes.subarray(out - fromWindow)]);
  }

  /** Bytes that are certainly before the hash field. */
  private pass(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.prefix.update(bytes);
    const at = this.passed;
    this.passed += bytes.length;
    if (this.long && this.passed > this.long.bodyStart) this.long.check.update(bytes.subarray(Math.max(0, this.long.bodyStart - at)));
  }

  /** The line outgrew WHOLE_LINE_BYTES: keep its record's fields, check its output as it streams by. */
  private goLong(): void {
    const head = Buffer.concat(this.pieces);
    this.pieces = [];
    const bodyStart = outputBodyStart(head);
    const fields = bodyStart < 0 ? null : parseHeadFields(head.toString('utf8', 0, bodyStart - ',"output":"'.length));
    if (!fields) {
      this.unreadable = true;
      return;
    }
    const check = new JsonBodyCheck(fields.encoding);
    // What was passed on before now is not passed again: check its part of the body here.
    if (this.passed > bodyStart) check.update(head.subarray(bodyStart, this.passed));
    this.long = { head: fields.head, encoding: fields.encoding, check, bodyStart };
  }

  end(line: number, terminated: boolean): ScannedLine {
    const tail = this.window;
    const base = { line, offset: this.offset, length: this.length, terminated };
    if (this.length < HASH_FIELD_LENGTH) {
      this.prefix.update(tail);
      return { ...base, lineHash: this.prefix.digest('hex'), record: this.length === 0 ? null : parseRecordHead(Buffer.concat(this.pieces))?.record ?? null, selfHashOk: false, body: null };
    }
    this.prefix.update(tail.subarray(0, 1));
    const selfHash = this.prefix.copy().digest('hex');
    const lineHash = this.prefix.update(tail.subarray(1)).digest('hex');
    let record: JournalRecord | null = null;
    let body: ScannedLine['body'] = null;
    if (this.long) {
      const candidate = headBeforeOutput(this.long.head, tail.toString('latin1'));
      if (candidate && this.long.check.end()) {
        record = candidate;
        body = { start: this.offset + this.long.bodyStart, end: this.offset + this.length - HASH_FIELD_LENGTH };
      }
    } else if (!this.unreadable) {
      const parsed = parseRecordHead(Buffer.concat(this.pieces));
      if (parsed) {
        record = parsed.record;
        body = parsed.body && { start: this.offset + parsed.body.start, end: this.offset + parsed.body.end };
      }
    }
    const hashField = tail.toString('latin1', tail.length - HASH_SUFFIX_LENGTH);
    const selfHashOk = record !== null && hashField === `,"hash":"${record.hash}"}` && selfHash === record.hash;
    return { ...base, lineHash, record, selfHashOk, body };
  }
}

/** The fields before an inline output (`{"v":1,…,"outputEncoding":"utf8"`), when they parse; their text is kept for the end. */
function parseHeadFields(head: string): { head: string; encoding: 'utf8' | 'base64' } | null {
  try {
    const fields = JSON.parse(`${head}}`) as { outputEncoding?: unknown };
    return fields.outputEncoding === 'utf8' || fields.outputEncoding === 'base64' ? { head, encoding: fields.outputEncoding } : null;
  } catch {
    return null;
  }
}

/** Streams the journal's lines; a line's bytes are held only up to WHOLE_LINE_BYTES. */
export async function* scanJournal(path: string): AsyncGenerator<ScannedLine> {
  let offset = 0;
  let line = 0;
  let state = new LineState(0);
  let open = false;
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, from)) {
      state.add(chunk.subarray(from, nl));
      line += 1;
      yield state.end(line, true);
      offset = state.offset + state.length + 1;
      from = nl + 1;
      state = new LineState(offset);
      open = false;
    }
    if (from < chunk.length) {
      state.add(chunk.subarray(from));
      open = true;
    }
  }
  if (open) yield state.end(line + 1, false);
}
