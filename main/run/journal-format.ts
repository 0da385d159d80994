// The journal's record format, shared by appending, reading and verifying.
// See journal.ts for the file layout and the hash chain.

import { realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Status } from '../notebook/types.js';
import type { RawOutput } from './raw-output.js';
import { isJsonStringBody } from './journal-inline.js';

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
  /**
   * The full raw output (bytes as received, before terminal resolution and
   * trimming): in memory, or a run's spooled output, which the append takes
   * over (it moves the spool into the blob store and disposes it, whatever happens).
   */
  output: Uint8Array | string | RawOutput;
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
  /** How `output` is (or, for a blob, would be) written: UTF-8 text as text, anything else as base64. */
  outputEncoding: 'utf8' | 'base64';
  /**
   * The output is out of line (bigger than a journal line should be): the
   * sha256 (hex) of its bytes, which are in `.modus/journal/blobs/<sha256>.gz`
   * (journal-blob.ts). The record's hash covers this reference.
   */
  outputBlob?: string;
  /** Why the output is not kept at all (its spool failed, e.g. on a full disk): the rest of the record stands. */
  outputLost?: string;
  /**
   * Absent in records returned by appendJournalRecord and by
   * readJournal({ output: false }); for a blob, readJournal loads it.
   */
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
  if (record.output === undefined) {
    const why = record.outputLost ?? (record.outputBlob ? `its blob blobs/${record.outputBlob}.gz could not be read` : 'it was read without its output');
    throw new Error(`journal record ${record.seq} has no output here: ${why}`);
  }
  return Buffer.from(record.output, record.outputEncoding === 'base64' ? 'base64' : 'utf8');
}

const SHA256 = /^[0-9a-f]{64}$/;

function asRecord(value: unknown): JournalRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Partial<JournalRecord>;
  if (r.v !== JOURNAL_VERSION || typeof r.seq !== 'number' || typeof r.prev !== 'string' || typeof r.hash !== 'string') return null;
  if (r.outputEncoding !== 'utf8' && r.outputEncoding !== 'base64') return null;
  if (r.outputBlob !== undefined && (typeof r.outputBlob !== 'string' || !SHA256.test(r.outputBlob) || r.output !== undefined)) return null;
  return value as JournalRecord;
}

const OUTPUT_KEY = Buffer.from(',"output":"');
const HASH_FIELD = /^","hash":"([0-9a-f]{64})"\}$/;
/** The closing quote of the output and the hash field: what follows an inline output's body. */
export const HASH_FIELD_LENGTH = '","hash":"'.length + 64 + '"}'.length;

/** Lines without inline output are small; a bigger one is not parsed whole (it is not a record of ours). */
const WHOLE_PARSE_LIMIT = 16 << 20;

/** A record read without its output, and where the output's JSON string body is in the line (when it is inline). */
export interface RecordHead {
  record: JournalRecord;
  body: { start: number; end: number } | null;
}

/**
 * Reads a record without materialising its output: the small fields are
 * parsed as JSON and an inline output is only checked to be a well-formed
 * JSON string, so a line holding 100 MB of output costs no more than its bytes.
 */
export function parseRecordHead(bytes: Buffer): RecordHead | null {
  // The output string cannot contain an unescaped quote, so the last
  // `,"output":"` in the line is the real key.
  const at = bytes.lastIndexOf(OUTPUT_KEY);
  if (at >= 0 && bytes.length - at >= OUTPUT_KEY.length + HASH_FIELD_LENGTH) {
    const record = headBeforeOutput(bytes.toString('utf8', 0, at), bytes.toString('latin1', bytes.length - HASH_FIELD_LENGTH));
    const body = { start: at + OUTPUT_KEY.length, end: bytes.length - HASH_FIELD_LENGTH };
    if (record && isJsonStringBody(bytes.subarray(body.start, body.end), record.outputEncoding)) return { record, body };
  }
  // No inline output (a blob, or none kept; `details` may still hold an "output" key): the line is small, parse it whole.
  if (bytes.length > WHOLE_PARSE_LIMIT) return null;
  const record = parseWhole(bytes);
  return record && record.output === undefined ? { record, body: null } : null;
}

/** The record from the text before `,"output":"` and the line's last HASH_FIELD_LENGTH characters; null when they are not one. */
export function headBeforeOutput(head: string, hashField: string): JournalRecord | null {
  const suffix = HASH_FIELD.exec(hashField);
  if (!suffix) return null;
  try {
    return asRecord(JSON.parse(`${head},"hash":"${suffix[1]}"}`));
  } catch {
    return null;
  }
}

/** Where an inline output's key ends in a line's first bytes (-1 when there is none). */
export function outputBodyStart(head: Buffer): number {
  const at = head.lastIndexOf(OUTPUT_KEY);
  return at < 0 ? -1 : at + OUTPUT_KEY.length;
}

function parseWhole(bytes: Buffer): JournalRecord | null {
  try {
    return asRecord(JSON.parse(bytes.toString('utf8')));
  } catch {
    return null;
  }
}

export interface ParseRecordOptions {
  /** Keep the output text (default true); false avoids building huge strings. */
  output?: boolean;
}

/** Parses one line into a record, or null when it is not one. */
export function parseRecord(bytes: Buffer, options: ParseRecordOptions = {}): JournalRecord | null {
  if (options.output === false) return parseRecordHead(bytes)?.record ?? null;
  return parseWhole(bytes);
}
