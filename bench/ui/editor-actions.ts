// What the bench does in a Monaco editor, as a user would: click at the end
// of a line, open a new line under it, find text with Ctrl+F, click a code
// lens. Positions are read from the page's layout; clicks and keys go
// through DevTools input events like a user's.

import type { BenchPage } from '../terminal/cdp.js';

interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

interface LayoutElement {
  textContent: string | null;
  getBoundingClientRect(): Rect;
  getClientRects(): { length: number };
  closest(selector: string): LayoutElement | null;
  querySelector(selector: string): LayoutElement | null;
}

interface LayoutGlobals {
  document: { querySelectorAll(selector: string): ArrayLike<LayoutElement> };
}

/** Where to click to put the cursor at the end of the drawn line that reads `text` (null: not drawn now). */
function lineEndPoint(page: BenchPage, text: string): Promise<{ x: number; y: number } | null> {
  return page.evaluate((wanted: string) => {
    const lines = (globalThis as unknown as LayoutGlobals).document.querySelectorAll('.monaco-editor .view-line');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if ((line.textContent ?? '').replace(/\u00a0/g, ' ') !== wanted || line.getClientRects().length === 0) continue;
      const box = line.getBoundingClientRect();
      const content = line.closest('.monaco-scrollable-element')?.getBoundingClientRect() ?? box;
      // Past the end of the text, inside the editor: Monaco puts the cursor at the end of the line.
      return { x: Math.min(content.right - 20, box.left + 600), y: (box.top + box.bottom) / 2 };
    }
    return null;
  }, text);
}

/** Clicks at the end of the line reading `text` (it must be on screen, e.g. after Ctrl+Home). */
export async function clickLineEnd(page: BenchPage, text: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const point = await lineEndPoint(page, text);
    if (point) {
      await page.mouse.click(point.x, point.y);
      return;
    }
    if (Date.now() > deadline) throw new Error(`no line reading "${text}" was drawn within ${timeoutMs} ms`);
    await page.waitForTimeout(50);
  }
}

/** Opens a new empty line under the line reading `text` and leaves the cursor on it. */
export async function newLineUnder(page: BenchPage, text: string): Promise<void> {
  await clickLineEnd(page, text);
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
}

/** Puts the cursor on the first match of `text` with the editor's find (Ctrl+F), which reveals its line. */
export async function findText(page: BenchPage, text: string, timeoutMs = 30_000): Promise<void> {
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Control+F');
  await page.keyboard.type(text);
  // The find widget searches after a short delay: Escape before it has, and the cursor stays at the top.
  const deadline = Date.now() + timeoutMs;
  while (!(await findSettledOn(page, text))) {
    if (Date.now() > deadline) throw new Error(`the find widget did not find "${text}" within ${timeoutMs} ms`);
    await page.waitForTimeout(50);
  }
  await page.keyboard.press('Escape');
}

/** True when the find widget holds `text` and names its first match ("1 of N"). */
function findSettledOn(page: BenchPage, text: string): Promise<boolean> {
  return page.evaluate((wanted: string) => {
    const doc = (globalThis as unknown as LayoutGlobals).document;
    const input = doc.querySelectorAll('.monaco-editor .find-widget textarea')[0] as unknown as { value: string } | undefined;
    const count = doc.querySelectorAll('.monaco-editor .find-widget .matchesCount')[0];
    return input?.value === wanted && /^1 of \d+/.test((count?.textContent ?? '').trim());
  }, text);
}

/** The centre of the `label` code lens nearest above the cursor, if one is drawn within `maxRows` lines of it. */
function lensAboveCursor(page: BenchPage, label: string, maxRows: number): Promise<{ x: number; y: number } | null> {
  return page.evaluate(
    ([wanted, rows]) => {
      const doc = (globalThis as unknown as LayoutGlobals).document;
      const cursor = doc.querySelectorAll('.monaco-editor .cursor')[0];
      const line = doc.querySelectorAll('.monaco-editor .view-line')[0];
      if (!cursor || !line) return null;
      const cursorTop = cursor.getBoundingClientRect().top;
      const lineHeight = line.getBoundingClientRect().bottom - line.getBoundingClientRect().top;
      const links = doc.querySelectorAll('.monaco-editor .codelens-decoration a');
      let best: Rect | null = null;
      for (let i = 0; i < links.length; i++) {
        const link = links[i]!;
        if ((link.textContent ?? '').trim() !== wanted || link.getClientRects().length === 0) continue;
        const box = link.getBoundingClientRect();
        if (box.bottom - box.top === 0 || box.top > cursorTop) continue;
        if (!best || box.top > best.top) best = box;
      }
      // Further up, it is another block's lens: this block's is not drawn yet.
      if (!best || cursorTop - best.top > rows * lineHeight) return null;
      return { x: (best.left + best.right) / 2, y: (best.top + best.bottom) / 2 };
    },
    [label, maxRows] as const,
  );
}

/** Clicks the `label` lens of the block the cursor is in (the first line of its code, just under the fence). */
export async function clickLensAboveCursor(page: BenchPage, label: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // The lens row and the fence line lie between the lens and the cursor.
    const point = await lensAboveCursor(page, label, 3);
    if (point) {
      await page.mouse.click(point.x, point.y);
      return;
    }
    if (Date.now() > deadline) throw new Error(`no "${label}" lens was drawn just above the cursor within ${timeoutMs} ms`);
    await page.waitForTimeout(100);
  }
}
