import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextLensWindow } from '../../../renderer/src/notebook/lens-window.js';

test('lenses cover the lines on screen and a margin; the window stays while the screen stays well inside it', () => {
  const first = nextLensWindow(null, { start: 1, end: 40 }, 20_000, 300);
  assert.deepEqual(first, { start: 1, end: 340 });
  // Scrolling a screen or two: no new window, so no refresh of the lenses.
  assert.equal(nextLensWindow(first, { start: 80, end: 120 }, 20_000, 300), first);
  // Close to its end: a new window around what is on screen.
  assert.deepEqual(nextLensWindow(first, { start: 200, end: 240 }, 20_000, 300), { start: 1, end: 540 });
  // A jump to the end of the file.
  assert.deepEqual(nextLensWindow(first, { start: 19_961, end: 20_000 }, 20_000, 300), { start: 19_661, end: 20_000 });
});

test('at the top or the bottom of the file the window is clamped and does not move again', () => {
  const top = nextLensWindow(null, { start: 1, end: 30 }, 100, 300);
  assert.deepEqual(top, { start: 1, end: 100 });
  assert.equal(nextLensWindow(top, { start: 60, end: 90 }, 100, 300), top);
  // The file grew past the window: the new lines get lenses once they are near the screen.
  assert.deepEqual(nextLensWindow(top, { start: 80, end: 110 }, 500, 300), { start: 1, end: 410 });
});
