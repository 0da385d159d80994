// Which notebooks the user trusts to run. A notebook opened for the first
// time, or changed outside Modus since it was last trusted, is untrusted:
// it renders, nothing runs until the user says so. Trust is kept per file
// (its real path) as the SHA-256 of what can run: the text with every results
// block removed, so results written by a run (the app's, or `modus run`'s)
// never cost the trust, and any change to code, header arguments, front
// matter or prose does. Kept in trust.json in the user config directory.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanNotebook } from '../../notebook/scan.js';
import { removeResults } from '../../notebook/splice.js';
import { LatestWriteQueue } from '../../files/latest-write.js';

export const TRUST_FILE_NAME = 'trust.json';

interface TrustFile {
  version: 1;
  files: Record<string, string>;
}

/** The hash trust is kept by: the text without results blocks (and without a BOM). */
export function trustHash(text: string): string {
  const plain = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const withoutResults = removeResults(scanNotebook(plain)).text;
  return createHash('sha256').update(withoutResults).digest('hex');
}

export class TrustStore {
  private readonly files = new Map<string, string>();
  private readonly writes: LatestWriteQueue;
  /** Why trust.json could not be read (it is then left alone until the next trust is given). */
  readonly problem: string | null = null;

  constructor(configDir: string) {
    const file = join(configDir, TRUST_FILE_NAME);
    this.writes = new LatestWriteQueue(file);
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<TrustFile>;
      if (parsed.version !== 1 || typeof parsed.files !== 'object' || parsed.files === null) throw new Error('not a Modus trust file (version 1)');
      for (const [path, hash] of Object.entries(parsed.files)) if (typeof hash === 'string') this.files.set(path, hash);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.problem = `${file} cannot be read (${(e as Error).message}); every notebook is untrusted until trusted again`;
    }
  }

  isTrusted(realPath: string, text: string): boolean {
    const hash = this.files.get(realPath);
    return hash !== undefined && hash === trustHash(text);
  }

  /** Trusts this text of the file (replacing what was trusted before). */
  trust(realPath: string, text: string): Promise<void> {
    this.files.set(realPath, trustHash(text));
    const content: TrustFile = { version: 1, files: Object.fromEntries(this.files) };
    return this.writes.write(`${JSON.stringify(content, null, 1)}\n`);
  }

  idle(): Promise<void> {
    return this.writes.idle();
  }
}
