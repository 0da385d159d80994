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
// Outputs up to INLINE_OUTPUT_BYTES are the record's `output` field; bigger
// ones are kept out of line as a compressed blob named by their sha256
// (journal-blob.ts): the record has `outputBlob` (the hash) and
// `outputBytes` instead, so records stay small whatever a run printed.
//
// Appends: serialised per journal within the process (a promise queue) and
// across processes by a lock file (../files/file-lock.ts); the file is opened with
// O_APPEND and fsync'd after each record, and a blob is durable before the
// record naming it is written. A failed write (disk full) is truncated away
// (and a blob it brought is removed) so the journal never keeps half a
// record from us.

import { createReadStream } from 'node:fs';
import { mkdir, open, stat, chmod } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { createHash } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Status } from '../notebook/types.js';
import { acquireLock } from '../files/file-lock.js';
import { countLines, readRawLines, readTail } from './journal-lines.js';
import { JOURNAL_VERSION, ZERO_HASH, journalPath, parseRecord } from './journal-format.js';
import type { JournalEntry, JournalRecord } from './journal-format.js';
import { INLINE_OUTPUT_BYTES, isRawOutput, rawOutputOf, type RawOutput } from './raw-output.js';
import { adoptSpooledBlob, blobPath, readBlob, removeBlob, storeBlob, type StoredBlob } from './journal-blob.js';
import { decodeJsonBody } from './journal-inline.js';
import { scanJournal } from './journal-scan.js';

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
function* jsonTextPieces(buf: Buffer): Generator<string> {
  for (let at = 0; at < buf.length; ) {
    let end = Math.min(buf.length, at + PIECE);
    // Back up to a character boundary: never end a piece inside a UTF-8 sequence.
    while (end < buf.length && end > at && (buf[end]! & 0xc0) === 0x80) end -= 1;
    yield JSON.stringify(buf.toString('utf8', at, end)).slice(1, -1);
    at = end;
  }
}

function* base64Pieces(buf: Buffer): Generator<string> {
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

/** Where the output goes: in the line, into the blob store, or nowhere (it was lost). */
function outputFields(output: RawOutput): Pick<JournalRecord, 'outputBytes' | 'outputEncoding' | 'outputBlob' | 'outputLost'> {
  const base = { outputBytes: output.bytes, outputEncoding: output.utf8 ? 'utf8' : 'base64' } as const;
  if (output.lost !== undefined) return { ...base, outputLost: output.lost };
  return output.inline ? base : { ...base, outputBlob: output.sha256 };
}

/** Stores a blob the record will name (under the journal's lock, so no other append can remove it meanwhile). */
async function storeOutput(path: string, output: RawOutput): Promise<StoredBlob | null> {
  if (output.lost !== undefined) return null;
  if (output.gzipFile) return adoptSpooledBlob(path, output);
  if (output.inline && output.inline.length > INLINE_OUTPUT_BYTES) return storeBlob(path, output.inline, output.sha256);
  return null;
}

async function appendLocked(path: string, notebook: string, entry: JournalEntry, output: RawOutput): Promise<JournalRecord> {
  const handle = await open(path, 'a+', 0o600);
  let sizeBefore = 0;
  let blob: StoredBlob | null = null;
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

    blob = await storeOutput(path, output);
    const fields = outputFields(blob ? { ...output, inline: null } : output);
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
      ...fields,
    };

    const writer = new RecordWriter(handle);
    if (needsNewline) {
      // The previous line was cut short by an interrupted write; keep it (it is
      // evidence, and verify reports it) and start ours on a line of its own.
      await handle.write(Buffer.from('\n'));
    }
    const inline = fields.outputBlob === undefined && fields.outputLost === undefined ? output.inline : null;
    if (inline) {
      await writer.hashed(JSON.stringify(head).slice(0, -1) + ',"output":"');
      for (const piece of output.utf8 ? jsonTextPieces(inline) : base64Pieces(inline)) await writer.hashed(piece);
      await writer.hashed('"');
    } else {
      await writer.hashed(JSON.stringify(head).slice(0, -1));
    }
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
    if (blob) await removeBlob(blob);
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
  const output = isRawOutput(entry.output) ? entry.output : rawOutputOf(toBuffer(entry.output));
  try {
    validate(entry);
    return await appendEntry(notebookPath, entry, output);
  } finally {
    // The append owns a spooled output: whatever it did not move into the blob store goes.
    await output.dispose();
  }
}

/** The caller's bytes as a Buffer view (not a copy: they may be big). */
function toBuffer(output: Uint8Array | string): Buffer {
  return typeof output === 'string' ? Buffer.from(output, 'utf8') : Buffer.from(output.buffer, output.byteOffset, output.byteLength);
}

async function appendEntry(notebookPath: string, entry: JournalEntry, output: RawOutput): Promise<JournalRecord> {
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
      const record = await appendLocked(path, notebook, entry, output);
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
  /**
   * Keep each record's output (default true; a blob is read and decompressed
   * into it, so memory grows with the outputs). False streams the journal in
   * bounded memory: for timelines, show and export.
   */
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
  if (options.output === false) {
    for await (const { record } of scanJournal(path)) if (record) records.push(record);
    return records;
  }
  for await (const { bytes } of readRawLines(path)) {
    const record = parseRecord(bytes);
    if (!record) continue;
    if (record.outputBlob) await loadBlob(path, record);
    records.push(record);
  }
  return records;
}

async function loadBlob(path: string, record: JournalRecord): Promise<void> {
  const pieces: Buffer[] = [];
  try {
    for await (const piece of readBlob(path, record.outputBlob!)) pieces.push(piece);
  } catch {
    return; // decodeOutput says the blob could not be read; verifyJournal says why
  }
  record.output = Buffer.concat(pieces).toString(record.outputEncoding === 'base64' ? 'base64' : 'utf8');
}

/**
 * Streams the raw output bytes of the record numbered `seq`: from its blob,
 * or decoded piece by piece from its line. Memory stays bounded either way.
 */
export async function* readRecordOutput(notebookPath: string, seq: number): AsyncGenerator<Buffer> {
  const path = await journalPath(notebookPath);
  try {
    await stat(path);
  } catch {
    throw new Error(`no journal at ${path}: the notebook has not been run here yet`);
  }
  let found: { record: JournalRecord; body: { start: number; end: number } | null } | null = null;
  for await (const { record, body } of scanJournal(path)) {
    if (record?.seq === seq) {
      found = { record, body };
      break;
    }
  }
  if (!found) throw new Error(`the journal has no record ${seq} (${path})`);
  const { record, body } = found;
  if (record.outputLost !== undefined) throw new Error(`record ${seq} kept no output: ${record.outputLost}`);
  if (record.outputBlob) {
    try {
      await stat(blobPath(path, record.outputBlob));
    } catch {
      throw new Error(`record ${seq}'s output blob blobs/${record.outputBlob}.gz is missing (modus journal verify checks them all)`);
    }
    yield* readBlob(path, record.outputBlob);
    return;
  }
  if (!body || body.end <= body.start) return;
  // Small pieces: the strings decoding makes die young, and memory stays flat.
  const pieces = createReadStream(path, { start: body.start, end: body.end - 1, highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>;
  yield* decodeJsonBody(pieces, record.outputEncoding);
}
