// Private scratch space for block scripts: a 0700 directory per run or session
// (../files/scratch-dir.ts), files 0600, removed afterwards. Scripts go to a file rather than stdin so the
// program's stdin stays free (it gets /dev/null: a block that waits for input
// ends at once instead of hanging until its timeout), interpreters report
// errors against a real file name and line, and no shell quoting of the code
// is ever needed.

import { rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createScratchDir } from '../files/scratch-dir.js';

export class PrivateDir {
  private constructor(readonly path: string) {}

  static async create(): Promise<PrivateDir> {
    // mkdtemp creates the directory with mode 0700, under the per-user scratch root (swept after crashes).
    return new PrivateDir(await createScratchDir('scripts'));
  }

  /** Writes a file readable by its owner only and returns its path. */
  async writeScript(name: string, content: string): Promise<string> {
    const file = join(this.path, name);
    await writeFile(file, content, { mode: 0o600, flag: 'w' });
    return file;
  }

  async removeFile(file: string): Promise<void> {
    await unlink(file).catch(() => undefined);
  }

  async remove(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }
}

/** File name for a script, with an extension some interpreters care about. */
export function scriptName(language: string, serial: number): string {
  const ext: Record<string, string> = { python3: 'py', python: 'py', node: 'js', js: 'mjs', javascript: 'js', perl: 'pl', ruby: 'rb' };
  return `block-${serial}.${ext[language] ?? 'sh'}`;
}

/** Quotes a string for POSIX shells (single quotes; embedded quotes closed and escaped). */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
