// The notebook on disk, as the engine reads and writes it. The file is the
// truth: every write happens under a lock shared with every other writer of
// the file (other `modus run` processes, the web host, the app), reads the
// file again there, and when it is not the text the block was last found in
// (edited in an editor, written by another process, changed by a block), finds
// the block again (block-locator.ts) before splicing its results in. Within
// this process writes to one file are also serialised (one queue per real
// path), so runs that finish together all land; results that arrive while a
// write is under way are written together by the next one (a notebook of
// 20,000 blocks is 2 MB: one atomic rewrite per block made the disk the
// bottleneck of a run).

import { readFile, realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { scanNotebook } from '../notebook/scan.js';
import { FollowedScan, textAfterSplices, type BatchSplice } from '../notebook/scan-after-splice.js';
import { spliceResults } from '../notebook/splice.js';
import type { CodeBlock, ResultEntry, ScannedNotebook } from '../notebook/types.js';
import { WriteRefused, sweepStaleTemps, writeFileAtomic } from '../files/atomic-write.js';
import { describeFileError } from '../files/describe-error.js';
import { acquireLock, type HeldLock } from '../files/file-lock.js';
import { ByteStore } from '../files/reused-bytes.js';
import { BlockIndex, relocate, type BlockIdentity, type BlockLocation } from './block-locator.js';

export type { BlockIdentity } from './block-locator.js';

export class NotebookFileError extends Error {}

export function identityOf(block: CodeBlock, name: string | null): BlockIdentity {
  return { index: block.index, name, lang: block.lang, info: block.info, body: block.body };
}

export type WriteOutcome =
  | { written: true; moved: boolean }
  | { written: false; reason: 'block-gone' | 'refused' | 'not-utf8' | 'splice'; message: string };

const queues = new Map<string, Promise<unknown>>();

interface PendingWrite {
  identity: BlockIdentity;
  entries: readonly ResultEntry[];
  mode: 'replace' | 'append';
  mayWait: boolean;
  settle: (outcome: WriteOutcome) => void;
}

/**
 * When nobody waits on a write to go on (parallel runs), the next one starts
 * no sooner than this many times the last one's duration after it: writing
 * takes at most a quarter of the time, whatever the file's size, and the
 * results of the blocks that finish meanwhile go together. (20,000 blocks,
 * 2.5 MB: a rewrite per 2-3 blocks cost 26 s of kernel time per 2,000 blocks,
 * and the blocks ran half as fast as in a small notebook.)
 */
const WRITE_SPACING_FACTOR = 3;

export function decodeNotebook(bytes: Uint8Array, path: string): string {
  try {
    // ignoreBOM keeps a leading U+FEFF in the text: the scanner records it and splicing keeps it.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new NotebookFileError(`${path} is not valid UTF-8; Modus reads and writes UTF-8 notebooks only (convert it, e.g. iconv -t UTF-8); the file was not changed`);
  }
}

/** The lock every writer of `real` takes: beside it, so it works wherever the file is. */
export function lockPathFor(real: string): string {
  return join(dirname(real), `.${basename(real)}.modus-lock`);
}

export class NotebookFile {
  /** The bytes of the file as this process last read or wrote it, in `knownStore`'s memory. */
  private known: Buffer;
  private knownStore: ByteStore;
  /** Memory for the next read of the file and the next write: swapped with knownStore when they become known. */
  private readStore = new ByteStore();
  private writeStore = new ByteStore();
  private current: FollowedScan;
  /** Lookups over `current`, built when a block must be found again. */
  private index: BlockIndex | null = null;
  /** Counts the versions of the file written by someone else since it was opened. */
  private version = 0;
  /** Where each block that is written to was last found, and in which version. */
  private readonly locations = new WeakMap<BlockIdentity, { version: number; location: BlockLocation }>();
  /** Whole-file scans made so far: one at open and one per change by someone else (the tests watch it). */
  #fullScans = 1;
  /** Temp copies a crashed writer left beside the file are removed before the first write. */
  private swept = false;
  /** The file as it was opened: where planned identities point. */
  private readonly opened: BlockIndex;
  /** Results waiting for the next write, and whether one is queued to take them. */
  private pending: PendingWrite[] = [];
  private flushQueued = false;
  /** The newest flush asked for; null once it (and so every earlier one) is done. */
  private lastFlush: Promise<void> | null = null;
  /** performance.now() before which a write that may wait does not start. */
  private nextWriteAt = 0;
  #writes = 0;

  private constructor(
    /** The notebook as named by the user (messages use it). */
    readonly path: string,
    /** Where results are written: the notebook itself, or --output FILE. */
    readonly writePath: string,
    bytes: Buffer,
    text: string,
  ) {
    this.known = bytes;
    this.knownStore = new ByteStore(bytes);
    const scanned = scanNotebook(text, path);
    this.current = new FollowedScan(scanned);
    this.opened = new BlockIndex(scanned);
  }

  /** Reads and scans the notebook. `writeTo` sends results to another file, which starts as a copy. */
  static async open(path: string, writeTo?: string): Promise<NotebookFile> {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new NotebookFileError(code === 'ENOENT' ? `${path}: no such file` : `cannot read ${path}: ${describeFileError(e)}`);
    }
    return new NotebookFile(path, writeTo ?? path, bytes, decodeNotebook(bytes, path));
  }

  get notebook(): ScannedNotebook {
    return this.current.notebook;
  }

  /**
   * Waits until every write asked for so far is on disk (or failed). Then
   * `notebook.text` is what this process last read or wrote there: a watcher
   * of the file tells its own writes from someone else's by it.
   */
  async settled(): Promise<void> {
    // Each flush waits for the one before it (one queue per file): the latest one done means all are.
    for (let latest = this.lastFlush; latest !== null; latest = this.lastFlush) {
      await latest;
      if (this.lastFlush === latest) this.lastFlush = null;
    }
  }

  get fullScans(): number {
    return this.#fullScans;
  }

  /** Times the file was written: results arriving together share one write (the tests watch it). */
  get writes(): number {
    return this.#writes;
  }

  private get inPlace(): boolean {
    return this.writePath === this.path;
  }

  /**
   * Writes one block's results (one entry per host). Serialised with every other write to the same file;
   * results that arrive while a write is under way go to disk together in the next one.
   */
  writeResults(block: BlockIdentity, entries: readonly ResultEntry[], mode: 'replace' | 'append', options: { mayWait?: boolean } = {}): Promise<WriteOutcome> {
    return new Promise((settle) => {
      this.pending.push({ identity: block, entries, mode, mayWait: options.mayWait ?? false, settle });
      if (!this.flushQueued) {
        this.flushQueued = true;
        this.lastFlush = this.queueFlush();
      }
    });
  }

  private async queueFlush(): Promise<void> {
    let key = resolve(this.writePath);
    try {
      key = await realpath(this.writePath);
    } catch {
      // --output to a new file: its path is the key
    }
    const previous = queues.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(async () => {
      const wait = this.nextWriteAt - performance.now();
      if (wait > 0 && this.pending.every((w) => w.mayWait)) await new Promise((resolve) => setTimeout(resolve, wait));
      // Taken when the write starts, not when it was queued: everything that arrived meanwhile goes too.
      this.flushQueued = false;
      const batch = this.pending;
      this.pending = [];
      const started = performance.now();
      const outcomes = await this.writeLocked(key, batch).catch((e: Error) =>
        batch.map((): WriteOutcome => ({ written: false, reason: 'refused', message: `cannot write ${this.writePath}: ${e.message}` })),
      );
      const ended = performance.now();
      this.nextWriteAt = ended + WRITE_SPACING_FACTOR * (ended - started);
      batch.forEach((w, i) => w.settle(outcomes[i]!));
    });
    queues.set(key, next);
    try {
      await next;
    } finally {
      if (queues.get(key) === next) queues.delete(key);
    }
  }

  private async writeLocked(real: string, batch: readonly PendingWrite[]): Promise<WriteOutcome[]> {
    let lock: HeldLock;
    try {
      lock = await acquireLock(lockPathFor(real));
    } catch (e) {
      const message = `cannot lock ${this.writePath} against other writers: ${describeFileError(e)}`;
      return batch.map(() => ({ written: false, reason: 'refused', message }));
    }
    try {
      if (!this.swept) {
        this.swept = true;
        await sweepStaleTemps(real);
      }
      return await this.writeNow(batch);
    } finally {
      await lock.release();
    }
  }

  /** Brings the scan up to date with the file on disk, or says why it cannot. */
  private async catchUp(): Promise<{ reason: 'block-gone' | 'not-utf8'; message: string } | null> {
    let onDisk: Buffer;
    try {
      onDisk = await this.readStore.readFile(this.path);
    } catch (e) {
      return { reason: 'block-gone', message: `${this.path} can no longer be read (${(e as Error).message})` };
    }
    if (onDisk.equals(this.known)) return null;
    let text: string;
    try {
      text = decodeNotebook(onDisk, this.path);
    } catch {
      return { reason: 'not-utf8', message: `${this.path} changed on disk and is no longer valid UTF-8; results not written` };
    }
    [this.knownStore, this.readStore] = [this.readStore, this.knownStore];
    this.known = onDisk;
    this.current = new FollowedScan(scanNotebook(text, this.path));
    this.#fullScans++;
    this.index = null;
    this.version++;
    return null;
  }

  private async writeNow(batch: readonly PendingWrite[]): Promise<WriteOutcome[]> {
    if (this.inPlace) {
      const problem = await this.catchUp();
      if (problem) return batch.map(() => ({ written: false, ...problem }));
    }
    const before = this.known;
    const outcomes: WriteOutcome[] = new Array<WriteOutcome>(batch.length);
    const spliced: number[] = [];
    // Each round splices distinct blocks, all against one text, built once (a whole new text per
    // splice made that much garbage per block); a block named twice waits for the next round.
    let round = batch.map((_, i) => i);
    while (round.length > 0) {
      const splices: BatchSplice[] = [];
      const taken = new Set<number>();
      const later: number[] = [];
      for (const i of round) {
        const { identity, entries, mode } = batch[i]!;
        const found = this.find(identity);
        if ('problem' in found) {
          outcomes[i] = { written: false, reason: 'block-gone', message: `${found.problem}; its results were not written` };
          continue;
        }
        const { block } = found;
        if (taken.has(block.index)) {
          later.push(i);
          continue;
        }
        const result = spliceResults(this.current.unsettled, block, entries, mode, this.path);
        const edit = result.edits[0];
        if (result.error || !edit) {
          outcomes[i] = { written: false, reason: 'splice', message: result.error?.reason ?? 'cannot write results here' };
          continue;
        }
        taken.add(block.index);
        splices.push({ block, edit });
        spliced.push(i);
        outcomes[i] = { written: true, moved: block.index !== identity.index };
      }
      if (splices.length > 0) {
        // Splicing results changes no code block: every block keeps its index and its neighbours, and
        // the scan is brought up to date instead of made again (a full scan per write made long runs quadratic).
        const text = textAfterSplices(this.current.text, splices);
        if (!this.current.followBatch(splices, text)) {
          this.current = new FollowedScan(scanNotebook(text, this.path));
          this.#fullScans++;
        }
        this.index = null;
      }
      round = later;
    }
    if (spliced.length === 0) return outcomes;
    const bytes = this.writeStore.encode(this.current.text);
    try {
      await writeFileAtomic(this.writePath, bytes, { refuseReadOnly: true, newFileMode: 0o644 });
      this.#writes++;
    } catch (e) {
      const message = e instanceof WriteRefused ? e.message : `cannot write ${this.writePath}: ${(e as Error).message}`;
      for (const i of spliced) outcomes[i] = { written: false, reason: 'refused', message };
      // The scan followed splices that never reached the file: back to the text that is there.
      this.current = new FollowedScan(scanNotebook(decodeNotebook(before, this.path), this.path));
      this.#fullScans++;
      this.version++;
      return outcomes;
    }
    [this.knownStore, this.writeStore] = [this.writeStore, this.knownStore];
    this.known = bytes;
    return outcomes;
  }

  /** The block that ran as `identity` in the current version of the file. */
  private find(identity: BlockIdentity): { block: CodeBlock } | { problem: string } {
    let seen = this.locations.get(identity);
    if (!seen) {
      const planned = this.opened.notebook.blocks[identity.index];
      if (!planned) return { problem: `block ${identity.index + 1} was not in ${this.path} when the run started` };
      seen = { version: 0, location: this.opened.locationOf(planned) };
    }
    if (seen.version === this.version) {
      const block = this.current.block(seen.location.index);
      if (block) return { block };
    }
    this.index ??= new BlockIndex(this.current.notebook);
    const found = relocate(this.index, identity, seen.location, this.path);
    if ('problem' in found) return found;
    this.locations.set(identity, { version: this.version, location: found.location });
    return { block: found.block };
  }
}
