// The journal's record format, shared by appending, reading and verifying.
// See journal.ts for the file layout and the hash chain.

import { realpath } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { basename, dirname, join, resolve } from 'node:path';
import type { Status } from '../notebook/types.js';

export const JOURNAL_VERSION = 1;
export const ZERO_HASH = '0'.repeat(64);

export interface Expectation {
  /** The `:expect` regular expression as written (after substitution). */
  pattern: string;
  matched: boolean;
}

/** What the engine hands over after a run on one host. */
export interface JournalEntry {
  /** 0-based code-block index in the notebook. */
  block: number;
  /** The block's `:name`, if any. */
  name?: string | null;
  lang: string;
  /** Who ran it; defaults to the current OS user. */
  user?: string;
  /** Target host name as written in the notebook, or "local". */
  host: string;
  start: Date | string;
  end: Date | string;
  /** The exact text sent, after variable substitution. */
  command: string;
  /** The full raw output (bytes as received, before terminal resolution and trimming). */
  output: Uint8Array | string;
  exitCode: number | null;
  status: Status;
  expectations?: Expectation[];
  /** The expected exit status (`:expect-exit`), when not 0. */
  expectExit?: number;
  /** Why the run ended as it did (unreachable, timeout after 30s, …). */
  message?: string;
  /** Target-specific facts (Junos commit id, confirm deadline, …); must be JSON-serialisable. */
  details?: Record<string, unknown>;
}

/** One line of the journal, parsed. */
export interface JournalRecord {
  v: 1;
  seq: number;
  prev: string;
  notebook: string;
  block: number;
  name: string | null;
  lang: string;
  user: string;
  host: string;
  start: string;
  end: string;
  tookMs: number;
  command: string;
  exitCode: number | null;
  status: Status;
  expectations: Expectation[];
  expectExit?: number;
  message?: string;
  details?: Record<string, unknown>;
  outputBytes: number;
  outputEncoding: 'utf8' | 'base64';
  /** Absent in records returned by appendJournalRecord and by readJournal({ output: false }). */
  output?: string;
  hash: string;
}

/** `.modus/journal/<notebook file name>.jsonl` beside the notebook (symlinks followed). */
export async function journalPath(notebookPath: string): Promise<string> {
  let real = resolve(notebookPath);
  try {
    real = await realpath(notebookPath);
  } catch {
    // A notebook that does not exist (yet) keeps its journal beside the given path.
  }
  return join(dirname(real), '.modus', 'journal', `${basename(real)}.jsonl`);
}

/** The raw output bytes of a record read with its output. */
export function decodeOutput(record: JournalRecord): Buffer {
  if (record.output === undefined) throw new Error(`journal record ${record.seq} was read without its output`);
  return Buffer.from(record.output, record.outputEncoding === 'base64' ? 'base64' : 'utf8');
}

function asRecord(value: unknown): JournalRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Partial<JournalRecord>;
  if (r.v !== JOURNAL_VERSION || typeof r.seq !== 'number' || typeof r.prev !== 'string' || typeof r.hash !== 'string') return null;
  if (r.outputEncoding !== 'utf8' && r.outputEncoding !== 'base64') return null;
  return value as JournalRecord;
}

const OUTPUT_KEY = Buffer.from(',"output":"');
const HASH_FIELD = /^","hash":"([0-9a-f]{64})"\}$/;
const HASH_FIELD_LENGTH = '","hash":"'.length + 64 + '"}'.length;
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const CHECK_PIECE = 1 << 20;

/**
 * True when the bytes can be a JSON string body (between the quotes): valid
 * UTF-8 (or base64 characters), no raw control characters, no unescaped
 * quote. Escape sequences themselves are not re-checked here: they are covered
 * by the record's hash, which verification checks on the same bytes.
 */
function isJsonStringBody(body: Buffer, encoding: 'utf8' | 'base64'): boolean {
  // Control characters are exactly what a JSON string may not contain raw.
  // eslint-disable-next-line no-control-regex
  const forbidden = encoding === 'base64' ? /[^A-Za-z0-9+/=]/ : /[\x00-\x1f]/;
  if (encoding === 'utf8' && !isUtf8(body)) return false;
  for (let at = 0; at < body.length; at += CHECK_PIECE) {
    if (forbidden.test(body.toString('latin1', at, Math.min(body.length, at + CHECK_PIECE)))) return false;
  }
  for (let q = body.indexOf(QUOTE); q >= 0; q = body.indexOf(QUOTE, q + 1)) {
    let backslashes = 0;
    while (q - backslashes - 1 >= 0 && body[q - backslashes - 1] === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return false;
  }
  return true;
}

/**
 * Reads a record without materialising its output: the small fields are
 * parsed as JSON and the output is only checked to be a well-formed JSON
 * string, so a line holding 100 MB of output costs no more than its bytes.
 */
function parseRecordHead(bytes: Buffer): JournalRecord | null {
  // The output string cannot contain an unescaped quote, so the last
  // `,"output":"` in the line is the real key.
  const at = bytes.lastIndexOf(OUTPUT_KEY);
  if (at < 0 || bytes.length - at < OUTPUT_KEY.length + HASH_FIELD_LENGTH) return null;
  const suffix = HASH_FIELD.exec(bytes.toString('latin1', bytes.length - HASH_FIELD_LENGTH));
  if (!suffix) return null;
  let head: unknown;
  try {
    head = JSON.parse(`${bytes.toString('utf8', 0, at)},"hash":"${suffix[1]}"}`);
  } catch {
    return null;
  }
  const record = asRecord(head);
  if (!record) return null;
  const body = bytes.subarray(at + OUTPUT_KEY.length, bytes.length - HASH_FIELD_LENGTH);
  return isJsonStringBody(body, record.outputEncoding) ? record : null;
}

export interface ParseRecordOptions {
  /** Keep the output text (default true); false avoids building huge strings. */
  output?: boolean;
}

/** Parses one line into a record, or null when it is not one. */
export function parseRecord(bytes: Buffer, options: ParseRecordOptions = {}): JournalRecord | null {
  if (options.output === false) return parseRecordHead(bytes);
  try {
    return asRecord(JSON.parse(bytes.toString('utf8')));
  } catch {
    return null;
  }
}
