// Completion of a path being typed in the Open notebook prompt: the entries
// of its directory that start with what follows the last slash; directories
// first, then Markdown files, then other files; hidden entries only when the
// typed name starts with a dot. `~/` is the home directory.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PathCompletion } from '../../protocol.js';

const MAX_ENTRIES = 200;

export async function completePath(prefix: string, home: string): Promise<PathCompletion[]> {
  const typed = prefix === '~' ? '~/' : prefix;
  const expanded = typed.startsWith('~/') ? join(home, typed.slice(2)) + (typed.endsWith('/') ? '/' : '') : typed;
  if (!expanded.startsWith('/')) return [];
  const slash = expanded.lastIndexOf('/');
  const dir = expanded.slice(0, slash + 1);
  const partial = expanded.slice(slash + 1);
  const shownDir = typed.slice(0, typed.lastIndexOf('/') + 1);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const rank = (e: { name: string; isDirectory(): boolean }): number => (e.isDirectory() ? 0 : /\.(md|markdown)$/i.test(e.name) ? 1 : 2);
  return entries
    .filter((e) => e.name.startsWith(partial) && (partial.startsWith('.') || !e.name.startsWith('.')))
    .map((e) => ({ e, dir: e.isDirectory() }))
    .sort((a, b) => rank(a.e) - rank(b.e) || a.e.name.localeCompare(b.e.name))
    .slice(0, MAX_ENTRIES)
    .map(({ e, dir: isDir }) => ({ path: shownDir + e.name + (isDir ? '/' : ''), dir: isDir }));
}
