// The block statuses an editor shows (decoration-diff.ts says why they are
// changed one by one rather than all at once).
//
// Where a shown status is now: Monaco moves decorations with the edits, and
// asking it for one's range walks its interval tree. Asking for all 5,000 of
// them on every analysis was most of a keystroke's cost in a big notebook, so
// the line each was last seen on is kept, and only those the edits since may
// have moved (on or below a line that gained or lost lines, or on a line
// typed in) are asked for again.

import type * as Monaco from 'monaco-editor/editor/editor.api.js';
import { decorationChanges, type ShownDecoration } from './decoration-diff.js';

export class StatusDecorations {
  private shown: ShownDecoration[] = [];
  /** Lines at and below this one may have moved since `shown` was last read. */
  private movedFrom = Number.POSITIVE_INFINITY;
  /** Lines typed in since (their status may sit at another column). */
  private readonly typedIn = new Set<number>();
  private readonly watch: Monaco.IDisposable;

  constructor(
    private readonly editor: Monaco.editor.IStandaloneCodeEditor,
    private readonly model: Monaco.editor.ITextModel,
  ) {
    this.watch = model.onDidChangeContent((e) => {
      for (const c of e.changes) {
        if (c.range.startLineNumber !== c.range.endLineNumber || c.text.includes('\n') || c.text.includes('\r')) this.movedFrom = Math.min(this.movedFrom, c.range.startLineNumber);
        else this.typedIn.add(c.range.startLineNumber);
      }
    });
  }

  /** Shows `wanted`: decorations already shown where and as wanted stay, the others are replaced. */
  set(wanted: readonly Monaco.editor.IModelDeltaDecoration[]): void {
    const now: ShownDecoration[] = [];
    for (const s of this.shown) {
      if (s.line < this.movedFrom && !this.typedIn.has(s.line)) {
        now.push(s);
        continue;
      }
      const range = this.model.getDecorationRange(s.id);
      if (range) now.push({ id: s.id, key: s.key, line: range.startLineNumber, column: range.startColumn });
    }
    this.movedFrom = Number.POSITIVE_INFINITY;
    this.typedIn.clear();
    const places = wanted.map((d) => ({ line: d.range.startLineNumber, column: d.range.startColumn, key: JSON.stringify(d.options) }));
    const changes = decorationChanges(now, places);
    const added = this.change(changes.remove, changes.add.map((i) => wanted[i]!));
    this.shown = [...changes.keep, ...added.map((id, j) => ({ id, ...places[changes.add[j]!]! }))];
  }

  clear(): void {
    this.change(this.shown.map((s) => s.id), []);
    this.shown = [];
  }

  dispose(): void {
    this.watch.dispose();
  }

  private change(remove: string[], add: Monaco.editor.IModelDeltaDecoration[]): string[] {
    // The editor's own call, deprecated in favour of decoration collections,
    // which can only replace all their decorations at once. Through the editor
    // (not the model) the statuses stay this editor's: the conflict view's
    // diff editor shows the same model without them.
    return this.editor.deltaDecorations(remove, add);
  }
}
