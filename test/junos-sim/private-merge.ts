// Committing a private candidate: Junos applies the changes made in the
// private copy to the configuration as it is now (another user may have
// committed since the copy was taken). The changes are replayed as commands:
// deletes for the statements (or list values) the copy removed, activate and
// unprotect for flags it cleared, then the set commands the copy added.

import { quoteIfNeeded } from './config-path.js';
import { printSet } from './config-print.js';
import { cloneTree, findChild, isBlock, keyOf, type ConfigNode } from './config-tree.js';
import { applySetCommands } from './set-commands.js';

function setLines(tree: ConfigNode): string[] {
  return printSet(tree.children).split('\n').filter((l) => l !== '');
}

function removals(base: ConfigNode, changed: ConfigNode, prefix: string[], out: string[]): void {
  for (const b of base.children) {
    const path = [...prefix, ...b.words.map(quoteIfNeeded)].join(' ');
    const c = findChild(changed, keyOf(b));
    if (!c) {
      out.push(`delete ${path}`);
      continue;
    }
    if (b.kind === 'leaf-list') for (const v of b.values) if (!c.values.includes(v)) out.push(`delete ${path} ${quoteIfNeeded(v)}`);
    if (b.inactive && !c.inactive) out.push(`activate ${path}`);
    if (b.protect && !c.protect) out.push(`unprotect ${path}`);
    if (isBlock(b) && isBlock(c)) removals(b, c, [...prefix, ...b.words.map(quoteIfNeeded)], out);
  }
}

export function replayPrivateChanges(base: ConfigNode, changed: ConfigNode, onto: ConfigNode): ConfigNode {
  const undo: string[] = [];
  removals(base, changed, [], undo);
  const had = new Set(setLines(base));
  const redo = setLines(changed).filter((l) => !had.has(l));
  const result = cloneTree(onto);
  applySetCommands(result, [...undo, ...redo].join('\n'));
  return result;
}
