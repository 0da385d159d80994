// Replacing a file's content atomically, the one way Modus writes files that
// matter (notebooks, reports, the session): a temp file in the same directory,
// fsync, rename over the original, fsync the directory. An existing file keeps
// its mode and owner; a symlink is written through (its target is replaced,
// the link stays a link). A crash at any point leaves the old content or the
// new one, never a mix or an empty file.

import { randomBytes } from 'node:crypto';
import { access, constants, mkdir, open, readdir, realpath, rename, stat, unlink } from 'node:fs/promises';
import { processAlive } from './process-alive.js';
import type { Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The file may not be written (read-only, not ours, no room for the temp file); nothing was changed. */
export class WriteRefused extends Error {
  /** The errno code behind the refusal, when there is one (EACCES, ENOENT, ENOSPC...). */
  readonly code: string | undefined;
  constructor(message: string, code?: string) {
    super(message);
    this.code = code;
  }
}

export interface AtomicWriteOptions {
  /**
   * Refuse a file without write permission, even for root (who could rename
   * over it): for notebooks, read-only means "do not touch".
   */
  refuseReadOnly?: boolean;
  /** Mode of a file that does not exist yet (the umask applies). Default 0o666. */
  newFileMode?: number;
  /** Create the parent directory when it is missing. */
  createDir?: boolean;
}

async function existing(path: string): Promise<{ real: string; st: Stats } | null> {
  try {
    const real = await realpath(path);
    return { real, st: await stat(real) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const found = await existing(path);
  const real = found?.real ?? resolve(path);
  const st = found?.st ?? null;
  if (st && options.refuseReadOnly) {
    if ((st.mode & 0o222) === 0) throw new WriteRefused(`${path} is read-only (mode ${(st.mode & 0o777).toString(8)})`);
    try {
      await access(real, constants.W_OK);
    } catch {
      throw new WriteRefused(`${path} is not writable by this user`);
    }
  }
  const dir = dirname(real);
  if (!st && options.createDir) await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(real)}.modus-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(tmp, 'wx', st ? st.mode & 0o7777 : (options.newFileMode ?? 0o666));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new WriteRefused(`cannot create a temporary file in ${dir} to replace ${basename(real)} safely: ${(e as Error).message}`, code);
  }
  try {
    await handle.writeFile(data);
    if (st) {
      await handle.chmod(st.mode & 0o7777); // open() applied the umask; the original mode wins
      if (typeof process.getuid === 'function' && (st.uid !== process.getuid() || st.gid !== process.getgid?.())) {
        // Only root (or the owner for its own groups) may do this; otherwise the file becomes ours, as with any editor.
        await handle.chown(st.uid, st.gid).catch(() => undefined);
      }
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, real);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  // The rename is durable only once the directory entry is on disk.
  const dirHandle = await open(dir, 'r').catch(() => null);
  if (dirHandle) {
    await dirHandle.sync().catch(() => undefined); // some filesystems refuse fsync on directories
    await dirHandle.close();
  }
}

/** Temp files of an older Modus carry no pid; one this old is no write in progress. */
const UNOWNED_TEMP_AGE_MS = 10 * 60_000;

/**
 * Removes temp copies of `real` left by a writer that died between creating
 * and renaming one (kill -9 at the wrong moment): those of processes that are
 * gone, and pid-less ones of an older Modus after ten minutes. Call it holding
 * the file's lock, so no live writer of this file is between those steps.
 */
export async function sweepStaleTemps(real: string): Promise<void> {
  const dir = dirname(real);
  const prefix = `.${basename(real)}.modus-`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const middle = name.slice(prefix.length, -'.tmp'.length);
    const owned = /^(\d+)-[0-9a-f]+$/.exec(middle);
    const path = join(dir, name);
    if (owned) {
      const pid = Number(owned[1]);
      if (pid === process.pid || processAlive(pid)) continue;
    } else {
      if (!/^[0-9a-f]+$/.test(middle)) continue;
      const st = await stat(path).catch(() => null);
      if (!st || Date.now() - st.mtimeMs < UNOWNED_TEMP_AGE_MS) continue;
    }
    await unlink(path).catch(() => undefined);
  }
}
