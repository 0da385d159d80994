// The run journal: `.modus/journal/<notebook file name>.jsonl` beside the
// notebook, one JSON record per line per run and host, append-only.
//
// Each line is `{"v":1,"seq":N,"prev":P, …, "output":"…","hash":H}`:
//  - seq is the record's line number (1-based) when nothing was tampered with;
//  - prev is the hex sha256 of the previous line's exact bytes (without its
//    \n), or 64 zeros for the first line;
//  - hash is the hex sha256 of this line's bytes up to (not including) the
//    `,"hash":` suffix, so an edit of the last record is detectable too.
// Field order is fixed by the serializer below; verification works on bytes.
//
// Appends: serialised per journal within the process (a promise queue) and
// across processes by a lock file (../files/file-lock.ts); the file is opened with
// O_APPEND and fsync'd after each record. Large outputs are streamed in 1 MiB
// pieces straight from the caller's buffer: memory stays at the caller's
// buffer plus about 2 MiB, whatever the output size. A failed write (disk
// full) is truncated away so the journal never keeps half a record from us.

import { mkdir, open, stat, chmod } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { basename, dirname } from 'node:path';
import { userInfo } from 'node:os';
import type { Status } from '../notebook/types.js';
import { acquireLock } from '../files/file-lock.js';
import { countLines, readRawLines, readTail } from './journal-lines.js';
import { JOURNAL_VERSION, ZERO_HASH, journalPath, parseRecord } from './journal-format.js';
import type { JournalEntry, JournalRecord } from './journal-format.js';

export * from './journal-format.js';
export { verifyJournal } from './journal-verify.js';
export type { JournalProblem, JournalVerification } from './journal-verify.js';

const STATUSES: readonly Status[] = ['pass', 'fail', 'error', 'timeout', 'cancelled'];

function isoTime(value: Date | string, field: string): string {
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) throw new TypeError(`journal entry: ${field} is not a valid time: ${String(value)}`);
  return d.toISOString();
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? 'unknown';
  }
}

function validate(entry: JournalEntry): void {
  if (!Number.isInteger(entry.block) || entry.block < 0) throw new TypeError(`journal entry: block must be a block index ≥ 0, got ${String(entry.block)}`);
  if (!STATUSES.includes(entry.status)) throw new TypeError(`journal entry: status must be one of ${STATUSES.join(', ')}, got ${String(entry.status)}`);
  if (typeof entry.host !== 'string' || entry.host === '') throw new TypeError('journal entry: host is required ("local" for local runs)');
  if (entry.exitCode !== null && !Number.isInteger(entry.exitCode)) throw new TypeError(`journal entry: exitCode must be an integer or null, got ${String(entry.exitCode)}`);
  isoTime(entry.start, 'start');
  isoTime(entry.end, 'end');
}

// --- streaming serialisation -------------------------------------------------

const PIECE = 1 << 20;
const BASE64_PIECE = 3 * (1 << 18); // a multiple of 3, so pieces concatenate into valid base64

/** Pieces of the JSON string body (without quotes) for a UTF-8 text output. */
function* jsonTextPieces(output: Uint8Array | string): Generator<string> {
  if (typeof output === 'string') {
    for (let at = 0; at < output.length; ) {
      let end = Math.min(output.length, at + PIECE);
      // Never split a surrogate pair between pieces.
      if (end < output.length && /[\uD800-\uDBFF]/.test(output[end - 1]!)) end -= 1;
      yield JSON.stringify(output.slice(at, end)).slice(1, -1);
      at = end;
    }
    return;
  }
  const buf = Buffer.from(output.buffer, output.byteOffset, output.byteLength);
  for (let at = 0; at < buf.length; ) {
    let end = Math.min(buf.length, at + PIECE);
    // Back up to a character boundary: never end a piece inside a UTF-8 sequence.
    while (end < buf.length && end > at && (buf[end]! & 0xc0) === 0x80) end -= 1;
    yield JSON.stringify(buf.toString('utf8', at, end)).slice(1, -1);
    at = end;
  }
}

function* base64Pieces(output: Uint8Array): Generator<string> {
  const buf = Buffer.from(output.buffer, output.byteOffset, output.byteLength);
  for (let at = 0; at < buf.length; at += BASE64_PIECE) yield buf.toString('base64', at, Math.min(buf.length, at + BASE64_PIECE));
}

class RecordWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  readonly selfHash = createHash('sha256');
  readonly lineHash = createHash('sha256');
  constructor(private readonly handle: FileHandle) {}

  /** Bytes that belong to the hashed part of the line. */
  async hashed(text: string): Promise<void> {
    const bytes = Buffer.from(text, 'utf8');
    this.selfHash.update(bytes);
    await this.raw(bytes);
  }

  /** Bytes of the line after the hashed part (the hash field itself). */
  async raw(bytes: Buffer): Promise<void> {
    this.lineHash.update(bytes);
    await this.unhashed(bytes);
  }

  /** The line terminator: not part of the line's hash. */
  async unhashed(bytes: Buffer): Promise<void> {
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= PIECE) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const data = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    for (let at = 0; at < data.length; ) {
      const { bytesWritten } = await this.handle.write(data, at, data.length - at);
      at += bytesWritten;
    }
  }
}

// --- append -----------------------------------------------------------------

interface ChainState {
  size: number;
  mtimeMs: number;
  ino: number;
  seq: number;
  lineHash: string;
}

/** Per-process knowledge of each journal's end, so an append need not re-read the last line. */
const chainCache = new Map<string, ChainState>();
/** Per-journal promise queue: appends from this process run one at a time. */
const queues = new Map<string, Promise<unknown>>();

async function ensureDir(dir: string): Promise<void> {
  const modusDir = dirname(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode applies only to directories it creates; tighten ours if they exist looser.
  for (const d of [modusDir, dir]) {
    const s = await stat(d);
    if ((s.mode & 0o077) !== 0 && s.uid === process.getuid?.()) await chmod(d, 0o700);
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

async function appendLocked(path: string, notebook: string, entry: JournalEntry): Promise<JournalRecord> {
  const handle = await open(path, 'a+', 0o600);
  let sizeBefore = 0;
  try {
    const st = await handle.stat();
    sizeBefore = st.size;
    const cached = chainCache.get(path);
    let seq: number;
    let prev: string;
    let needsNewline = false;
    if (cached && cached.size === st.size && cached.mtimeMs === st.mtimeMs && cached.ino === st.ino) {
      seq = cached.seq + 1;
      prev = cached.lineHash;
    } else {
      const tail = await readTail(handle, st.size);
      needsNewline = tail.unterminated;
      prev = tail.lastLineHash ?? ZERO_HASH;
      // seq is the line number; a damaged last line still takes its place.
      seq = (tail.lastSeq ?? (st.size === 0 ? 0 : await countLines(path))) + 1;
    }

    const output = entry.output;
    const text = typeof output === 'string' || isUtf8(output);
    const outputBytes = typeof output === 'string' ? Buffer.byteLength(output, 'utf8') : output.byteLength;
    const start = isoTime(entry.start, 'start');
    const end = isoTime(entry.end, 'end');
    const head: Omit<JournalRecord, 'output' | 'hash'> = {
      v: JOURNAL_VERSION,
      seq,
      prev,
      notebook,
      block: entry.block,
      name: entry.name ?? null,
      lang: entry.lang,
      user: entry.user ?? currentUser(),
      host: entry.host,
      start,
      end,
      tookMs: Math.max(0, Date.parse(end) - Date.parse(start)),
      command: entry.command,
      exitCode: entry.exitCode,
      status: entry.status,
      expectations: entry.expectations ?? [],
      ...(entry.expectExit !== undefined ? { expectExit: entry.expectExit } : {}),
      ...(entry.message !== undefined ? { message: entry.message } : {}),
      ...(entry.details !== undefined ? { details: entry.details } : {}),
      outputBytes,
      outputEncoding: text ? 'utf8' : 'base64',
    };

    const writer = new RecordWriter(handle);
    if (needsNewline) {
      // The previous line was cut short by an interrupted write; keep it (it is
      // evidence, and verify reports it) and start ours on a line of its own.
      await handle.write(Buffer.from('\n'));
    }
    await writer.hashed(JSON.stringify(head).slice(0, -1) + ',"output":"');
    const pieces = text ? jsonTextPieces(output) : base64Pieces(output as Uint8Array);
    for (const piece of pieces) await writer.hashed(piece);
    await writer.hashed('"');
    const hash = writer.selfHash.digest('hex');
    await writer.raw(Buffer.from(`,"hash":"${hash}"}`));
    const lineHash = writer.lineHash.digest('hex');
    await writer.unhashed(Buffer.from('\n'));
    await writer.flush();
    await handle.sync();
    const after = await handle.stat();
    chainCache.set(path, { size: after.size, mtimeMs: after.mtimeMs, ino: after.ino, seq, lineHash });
    return { ...head, hash };
  } catch (err) {
    chainCache.delete(path);
    // Take back whatever part of our record reached the file, so the journal
    // never ends in half a record written by us (e.g. on ENOSPC).
    await handle.truncate(sizeBefore).catch(() => undefined);
    throw err;
  } finally {
    await handle.close();
  }
}

/**
 * Appends one run record to the notebook's journal and returns it (without
 * its output, which may be huge). Safe to call concurrently, from this and
 * other processes.
 */
export async function appendJournalRecord(notebookPath: string, entry: JournalEntry): Promise<JournalRecord> {
  validate(entry);
  const path = await journalPath(notebookPath);
  const notebook = basename(path, '.jsonl');
  const previous = queues.get(path) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(async () => {
    const dir = dirname(path);
    let created = false;
    try {
      await stat(path);
    } catch {
      created = true;
    }
    await ensureDir(dir);
    const lock = await acquireLock(`${path}.lock`);
    try {
      const record = await appendLocked(path, notebook, entry);
      if (created) await fsyncDir(dir);
      return record;
    } finally {
      await lock.release();
    }
  });
  queues.set(path, run);
  try {
    return await run;
  } catch (err) {
    throw new Error(`could not append to the journal ${path}: ${(err as Error).message}`, { cause: err });
  } finally {
    if (queues.get(path) === run) queues.delete(path);
  }
}

// --- read ----------------------------------------------------------------------

export interface ReadJournalOptions {
  /** Keep each record's output (default true). False saves memory for timelines. */
  output?: boolean;
}

/**
 * The journal's records in file order. Lines that are not records (damaged,
 * truncated) are skipped: `verifyJournal` is the place that reports them.
 * A notebook without a journal has no records.
 */
export async function readJournal(notebookPath: string, options: ReadJournalOptions = {}): Promise<JournalRecord[]> {
  const path = await journalPath(notebookPath);
  const records: JournalRecord[] = [];
  try {
    await stat(path);
  } catch {
    return records;
  }
  for await (const { bytes } of readRawLines(path)) {
    const record = parseRecord(bytes, options);
    if (!record) continue;
    records.push(record);
  }
  return records;
}

