// The host's copy of an editor's notebook text. The renderer sends every
// change (`nb.edit`) with the version it leads to; the copy follows them in
// order, so the engine's grammar (blocks, results, staleness) runs here and
// the edits the host sends back are made against a text it knows exactly.
// Ranges can be tracked through the changes, as an editor's decorations
// are: a block that runs keeps its place while the user types elsewhere.

import { applyTextChanges, type TextChange } from '../../notebook/text-change.js';

export class MirrorError extends Error {
  override name = 'MirrorError';
}

export interface TrackedRange {
  start: number;
  end: number;
  /** An edit touched the range itself (not only text before or after it). */
  touched: boolean;
}

export class NotebookMirror {
  private readonly tracked = new Set<TrackedRange>();

  constructor(
    private current: string,
    private currentVersion = 0,
  ) {}

  get text(): string {
    return this.current;
  }

  get version(): number {
    return this.currentVersion;
  }

  /** The renderer's changes that lead to `version`. Throws MirrorError (and changes nothing) when they do not fit. */
  apply(version: number, changes: readonly TextChange[]): void {
    if (version !== this.currentVersion + 1) {
      throw new MirrorError(`edit to version ${version} arrived at version ${this.currentVersion}`);
    }
    let text: string;
    try {
      text = applyTextChanges(this.current, changes);
    } catch (e) {
      throw new MirrorError((e as Error).message);
    }
    for (const c of changes) for (const r of this.tracked) follow(r, c);
    this.current = text;
    this.currentVersion = version;
  }

  /** A new text at the same version (read-only editors, which send no changes, show the file whole). Tracked ranges are dropped. */
  reset(text: string): void {
    this.current = text;
    this.tracked.clear();
  }

  /** Starts following [start, end) through later changes. */
  track(start: number, end: number): TrackedRange {
    const r: TrackedRange = { start, end, touched: false };
    this.tracked.add(r);
    return r;
  }

  untrack(r: TrackedRange): void {
    this.tracked.delete(r);
  }

  get trackedCount(): number {
    return this.tracked.size;
  }
}

function follow(r: TrackedRange, c: TextChange): void {
  const delta = c.text.length - c.length;
  const end = c.offset + c.length;
  if (end <= r.start && !(c.length === 0 && c.offset === r.start && r.start === r.end)) {
    r.start += delta;
    r.end += delta;
  } else if (c.offset >= r.end) {
    // after it
  } else if (c.offset >= r.start && end <= r.end) {
    r.end += delta;
    r.touched = true;
  } else {
    // Across an edge: what is left of the range runs from the first to the last character still in it.
    r.start = Math.min(r.start, c.offset);
    r.end = Math.max(c.offset + c.text.length, r.end + delta);
    r.touched = true;
  }
}
