// Saving an editor's text over a notebook without losing anybody's work:
// under the notebook's lock (the one every writer takes: other `modus run`
// processes, the app's own runs), the file is read again, and written only
// when it still holds what the editor last knew of it. Otherwise nothing is
// written and the caller gets the file's text to show the user.

import { readFile, realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { WriteRefused, writeFileAtomic } from '../files/atomic-write.js';
import { describeFileError } from '../files/describe-error.js';
import { acquireLock } from '../files/file-lock.js';
import { decodeNotebook, lockPathFor } from './notebook-file.js';

export type SaveOutcome =
  | { saved: true }
  /** The file is no longer what the editor knew: nothing was written. */
  | { saved: false; conflict: string }
  | { saved: false; error: string };

export async function saveNotebookText(path: string, text: string, expectedOnDisk: string): Promise<SaveOutcome> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return { saved: false, error: `cannot save ${path}: ${describeFileError(e)}` };
    real = resolve(path);
  }
  let lock;
  try {
    lock = await acquireLock(lockPathFor(real));
  } catch (e) {
    return { saved: false, error: `cannot lock ${path} against other writers: ${describeFileError(e)}; nothing was saved` };
  }
  try {
    let onDisk: string;
    try {
      onDisk = decodeNotebook(await readFile(real), path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') onDisk = '';
      else return { saved: false, error: (e as Error).message };
    }
    if (onDisk !== expectedOnDisk) return { saved: false, conflict: onDisk };
    try {
      await writeFileAtomic(path, text, { refuseReadOnly: true, newFileMode: 0o644 });
    } catch (e) {
      const why = e instanceof WriteRefused ? e.message : describeFileError(e);
      return { saved: false, error: `cannot save ${path}: ${why}; the editor keeps your changes` };
    }
    return { saved: true };
  } finally {
    await lock.release();
  }
}
