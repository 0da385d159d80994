// Paths in settings may start with `~/`, as people write them in ssh_config
// and shells; the file is read with the home directory put in its place.

import { join } from 'node:path';

/** `~/x` → HOME/x; any other path as written (settings accept only absolute ones besides `~/`). */
export function expandUserPath(path: string, home: string): string {
  return path.startsWith('~/') ? join(home, path.slice(2)) : path;
}
