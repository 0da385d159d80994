// Outputs too big for a journal line live beside the journal, out of line:
// `.modus/journal/blobs/<sha256>.gz`, the gzip of exactly the output's
// bytes, named by the sha256 of those (uncompressed) bytes. The record
// carries the hash and the size (`outputBlob`, `outputBytes`) and the hash
// chain covers the record, so a blob that was changed, cut or deleted is
// found by verify (`zcat blob | sha256sum` gives the same hash by hand).
//
// Content addressing makes equal outputs share one file, in any journal of
// the directory; a journal moved aside keeps its blobs. A blob is made
// durable (fsync of the file and of the directory) before the record that
// names it is written.

import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback, createGunzip } from 'node:zlib';
import { GZIP_LEVEL, type RawOutput } from './raw-output.js';

const gzip = promisify(gzipCallback);
const SHA256 = /^[0-9a-f]{64}$/;
const READ_CHUNK = 1 << 20;

/** The blob store of the journals in this journal's directory. */
export function blobDir(journalFile: string): string {
  return join(dirname(journalFile), 'blobs');
}

export function blobPath(journalFile: string, sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error(`not a sha256 blob name: ${JSON.stringify(sha256)}`);
  return join(blobDir(journalFile), `${sha256}.gz`);
}

export interface StoredBlob {
  path: string;
  /** False when an equal blob was there already (so a failed append must not remove it). */
  created: boolean;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function fsyncPath(path: string): Promise<void> {
  const h = await open(path, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

async function ensureBlobDir(journalFile: string): Promise<string> {
  const dir = blobDir(journalFile);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Puts `file` (ours to take) in place as `dest`, durably: a rename where it can, a copy across file systems. */
async function install(file: string, dest: string): Promise<void> {
  await fsyncPath(file);
  try {
    await rename(file, dest);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    const temp = `${dest}.${process.pid}.tmp`;
    try {
      await copyFile(file, temp);
      await fsyncPath(temp);
      await rename(temp, dest);
    } finally {
      await rm(temp, { force: true });
    }
  }
  await fsyncPath(dirname(dest));
}

/** Moves a spooled output's gzip file into the blob store. The caller holds the journal's lock. */
export async function adoptSpooledBlob(journalFile: string, output: RawOutput): Promise<StoredBlob> {
  if (!output.gzipFile) throw new Error('the output has no spool file to store');
  await ensureBlobDir(journalFile);
  const path = blobPath(journalFile, output.sha256);
  const created = !(await exists(path));
  // Equal names mean equal bytes: replacing an existing blob changes nothing (and mends a damaged one).
  await install(output.gzipFile, path);
  return { path, created };
}

/** Stores bytes held in memory as a blob (callers that pass a Buffer bigger than a journal line takes). */
export async function storeBlob(journalFile: string, bytes: Uint8Array, sha256: string): Promise<StoredBlob> {
  const dir = await ensureBlobDir(journalFile);
  const path = blobPath(journalFile, sha256);
  const created = !(await exists(path));
  const temp = join(dir, `.${sha256}.${process.pid}.tmp`);
  try {
    await writeFile(temp, await gzip(bytes, { level: GZIP_LEVEL }), { mode: 0o600 });
    await install(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
  return { path, created };
}

/** Removes a blob this append created, when the record that would name it was not written. */
export async function removeBlob(blob: StoredBlob): Promise<void> {
  if (blob.created) await unlink(blob.path).catch(() => undefined);
}

/** The output's bytes, decompressed as they are read. */
export async function* readBlob(journalFile: string, sha256: string): AsyncGenerator<Buffer> {
  const source = createReadStream(blobPath(journalFile, sha256), { highWaterMark: READ_CHUNK });
  const gunzip = createGunzip({ chunkSize: READ_CHUNK });
  source.on('error', (e) => gunzip.destroy(e));
  source.pipe(gunzip);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) yield chunk;
  } finally {
    source.destroy();
    gunzip.destroy();
  }
}

/** Null when the blob holds exactly `bytes` bytes hashing to `sha256`, else what is wrong with it, in a sentence. */
export async function checkBlob(journalFile: string, sha256: string, bytes: number): Promise<string | null> {
  const shown = `blobs/${sha256}.gz`;
  if (!(await exists(blobPath(journalFile, sha256)))) return `its output blob ${shown} is missing (deleted or never copied with the journal)`;
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of readBlob(journalFile, sha256)) {
      hash.update(chunk);
      size += chunk.length;
    }
  } catch (e) {
    return `its output blob ${shown} is damaged (${(e as Error).message}): it was changed or cut short`;
  }
  const what = size !== bytes ? `${size} bytes where ${bytes} were written` : 'same size, other bytes';
  if (size !== bytes || hash.digest('hex') !== sha256) return `its output blob ${shown} was changed: it no longer holds the output this record names (${what})`;
  return null;
}
