// The notebook on disk, as the engine reads and writes it. The file is the
// truth: before results are written, the file is read again; when it changed
// since we last read or wrote it (edited in an editor, or by a block), the
// block is found again in the new text (by :name, else by identical language,
// info string and body) and the results go there. Writes to one file are
// serialised (one queue per real path), so runs that finish together all land.

import { readFile, realpath } from 'node:fs/promises';
import { parseHeaderArgs } from '../notebook/header-args.js';
import { scanNotebook } from '../notebook/scan.js';
import { spliceResults } from '../notebook/splice.js';
import type { CodeBlock, ResultEntry, ScannedNotebook } from '../notebook/types.js';
import { WriteRefused, writeFileAtomic } from '../files/atomic-write.js';
import { describeFileError } from '../files/describe-error.js';

export class NotebookFileError extends Error {}

/** How the engine remembers a block so it can find it again after the file changed. */
export interface BlockIdentity {
  index: number;
  name: string | null;
  lang: string;
  info: string;
  body: string;
}

export function identityOf(block: CodeBlock, name: string | null): BlockIdentity {
  return { index: block.index, name, lang: block.lang, info: block.info, body: block.body };
}

export type WriteOutcome =
  | { written: true; moved: boolean }
  | { written: false; reason: 'block-gone' | 'refused' | 'not-utf8' | 'splice'; message: string };

const queues = new Map<string, Promise<unknown>>();

export function decodeNotebook(bytes: Uint8Array, path: string): string {
  try {
    // ignoreBOM keeps a leading U+FEFF in the text: the scanner records it and splicing keeps it.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new NotebookFileError(`${path} is not valid UTF-8; Modus reads and writes UTF-8 notebooks only (convert it, e.g. iconv -t UTF-8); the file was not changed`);
  }
}

export class NotebookFile {
  private known: Buffer;
  private current: ScannedNotebook;

  private constructor(
    /** The notebook as named by the user (messages use it). */
    readonly path: string,
    /** Where results are written: the notebook itself, or --output FILE. */
    readonly writePath: string,
    bytes: Buffer,
    text: string,
  ) {
    this.known = bytes;
    this.current = scanNotebook(text, path);
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
    return this.current;
  }

  private get inPlace(): boolean {
    return this.writePath === this.path;
  }

  /** Writes one block's results (one entry per host). Serialised with every other write to the same file. */
  async writeResults(block: BlockIdentity, entries: readonly ResultEntry[], mode: 'replace' | 'append'): Promise<WriteOutcome> {
    let key = this.writePath;
    try {
      key = await realpath(this.writePath);
    } catch {
      // --output to a new file: its path is the key
    }
    const previous = queues.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.writeNow(block, entries, mode));
    queues.set(key, next);
    try {
      return await next;
    } finally {
      if (queues.get(key) === next) queues.delete(key);
    }
  }

  private async writeNow(identity: BlockIdentity, entries: readonly ResultEntry[], mode: 'replace' | 'append'): Promise<WriteOutcome> {
    let moved = false;
    if (this.inPlace) {
      let onDisk: Buffer;
      try {
        onDisk = await readFile(this.path);
      } catch (e) {
        return { written: false, reason: 'block-gone', message: `${this.path} can no longer be read (${(e as Error).message})` };
      }
      if (!onDisk.equals(this.known)) {
        let text: string;
        try {
          text = decodeNotebook(onDisk, this.path);
        } catch {
          return { written: false, reason: 'not-utf8', message: `${this.path} changed on disk and is no longer valid UTF-8; results not written` };
        }
        this.known = onDisk;
        this.current = scanNotebook(text, this.path);
        moved = true;
      }
    }
    const block = moved ? findBlock(this.current, identity) : this.current.blocks[identity.index];
    if (!block || (!moved && !sameBlock(block, identity))) {
      return { written: false, reason: 'block-gone', message: `block ${identity.index + 1}${identity.name ? ` (${identity.name})` : ''} is no longer in ${this.path} (the file changed during the run); its results were not written` };
    }
    const spliced = spliceResults(this.current, block, entries, mode, this.path);
    if (spliced.error) return { written: false, reason: 'splice', message: `${spliced.error.reason}` };
    const bytes = Buffer.from(spliced.text, 'utf8');
    try {
      await writeFileAtomic(this.writePath, bytes, { refuseReadOnly: true, newFileMode: 0o644 });
    } catch (e) {
      const why = e instanceof WriteRefused ? e.message : `cannot write ${this.writePath}: ${(e as Error).message}`;
      return { written: false, reason: 'refused', message: why };
    }
    this.known = bytes;
    this.current = scanNotebook(spliced.text, this.path);
    return { written: true, moved: moved && block.index !== identity.index };
  }
}

function sameBlock(block: CodeBlock, id: BlockIdentity): boolean {
  return block.lang === id.lang && block.info === id.info && block.body === id.body;
}

/** The block in a changed file: by :name, else identical lang + info + body (nearest to where it was). */
export function findBlock(nb: ScannedNotebook, id: BlockIdentity): CodeBlock | undefined {
  const candidates = id.name !== null
    ? nb.blocks.filter((b) => b.lang === id.lang && parseHeaderArgs(b).args.name === id.name)
    : nb.blocks.filter((b) => sameBlock(b, id));
  let best: CodeBlock | undefined;
  for (const b of candidates) if (!best || Math.abs(b.index - id.index) < Math.abs(best.index - id.index)) best = b;
  return best;
}
