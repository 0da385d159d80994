// Converts between a tab's live split tree and the saved SessionLayout
// shape from the protocol. Pure.

import type { PaneLayout } from '../../../main/protocol.js';
import { clampRatio, leaf, type PaneTree } from './layout.js';

/** What a saved terminal pane brings back. */
export interface SavedPane {
  cwd: string | null;
  title: string;
  scrollback: string;
  /** The host of an SSH pane, null for a local shell. */
  ssh: string | null;
}

export function toPaneLayout<P>(tree: PaneTree<P>, describe: (pane: P) => SavedPane): PaneLayout {
  if (tree.kind === 'leaf') return { kind: 'terminal', ...describe(tree.pane) };
  return {
    kind: 'split',
    direction: tree.direction,
    ratio: clampRatio(tree.ratio),
    first: toPaneLayout(tree.first, describe),
    second: toPaneLayout(tree.second, describe),
  };
}

export function fromPaneLayout(layout: PaneLayout): PaneTree<SavedPane> {
  if (layout.kind === 'terminal') return leaf({ cwd: layout.cwd, title: layout.title, scrollback: layout.scrollback, ssh: layout.ssh ?? null });
  return {
    kind: 'split',
    direction: layout.direction,
    ratio: clampRatio(layout.ratio),
    first: fromPaneLayout(layout.first),
    second: fromPaneLayout(layout.second),
  };
}

/** Keeps the last `maxLines` lines of a serialized buffer (cut at a line break, never inside a sequence on that line). */
export function lastLines(serialized: string, maxLines: number): string {
  let cut = serialized.length;
  for (let n = 0; n < maxLines; n++) {
    cut = serialized.lastIndexOf('\n', cut - 1);
    if (cut < 0) return serialized;
  }
  return serialized.slice(cut + 1);
}
