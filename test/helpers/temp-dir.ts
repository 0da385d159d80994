// Temporary directories for a test file, removed when the file's process
// ends (node --test runs each file in a process of its own): tests used to
// leave them in /tmp by the thousand.

import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
let hooked = false;

/** A new directory under the system's temp directory, by its real path (macOS's /tmp is a link). */
export function tempDir(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  made.push(dir);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
  }
  return dir;
}
