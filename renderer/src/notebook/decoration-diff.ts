// Which decorations to remove and which to add so that an editor shows the
// wanted ones, touching only those that differ. Pure (no Monaco), so it is
// unit-tested in Node.
//
// Why: a status decoration carries text after the fence line (Monaco's
// injected text), and replacing it makes Monaco lay that line out again and
// tell every view part about it. Replacing all of them, as a decorations
// collection's set() does, cost seconds per analysis in a notebook of 5,000
// blocks, and the elapsed time of a running block is redrawn every second.
// Unchanged, a decoration stays; it has followed the edits since it was made,
// so it is compared where it is now.

/** Where a decoration is (1-based line and column) and what it shows (`key`: its options, serialised). */
export interface DecorationPlace {
  line: number;
  column: number;
  key: string;
}

/** A decoration the editor shows now, with its id. */
export interface ShownDecoration extends DecorationPlace {
  id: string;
}

export interface DecorationChanges {
  /** Ids of shown decorations that are not wanted any more. */
  remove: string[];
  /** Indices into `wanted` of the decorations to add. */
  add: number[];
  /** Shown decorations that stay as they are. */
  keep: ShownDecoration[];
}

function placeKey(p: DecorationPlace): string {
  return `${p.line}:${p.column}:${p.key}`;
}

export function decorationChanges(shown: readonly ShownDecoration[], wanted: readonly DecorationPlace[]): DecorationChanges {
  const unmatched = new Map<string, ShownDecoration[]>();
  for (const s of shown) {
    const key = placeKey(s);
    const same = unmatched.get(key);
    if (same) same.push(s);
    else unmatched.set(key, [s]);
  }
  const add: number[] = [];
  const keep: ShownDecoration[] = [];
  wanted.forEach((w, i) => {
    const match = unmatched.get(placeKey(w))?.pop();
    if (match) keep.push(match);
    else add.push(i);
  });
  const remove = [...unmatched.values()].flat().map((s) => s.id);
  return { remove, add, keep };
}
