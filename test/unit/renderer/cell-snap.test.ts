import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellAdjustment, NO_ADJUSTMENT, type CellAdjustment } from '../../../renderer/src/terminal/cell-snap.js';

/**
 * xterm.js 6's cell arithmetic (WebGL renderer's and DOM renderer's _updateDimensions), in
 * device pixels: the end-to-end DPI test checks the real thing in Chromium.
 */
function deviceCell(charWidth: number, charHeight: number, ratio: number, snapsWidth: boolean, a: CellAdjustment): { width: number; height: number } {
  const width = (snapsWidth ? Math.floor(charWidth * ratio) : charWidth * ratio) + Math.round(a.letterSpacing);
  const height = Math.floor(Math.ceil(charHeight * ratio) * a.lineHeight);
  return { width, height };
}

test('at integer ratios the cell is exactly the ratio-1 cell times the ratio, for WebGL and DOM, over many glyph sizes', () => {
  for (let fontPx = 8; fontPx <= 40; fontPx += 0.37) {
    // Monospace glyphs are about 0.6 em wide and 1.17 em tall.
    const charWidth = fontPx * 0.6021;
    const charHeight = fontPx * 1.1641;
    for (const snapsWidth of [true, false]) {
      const one = deviceCell(charWidth, charHeight, 1, snapsWidth, NO_ADJUSTMENT);
      for (const ratio of [2, 3, 4]) {
        const adjustment = cellAdjustment(charWidth, charHeight, ratio, snapsWidth);
        assert.ok(adjustment.lineHeight >= 1, 'xterm refuses a lineHeight below 1');
        const cell = deviceCell(charWidth, charHeight, ratio, snapsWidth, adjustment);
        const what = `${fontPx.toFixed(2)} px, ratio ${ratio}, ${snapsWidth ? 'WebGL' : 'DOM'}`;
        assert.ok(Math.abs(cell.width - one.width * ratio) < 1e-9, `${what}: width ${cell.width} for ${one.width} × ${ratio}`);
        assert.equal(cell.height, one.height * ratio, `${what}: height`);
      }
    }
  }
});

test('the case that was seen: 14.67 px at ratio 2 under WebGL keeps its 8 × 17 cell instead of 8.5 × 16.5', () => {
  const adjustment = cellAdjustment(8.83, 16.4, 2, true);
  assert.deepEqual(deviceCell(8.83, 16.4, 2, true, NO_ADJUSTMENT), { width: 17, height: 33 }, 'what xterm did');
  assert.deepEqual(deviceCell(8.83, 16.4, 2, true, adjustment), { width: 16, height: 34 });
});

test('ratio 1 and fractional ratios are left alone (the pane fits the font there)', () => {
  for (const ratio of [1, 1.25, 1.5, 2.5, 0.9]) assert.deepEqual(cellAdjustment(8.83, 16.4, ratio, true), NO_ADJUSTMENT);
});
