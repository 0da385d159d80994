// The split tree of one tab: leaves are panes, inner nodes split their area
// in two (row = side by side, column = stacked) with a ratio for the first.
// Pure and immutable: every operation returns a new tree.

export type PaneTree<P> =
  | { kind: 'leaf'; pane: P }
  | { kind: 'split'; direction: 'row' | 'column'; ratio: number; first: PaneTree<P>; second: PaneTree<P> };

export const MIN_RATIO = 0.05;
export const MAX_RATIO = 0.95;

export function clampRatio(ratio: number): number {
  if (!Number.isFinite(ratio)) return 0.5;
  return Math.min(MAX_RATIO, Math.max(MIN_RATIO, ratio));
}

export function leaf<P>(pane: P): PaneTree<P> {
  return { kind: 'leaf', pane };
}

/** Panes in reading order (first before second). */
export function panesOf<P>(tree: PaneTree<P>): P[] {
  return tree.kind === 'leaf' ? [tree.pane] : [...panesOf(tree.first), ...panesOf(tree.second)];
}

/** Replaces the leaf of `target` by a split of it and `added` (added second). Unchanged when `target` is absent. */
export function splitPane<P>(tree: PaneTree<P>, target: P, added: P, direction: 'row' | 'column'): PaneTree<P> {
  if (tree.kind === 'leaf') {
    return tree.pane === target ? { kind: 'split', direction, ratio: 0.5, first: tree, second: leaf(added) } : tree;
  }
  return { ...tree, first: splitPane(tree.first, target, added, direction), second: splitPane(tree.second, target, added, direction) };
}

/** Removes a pane; its sibling takes the parent's place. null when the last pane goes. */
export function removePane<P>(tree: PaneTree<P>, target: P): PaneTree<P> | null {
  if (tree.kind === 'leaf') return tree.pane === target ? null : tree;
  const first = removePane(tree.first, target);
  const second = removePane(tree.second, target);
  if (first === null) return second;
  if (second === null) return first;
  return { ...tree, first, second };
}

/** The same tree with the split at `path` (a list of 'first'/'second' steps from the root) set to `ratio`. */
export function setRatio<P>(tree: PaneTree<P>, path: readonly ('first' | 'second')[], ratio: number): PaneTree<P> {
  if (tree.kind === 'leaf') return tree;
  if (path.length === 0) return { ...tree, ratio: clampRatio(ratio) };
  const [step, ...rest] = path;
  return step === 'first' ? { ...tree, first: setRatio(tree.first, rest, ratio) } : { ...tree, second: setRatio(tree.second, rest, ratio) };
}

/** Maps every pane, keeping the shape (used to save and restore layouts). */
export function mapPanes<P, Q>(tree: PaneTree<P>, fn: (pane: P) => Q): PaneTree<Q> {
  if (tree.kind === 'leaf') return leaf(fn(tree.pane));
  return { ...tree, first: mapPanes(tree.first, fn), second: mapPanes(tree.second, fn) };
}
