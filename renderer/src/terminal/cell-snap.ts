// The same cell on every screen of an integer density. xterm.js sizes a cell
// in device pixels from the glyph measured at the current ratio: the WebGL
// renderer takes floor(width × ratio) and both renderers ceil(height ×
// ratio). At ratio 1 a 14.67 px DejaVu Sans Mono glyph (8.83 × 16.4 CSS px)
// gets an 8 × 17 cell; at ratio 2 it got 17 × 33 device pixels, i.e.
// 8.5 × 16.5 CSS px: wider, so the grid no longer fitted its pane and the
// font was drawn smaller (14.12 px, 8 × 16 cells), leaving the screen 39 px
// short. At an integer ratio N the cell can be exactly N times its ratio-1
// size, and then the text has the same physical size and fills the pane:
// the difference goes into xterm's letterSpacing (which its cell arithmetic
// adds in device pixels) and lineHeight. At fractional ratios no exact
// multiple exists; the pane fits the font to the grid instead. Pure.

export interface CellAdjustment {
  /** xterm's `letterSpacing` option. */
  letterSpacing: number;
  /** xterm's `lineHeight` option (never below 1). */
  lineHeight: number;
}

export const NO_ADJUSTMENT: CellAdjustment = { letterSpacing: 0, lineHeight: 1 };

/**
 * The options that give a glyph measured at `charWidth` × `charHeight` CSS px
 * the ratio-1 cell at `ratio`. `snapsWidth`: the renderer rounds the width
 * down to device pixels (WebGL); the DOM renderer keeps it fractional.
 */
export function cellAdjustment(charWidth: number, charHeight: number, ratio: number, snapsWidth: boolean): CellAdjustment {
  if (!(Number.isInteger(ratio) && ratio > 1 && charWidth > 0 && charHeight > 0)) return NO_ADJUSTMENT;
  const deviceCharWidth = snapsWidth ? Math.floor(charWidth * ratio) : charWidth * ratio;
  const wantedWidth = (snapsWidth ? Math.floor(charWidth) : charWidth) * ratio;
  const deviceCharHeight = Math.ceil(charHeight * ratio);
  const wantedHeight = Math.ceil(charHeight) * ratio;
  // xterm adds Math.round(letterSpacing) device pixels and floors deviceCharHeight × lineHeight:
  // aim half a pixel above the wanted height so the floor lands on it whatever the float error.
  return {
    letterSpacing: Math.round(wantedWidth - deviceCharWidth),
    lineHeight: wantedHeight > deviceCharHeight ? (wantedHeight + 0.5) / deviceCharHeight : 1,
  };
}
