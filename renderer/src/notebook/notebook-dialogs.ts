// The two questions a notebook asks the user: may this :confirm block run
// (showing its hosts and the exact command after substitution), and, when
// the file changed on disk while the editor has unsaved edits, which text to
// keep (the two side by side in Monaco's diff editor; the right side is the
// editor's own text, so a hand merge there is kept too).

import type * as Monaco from 'monaco-editor/editor/editor.api.js';
import type { HostMessage } from '../../../main/protocol.js';

type ConfirmRequest = Extract<HostMessage, { type: 'nb.confirm' }>;

export class ConfirmDialog {
  readonly element: HTMLElement;
  private queue: Promise<unknown> = Promise.resolve();

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'nb-dialog-layer';
    this.element.hidden = true;
  }

  /** Questions are asked one at a time, in the order they came. */
  ask(q: ConfirmRequest): Promise<'yes' | 'no'> {
    const next = this.queue.then(() => this.show(q));
    this.queue = next;
    return next;
  }

  private show(q: ConfirmRequest): Promise<'yes' | 'no'> {
    return new Promise((resolve) => {
      const box = document.createElement('div');
      box.className = 'nb-dialog nb-confirm';
      box.setAttribute('role', 'alertdialog');
      box.setAttribute('aria-modal', 'true');
      const title = document.createElement('h2');
      title.textContent = `Run block ${q.block}?`;
      const where = document.createElement('p');
      where.className = 'nb-confirm-hosts';
      where.textContent = `${q.lang} on ${q.hosts.join(', ')}`;
      const script = document.createElement('pre');
      script.className = 'nb-confirm-script';
      script.textContent = q.script;
      const buttons = document.createElement('div');
      buttons.className = 'nb-dialog-buttons';
      const done = (answer: 'yes' | 'no'): void => {
        this.element.hidden = true;
        this.element.replaceChildren();
        resolve(answer);
      };
      const no = document.createElement('button');
      no.type = 'button';
      no.className = 'nb-button nb-confirm-no';
      no.textContent = "Don't run";
      no.addEventListener('click', () => done('no'));
      const yes = document.createElement('button');
      yes.type = 'button';
      yes.className = 'nb-button nb-confirm-yes';
      yes.textContent = 'Run';
      yes.addEventListener('click', () => done('yes'));
      box.addEventListener('keydown', (ev) => {
        if (ev.key === 'Escape') done('no');
      });
      buttons.append(no, yes);
      box.append(title, where, script, buttons);
      this.element.replaceChildren(box);
      this.element.hidden = false;
      // The safe answer has the focus: Enter does not run a production change by accident.
      no.focus();
    });
  }
}

export class ConflictView {
  readonly element: HTMLElement;
  private diff: Monaco.editor.IStandaloneDiffEditor | null = null;
  private original: Monaco.editor.ITextModel | null = null;

  constructor(
    private readonly monaco: typeof Monaco,
    private readonly resolve: (take: 'disk' | 'mine') => void,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'nb-conflict';
    this.element.hidden = true;
  }

  show(mine: Monaco.editor.ITextModel, diskText: string, name: string): void {
    this.close();
    const head = document.createElement('div');
    head.className = 'nb-conflict-head';
    const text = document.createElement('span');
    text.textContent = `${name} changed on disk while you had unsaved edits. Left: the file now. Right: your text (you can merge by hand there). Nothing is lost until you choose.`;
    const takeDisk = document.createElement('button');
    takeDisk.type = 'button';
    takeDisk.className = 'nb-button nb-take-disk';
    takeDisk.textContent = "Use the file's version";
    takeDisk.addEventListener('click', () => {
      this.resolve('disk');
      this.close();
    });
    const keep = document.createElement('button');
    keep.type = 'button';
    keep.className = 'nb-button nb-keep-mine';
    keep.textContent = 'Keep mine (save overwrites the file)';
    keep.addEventListener('click', () => {
      this.resolve('mine');
      this.close();
    });
    head.append(text, takeDisk, keep);
    const host = document.createElement('div');
    host.className = 'nb-conflict-diff';
    this.element.replaceChildren(head, host);
    this.element.hidden = false;
    this.original = this.monaco.editor.createModel(diskText, mine.getLanguageId());
    this.diff = this.monaco.editor.createDiffEditor(host, { theme: 'modus-dark', automaticLayout: true, renderSideBySide: true, readOnly: false, originalEditable: false });
    this.diff.setModel({ original: this.original, modified: mine });
  }

  get open(): boolean {
    return !this.element.hidden;
  }

  close(): void {
    // The diff editor shares the notebook's model: detach it before disposing, so the model lives on.
    this.diff?.setModel(null);
    this.diff?.dispose();
    this.original?.dispose();
    this.diff = null;
    this.original = null;
    this.element.hidden = true;
    this.element.replaceChildren();
  }

  dispose(): void {
    this.close();
  }
}
