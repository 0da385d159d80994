// Appending text to the end of a notebook (commands sent from a terminal),
// under the lock every writer of the file takes, atomically. A notebook that
// does not exist yet is created with a title, and with front matter naming
// the inventory its hosts come from when there is one (an SSH tab's host
// from the settings' inventory).

import { readFile, realpath } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { writeFileAtomic, WriteRefused } from '../files/atomic-write.js';
import { describeFileError } from '../files/describe-error.js';
import { acquireLock } from '../files/file-lock.js';
import { decodeNotebook, lockPathFor } from './notebook-file.js';

export type AppendOutcome = { appended: true; before: string | null; text: string; real: string } | { appended: false; error: string };

/** Appends `addition` (blocks ending with a newline) after a blank line; returns the file's new text. `inventory`: an absolute path, for a new notebook's front matter. */
export async function appendToNotebook(path: string, addition: string, title: string, inventory: string | null = null): Promise<AppendOutcome> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return { appended: false, error: `cannot write ${path}: ${describeFileError(e)}` };
    real = resolve(path);
  }
  let lock;
  try {
    lock = await acquireLock(lockPathFor(real));
  } catch (e) {
    return { appended: false, error: `cannot lock ${path} against other writers: ${describeFileError(e)}` };
  }
  try {
    let before: string | null;
    try {
      before = decodeNotebook(await readFile(real), path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return { appended: false, error: (e as Error).message };
      before = null;
    }
    // JSON's quoted string is a YAML one: any path stays one value.
    const head = before ?? `${inventory !== null ? `---\ninventory: ${JSON.stringify(inventory)}\n---\n\n` : ''}# ${title}\n`;
    const eol = head.includes('\r\n') ? '\r\n' : '\n';
    const separator = head === '' ? '' : head.endsWith(`${eol}${eol}`) ? '' : head.endsWith(eol) ? eol : `${eol}${eol}`;
    const text = head + separator + (eol === '\n' ? addition : addition.replace(/\n/g, '\r\n'));
    try {
      await writeFileAtomic(path, text, { refuseReadOnly: true, newFileMode: 0o644, createDir: true });
    } catch (e) {
      return { appended: false, error: `cannot write ${path}: ${e instanceof WriteRefused ? e.message : describeFileError(e)}` };
    }
    return { appended: true, before, text, real };
  } finally {
    await lock.release();
  }
}

/** A title for a notebook of commands from a terminal: `Notes from TITLE`. */
export function notesTitle(terminalTitle: string, now: Date): string {
  return `Notes from ${terminalTitle || basename(process.cwd())}, ${now.toISOString().slice(0, 10)}`;
}
