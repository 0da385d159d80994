// Renders a tab's split tree into nested flex boxes with draggable
// dividers. Pane elements are reused (re-parented), never recreated, so
// terminals keep their state across layout changes.

import { clampRatio, type PaneTree } from './layout.js';

export type SplitPath = ('first' | 'second')[];

export interface SplitViewEvents<P> {
  element(pane: P): HTMLElement;
  /** A divider was dragged: the split at `path` now gives `ratio` to its first child. */
  ratioChanged(path: SplitPath, ratio: number): void;
}

export function renderSplitTree<P>(container: HTMLElement, tree: PaneTree<P>, events: SplitViewEvents<P>): void {
  const root = build(tree, [], events);
  root.classList.add('split-root');
  container.replaceChildren(root);
}

function build<P>(tree: PaneTree<P>, path: SplitPath, events: SplitViewEvents<P>): HTMLElement {
  if (tree.kind === 'leaf') return events.element(tree.pane);
  const box = document.createElement('div');
  box.className = `split split-${tree.direction}`;
  const first = wrap(build(tree.first, [...path, 'first'], events));
  const second = wrap(build(tree.second, [...path, 'second'], events));
  const divider = document.createElement('div');
  divider.className = 'divider';
  divider.setAttribute('role', 'separator');
  divider.setAttribute('aria-orientation', tree.direction === 'row' ? 'vertical' : 'horizontal');
  setShares(first, second, tree.ratio);
  box.append(first, divider, second);
  attachDrag(divider, box, first, second, tree.direction, (ratio) => events.ratioChanged(path, ratio));
  return box;
}

function wrap(child: HTMLElement): HTMLElement {
  const cell = document.createElement('div');
  cell.className = 'split-cell';
  cell.append(child);
  return cell;
}

function setShares(first: HTMLElement, second: HTMLElement, ratio: number): void {
  first.style.flex = `${ratio} 1 0px`;
  second.style.flex = `${1 - ratio} 1 0px`;
}

function attachDrag(divider: HTMLElement, box: HTMLElement, first: HTMLElement, second: HTMLElement, direction: 'row' | 'column', done: (ratio: number) => void): void {
  let ratio: number | null = null;
  divider.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0) return;
    ev.preventDefault();
    divider.setPointerCapture(ev.pointerId);
    divider.classList.add('dragging');
    ratio = null;
  });
  divider.addEventListener('pointermove', (ev) => {
    if (!divider.hasPointerCapture(ev.pointerId)) return;
    const rect = box.getBoundingClientRect();
    const along = direction === 'row' ? (ev.clientX - rect.left) / rect.width : (ev.clientY - rect.top) / rect.height;
    ratio = clampRatio(along);
    setShares(first, second, ratio);
  });
  const end = (ev: PointerEvent): void => {
    if (!divider.hasPointerCapture(ev.pointerId)) return;
    divider.releasePointerCapture(ev.pointerId);
    divider.classList.remove('dragging');
    if (ratio !== null) done(ratio);
  };
  divider.addEventListener('pointerup', end);
  divider.addEventListener('pointercancel', end);
}
