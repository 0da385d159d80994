// The questions a notebook asks the user: may this :confirm block run
// (showing its hosts and the exact command after substitution); the
// password or passphrase ssh asks for; which hosts Run on… runs a block on;
// and, when the file changed on disk while the editor has unsaved edits,
// which text to keep (the two side by side in Monaco's diff editor; the
// right side is the editor's own text, so a hand merge there is kept too).
// All but the last are modal (modal-layer.ts).

import type * as Monaco from 'monaco-editor/editor/editor.api.js';
import type { HostMessage } from '../../../main/protocol.js';
import { ModalLayer, type ModalEvents } from './modal-layer.js';

type ConfirmRequest = Extract<HostMessage, { type: 'nb.confirm' }>;

/** A yes/no question about something that would run: a title, where, the text that would run, and the two answers. */
export interface Question {
  title: string;
  where: string;
  script: string;
  yes: string;
  no: string;
}

/** A question in a modal layer of its own (modal-layer.ts); `events.changed` is called when it is put and when it is answered. */
abstract class ModalDialog {
  readonly layer: ModalLayer;

  constructor(events: ModalEvents = {}) {
    this.layer = new ModalLayer(events);
  }

  get element(): HTMLElement {
    return this.layer.element;
  }
}

export class ConfirmDialog extends ModalDialog {
  private queue: Promise<unknown> = Promise.resolve();


  /** Questions are asked one at a time, in the order they came. */
  ask(q: ConfirmRequest): Promise<'yes' | 'no'> {
    return this.askAbout({ title: `Run block ${q.block}?`, where: `${q.lang} on ${q.hosts.join(', ')}`, script: q.script, yes: 'Run', no: "Don't run" });
  }

  /** Any question of the same kind: what would be done where, the safe answer focused. */
  askAbout(q: Question): Promise<'yes' | 'no'> {
    const next = this.queue.then(() => this.show(q));
    this.queue = next;
    return next;
  }

  private show(q: Question): Promise<'yes' | 'no'> {
    return new Promise((resolve) => {
      const box = document.createElement('div');
      box.className = 'nb-dialog nb-confirm';
      box.setAttribute('role', 'alertdialog');
      box.setAttribute('aria-modal', 'true');
      const title = document.createElement('h2');
      title.textContent = q.title;
      const where = document.createElement('p');
      where.className = 'nb-confirm-hosts';
      where.textContent = q.where;
      const script = document.createElement('pre');
      script.className = 'nb-confirm-script';
      script.textContent = q.script;
      const buttons = document.createElement('div');
      buttons.className = 'nb-dialog-buttons';
      const done = (answer: 'yes' | 'no'): void => {
        this.layer.close();
        resolve(answer);
      };
      const no = document.createElement('button');
      no.type = 'button';
      no.className = 'nb-button nb-confirm-no';
      no.textContent = q.no;
      no.addEventListener('click', () => done('no'));
      const yes = document.createElement('button');
      yes.type = 'button';
      yes.className = 'nb-button nb-confirm-yes';
      yes.textContent = q.yes;
      yes.addEventListener('click', () => done('yes'));
      box.addEventListener('keydown', (ev) => {
        if (ev.key === 'Escape') done('no');
      });
      buttons.append(no, yes);
      box.append(title, where, script, buttons);
      // The safe answer has the focus: Enter does not run a production change by accident.
      this.layer.show(box, no);
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

type SecretRequest = Extract<HostMessage, { type: 'nb.secret' }>;

/**
 * A password or passphrase ssh asks for: a password field with the host and
 * ssh's own question. The answer goes to the host once and the field is
 * emptied; nothing keeps it.
 */
export class SecretDialog extends ModalDialog {
  private queue: Promise<unknown> = Promise.resolve();
  /** The host whose ssh asks now; null when nothing is asked. */
  private asking: string | null = null;


  /** The host whose ssh waits for a password or passphrase now, null when none does. */
  get host(): string | null {
    return this.asking;
  }

  ask(q: SecretRequest): Promise<string | null> {
    const next = this.queue.then(() => this.show(q));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private show(q: SecretRequest): Promise<string | null> {
    return new Promise((resolve) => {
      const box = document.createElement('form');
      box.className = 'nb-dialog nb-secret';
      box.setAttribute('role', 'dialog');
      box.setAttribute('aria-modal', 'true');
      const title = document.createElement('h2');
      title.textContent = `ssh to ${q.host} asks`;
      const prompt = document.createElement('p');
      prompt.className = 'nb-secret-prompt';
      prompt.textContent = q.prompt.trim() || 'Password:';
      const input = document.createElement('input');
      input.type = 'password';
      input.autocomplete = 'off';
      input.className = 'nb-secret-input';
      const buttons = document.createElement('div');
      buttons.className = 'nb-dialog-buttons';
      const done = (secret: string | null): void => {
        input.value = '';
        this.asking = null;
        this.layer.close();
        resolve(secret);
      };
      const cancel = document.createElement('button');
      cancel.type = 'button';
      cancel.className = 'nb-button nb-secret-cancel';
      cancel.textContent = 'Cancel';
      cancel.addEventListener('click', () => done(null));
      const ok = document.createElement('button');
      ok.type = 'submit';
      ok.className = 'nb-button nb-secret-ok';
      ok.textContent = 'OK';
      box.addEventListener('submit', (ev) => {
        ev.preventDefault();
        done(input.value);
      });
      box.addEventListener('keydown', (ev) => {
        if (ev.key === 'Escape') done(null);
      });
      buttons.append(cancel, ok);
      box.append(title, prompt, input, buttons);
      this.asking = q.host;
      this.layer.show(box, input);
    });
  }
}

/**
 * Run on…: the block on hosts of the user's choosing (the notebook's
 * inventory hosts and groups, or names typed, comma-separated), instead of
 * its :host. Its results then say which hosts they are from.
 */
export class RunOnDialog extends ModalDialog {


  ask(block: number, current: string[], inventory: { hosts: string[]; groups: string[] }): Promise<string[] | null> {
    return new Promise((resolve) => {
      const box = document.createElement('form');
      box.className = 'nb-dialog nb-run-on';
      box.setAttribute('role', 'dialog');
      box.setAttribute('aria-modal', 'true');
      const title = document.createElement('h2');
      title.textContent = `Run block ${block} on…`;
      const list = document.createElement('div');
      list.className = 'nb-run-on-list';
      const boxes: HTMLInputElement[] = [];
      for (const name of [...inventory.groups, ...inventory.hosts]) {
        const label = document.createElement('label');
        const check = document.createElement('input');
        check.type = 'checkbox';
        check.value = name;
        check.checked = current.includes(name);
        boxes.push(check);
        label.append(check, ` ${name}${inventory.groups.includes(name) ? ' (group)' : ''}`);
        list.append(label);
      }
      const typed = document.createElement('input');
      typed.type = 'text';
      typed.className = 'nb-run-on-input';
      typed.placeholder = 'or type host names, groups or globs, separated by commas';
      const buttons = document.createElement('div');
      buttons.className = 'nb-dialog-buttons';
      const done = (hosts: string[] | null): void => {
        this.layer.close();
        resolve(hosts);
      };
      const cancel = document.createElement('button');
      cancel.type = 'button';
      cancel.className = 'nb-button';
      cancel.textContent = 'Cancel';
      cancel.addEventListener('click', () => done(null));
      const run = document.createElement('button');
      run.type = 'submit';
      run.className = 'nb-button nb-run-on-go';
      run.textContent = 'Run';
      box.addEventListener('submit', (ev) => {
        ev.preventDefault();
        const hosts = [...boxes.filter((b) => b.checked).map((b) => b.value), ...typed.value.split(',').map((h) => h.trim()).filter(Boolean)];
        done(hosts.length > 0 ? [...new Set(hosts)] : null);
      });
      box.addEventListener('keydown', (ev) => {
        if (ev.key === 'Escape') done(null);
      });
      buttons.append(cancel, run);
      box.append(title, list, typed, buttons);
      this.layer.show(box, typed);
    });
  }
}
