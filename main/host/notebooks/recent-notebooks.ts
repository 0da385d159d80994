// The notebooks opened last, newest first (recent.json in the user config
// directory), for the empty window and the Open notebook prompt.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LatestWriteQueue } from '../../files/latest-write.js';

const MAX_RECENT = 20;

export class RecentNotebooks {
  private paths: string[] = [];
  private readonly writes: LatestWriteQueue;

  constructor(configDir: string) {
    const file = join(configDir, 'recent.json');
    this.writes = new LatestWriteQueue(file);
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (Array.isArray(parsed)) this.paths = parsed.filter((p): p is string => typeof p === 'string').slice(0, MAX_RECENT);
    } catch {
      // none yet, or unreadable: start empty (it is only a convenience)
    }
  }

  list(): string[] {
    return [...this.paths];
  }

  opened(path: string): Promise<void> {
    this.paths = [path, ...this.paths.filter((p) => p !== path)].slice(0, MAX_RECENT);
    return this.writes.write(`${JSON.stringify(this.paths, null, 1)}\n`);
  }

  idle(): Promise<void> {
    return this.writes.idle();
  }
}
