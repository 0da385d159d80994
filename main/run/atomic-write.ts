// Replacing a file's content atomically: a temp file in the same directory,
// fsync, rename over the original, fsync the directory. The original's mode
// and owner are kept; a symlink is written through (its target is replaced,
// the link stays a link). A read-only file is refused, even for root (who
// could rename over it): read-only means "do not touch".

import { randomBytes } from 'node:crypto';
import { access, constants, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export class WriteRefused extends Error {}

export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const real = await realpath(path);
  const st = await stat(real);
  if ((st.mode & 0o222) === 0) throw new WriteRefused(`${path} is read-only (mode ${(st.mode & 0o777).toString(8)})`);
  try {
    await access(real, constants.W_OK);
  } catch {
    throw new WriteRefused(`${path} is not writable by this user`);
  }
  const dir = dirname(real);
  const tmp = join(dir, `.${basename(real)}.modus-${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(tmp, 'wx', st.mode & 0o7777);
  } catch (e) {
    throw new WriteRefused(`cannot create a temporary file in ${dir} to replace ${basename(real)} safely: ${(e as Error).message}`);
  }
  try {
    await handle.writeFile(data);
    await handle.chmod(st.mode & 0o7777);
    if (typeof process.getuid === 'function' && (st.uid !== process.getuid() || st.gid !== process.getgid?.())) {
      // Only root (or the owner for its own groups) may do this; otherwise the file becomes ours, as with any editor.
      await handle.chown(st.uid, st.gid).catch(() => undefined);
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
  const dirHandle = await open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}
