// Which lines of a notebook get code lenses: those on screen and a margin
// around them, not the whole file. Pure, so it is unit-tested in Node.
//
// Why: Monaco gives every code lens a view zone and, on every keystroke,
// walks all of them (validity, line, zone height). In a notebook of 5,000
// blocks that walk was most of each keystroke's cost (≈ 50 ms a key). With
// lenses only near the viewport the walk is a few hundred lenses whatever the
// file's size. The margin is wide so that scrolling a screen or two never
// reaches a block whose lens is missing; past it the window moves and the
// lenses are asked for again (Monaco keeps the scroll position steady while
// it adds their zones).

import type { LensWindow } from './block-actions.js';

/** Lines of lenses kept on each side of what is on screen. */
export const LENS_MARGIN_LINES = 300;

/**
 * The window to use for `visible` (first and last line on screen), given the
 * current one: the same while the visible lines stay well inside it (no
 * refresh), else a new one centred on them.
 */
export function nextLensWindow(current: LensWindow | null, visible: LensWindow, lineCount: number, margin = LENS_MARGIN_LINES): LensWindow {
  const slack = Math.floor(margin / 2);
  const needStart = Math.max(1, visible.start - slack);
  const needEnd = Math.min(lineCount, visible.end + slack);
  if (current && needStart >= current.start && needEnd <= current.end) return current;
  return { start: Math.max(1, visible.start - margin), end: Math.min(lineCount, visible.end + margin) };
}
