// The journal's record format, shared by appending, reading and verifying.
// See journal.ts for the file layout and the hash chain.

import { realpath } from 'node:fs/promises';
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

/** Parses one line into a record, or null when it is not one. */
export function parseRecord(bytes: Buffer): JournalRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Partial<JournalRecord>;
  if (r.v !== JOURNAL_VERSION || typeof r.seq !== 'number' || typeof r.prev !== 'string' || typeof r.hash !== 'string') return null;
  return value as JournalRecord;
}
