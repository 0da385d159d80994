// The block statuses an editor shows (decoration-diff.ts says why they are
// changed one by one rather than all at once).

import type * as Monaco from 'monaco-editor/editor/editor.api.js';
import { decorationChanges, type ShownDecoration } from './decoration-diff.js';

export class StatusDecorations {
  private shown: { id: string; key: string }[] = [];

  constructor(
    private readonly editor: Monaco.editor.IStandaloneCodeEditor,
    private readonly model: Monaco.editor.ITextModel,
  ) {}

  /** Shows `wanted`: decorations already shown where and as wanted stay, the others are replaced. */
  set(wanted: readonly Monaco.editor.IModelDeltaDecoration[]): void {
    const now: ShownDecoration[] = [];
    for (const s of this.shown) {
      const range = this.model.getDecorationRange(s.id);
      if (range) now.push({ id: s.id, key: s.key, line: range.startLineNumber, column: range.startColumn });
    }
    const places = wanted.map((d) => ({ line: d.range.startLineNumber, column: d.range.startColumn, key: JSON.stringify(d.options) }));
    const changes = decorationChanges(now, places);
    const added = this.change(changes.remove, changes.add.map((i) => wanted[i]!));
    this.shown = [...changes.keep.map((s) => ({ id: s.id, key: s.key })), ...added.map((id, j) => ({ id, key: places[changes.add[j]!]!.key }))];
  }

  clear(): void {
    this.change(this.shown.map((s) => s.id), []);
    this.shown = [];
  }

  private change(remove: string[], add: Monaco.editor.IModelDeltaDecoration[]): string[] {
    // The editor's own call, deprecated in favour of decoration collections,
    // which can only replace all their decorations at once. Through the editor
    // (not the model) the statuses stay this editor's: the conflict view's
    // diff editor shows the same model without them.
    return this.editor.deltaDecorations(remove, add);
  }
}
