// GFM table rows, as micromark-extension-gfm-table reads them: a table
// starts where a paragraph line (the head row) is followed by a delimiter
// row with the same number of cells. The scanner needs tables because their
// rows cannot be lazy and, unlike paragraph lines, can be followed by
// indented code or any list item.

const isSpace = (c: number): boolean => c === 32 || c === 9;

/** Cells in a head row (`s` from `from` to `end`), or 0 when the line cannot be a head row. */
export function headRowCells(s: string, from: number, end: number): number {
  let size = 0;
  let sizeB = 0;
  let seen = false;
  let i = from;
  if (i < end && s.charCodeAt(i) !== 124) {
    seen = true;
    sizeB = 1;
  }
  while (i < end) {
    const c = s.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    sizeB++;
    if (seen) {
      seen = false;
      size++;
    }
    if (c === 124) {
      seen = true;
      i++;
      continue;
    }
    // Cell data up to a pipe, a space or the end; `\|` and `\\` are escapes.
    while (i < end) {
      const d = s.charCodeAt(i);
      if (d === 124 || isSpace(d)) break;
      i++;
      if (d === 92 && i < end && (s.charCodeAt(i) === 92 || s.charCodeAt(i) === 124)) i++;
    }
  }
  return end > from && sizeB > 1 ? size : 0;
}

/** Cells in a delimiter row (`| :-- | --: |`), or 0 when it is not one. `from` is at its first non-space character. */
export function delimiterRowCells(s: string, from: number, end: number): number {
  let i = from;
  let size = 0;
  let seen = false;
  const at = (k: number): number => (k < end ? s.charCodeAt(k) : -1);
  for (;;) {
    let c = at(i);
    // Before a cell: a pipe starts one (and may be followed by spaces).
    if (c === 124) {
      seen = true;
      i++;
      while (isSpace(at(i))) i++;
      c = at(i);
    }
    if (c === -1) break;
    if (c === 58) {
      seen = true;
      i++;
      c = at(i);
    }
    if (c !== 45) return 0;
    size++;
    while (at(i) === 45) i++;
    if (at(i) === 58) {
      seen = true;
      i++;
    }
    while (isSpace(at(i))) i++;
    c = at(i);
    if (c === -1) break;
    if (c !== 124) return 0;
  }
  return seen ? size : 0;
}
