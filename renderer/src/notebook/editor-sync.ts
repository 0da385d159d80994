// Keeps the host's copy of a notebook in step with its Monaco model: every
// change the user (or an undo) makes goes out as `nb.edit` with the next
// version; the host's edits (`nb.apply`: results, reloads) come in against a
// version, and are applied only at that version, as one undoable step that
// leaves the cursor with the text it was in. An edit made against an older
// version is refused; the host makes it again against the newer text.

import type * as Monaco from 'monaco-editor/editor/editor.api.js';
import type { ClientMessage, HostMessage, TextChange } from '../../../main/protocol.js';

export class EditorSync {
  private version = 0;
  /** Set while a host edit is being applied: its changes carry its id back. */
  private applying: number | null = null;
  private readonly subscription: Monaco.IDisposable;

  constructor(
    private readonly doc: number,
    private readonly editor: Monaco.editor.IStandaloneCodeEditor,
    private readonly model: Monaco.editor.ITextModel,
    private readonly send: (msg: ClientMessage) => void,
    private readonly readOnly: boolean,
  ) {
    this.subscription = model.onDidChangeContent((e) => {
      if (this.readOnly) return;
      const changes: TextChange[] = e.changes.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text }));
      this.version++;
      const msg: ClientMessage = { type: 'nb.edit', doc: this.doc, version: this.version, changes };
      if (this.applying !== null) msg.applied = this.applying;
      this.send(msg);
    });
  }

  get currentVersion(): number {
    return this.version;
  }

  /** A host edit. Returns false when it was refused (made against an older version). */
  apply(msg: Extract<HostMessage, { type: 'nb.apply' }>): boolean {
    if (this.readOnly) {
      // A read-only editor shows the file whole (its line endings may differ from the file's, so offsets would not fit).
      this.model.setValue(msg.changes[0]?.text ?? '');
      return true;
    }
    if (msg.base !== this.version) {
      this.send({ type: 'nb.apply.rejected', doc: this.doc, apply: msg.apply });
      return false;
    }
    const edits = msg.changes.map((c) => {
      const start = this.model.getPositionAt(c.offset);
      const end = this.model.getPositionAt(c.offset + c.length);
      return { range: { startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: end.lineNumber, endColumn: end.column }, text: c.text, forceMoveMarkers: false };
    });
    this.applying = msg.apply;
    try {
      // Its own undo step: Ctrl+Z takes back the results, not the user's typing with them.
      this.editor.pushUndoStop();
      this.editor.executeEdits(msg.reason === 'results' ? 'modus.results' : 'modus.reload', edits);
      this.editor.pushUndoStop();
    } finally {
      this.applying = null;
    }
    return true;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
