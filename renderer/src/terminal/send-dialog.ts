// "Send to notebook" and "Record to notebook": which commands of a terminal
// (its recent ones, the last one picked), and which notebook they go to (an
// open one, the last one used, or a new file; a path typed here). The host
// appends them as blocks with their results; recording appends each command
// as it ends until stopped.

export interface SendChoice {
  seqs: number[];
  path: string;
}

export interface SendableCommand {
  seq: number;
  command: string;
  exitCode: number | null;
}

export class SendDialog {
  private readonly element: HTMLElement;

  constructor(parent: HTMLElement) {
    this.element = document.createElement('div');
    this.element.className = 'send-dialog-layer';
    this.element.hidden = true;
    parent.append(this.element);
  }

  /** Asks which commands go to which notebook; null when the user cancels. `picked` is the command chosen from its mark, if any. */
  ask(mode: 'send' | 'record', commands: readonly SendableCommand[], notebooks: readonly string[], suggested: string, picked: number | null): Promise<SendChoice | null> {
    return new Promise((resolve) => {
      const box = document.createElement('form');
      box.className = `send-dialog send-dialog-${mode}`;
      box.setAttribute('role', 'dialog');
      const title = document.createElement('h2');
      title.textContent = mode === 'send' ? 'Send to notebook' : 'Record to notebook';
      const note = document.createElement('p');
      note.className = 'send-dialog-note';
      note.textContent =
        mode === 'send'
          ? 'Each command goes in as a code block followed by its results (output, exit status, time).'
          : 'From now on every command of this terminal goes in as a block with its results when it ends.';
      box.append(title, note);
      const checks: HTMLInputElement[] = [];
      if (mode === 'send') {
        const list = document.createElement('div');
        list.className = 'send-dialog-commands';
        const last = commands.length - 1;
        commands.forEach((c, i) => {
          const label = document.createElement('label');
          const check = document.createElement('input');
          check.type = 'checkbox';
          check.value = String(c.seq);
          check.checked = picked === null ? i === last : c.seq === picked;
          checks.push(check);
          const status = c.exitCode === null ? '?' : c.exitCode === 0 ? '✓' : `✗ ${c.exitCode}`;
          label.append(check, ` ${status}  ${c.command}`);
          list.append(label);
        });
        if (commands.length === 0) list.textContent = 'No command has ended in this terminal yet.';
        box.append(list);
      }
      const input = document.createElement('input');
      input.type = 'text';
      input.className = 'send-dialog-path';
      input.spellcheck = false;
      input.value = suggested;
      const options = document.createElement('datalist');
      options.id = `send-targets-${Math.random().toString(36).slice(2)}`;
      for (const p of notebooks) {
        const o = document.createElement('option');
        o.value = p;
        options.append(o);
      }
      input.setAttribute('list', options.id);
      const pathLabel = document.createElement('label');
      pathLabel.className = 'send-dialog-target';
      pathLabel.append('Notebook (created if it does not exist): ', input, options);
      const buttons = document.createElement('div');
      buttons.className = 'nb-dialog-buttons';
      const done = (choice: SendChoice | null): void => {
        this.element.hidden = true;
        this.element.replaceChildren();
        resolve(choice);
      };
      const cancel = document.createElement('button');
      cancel.type = 'button';
      cancel.className = 'nb-button';
      cancel.textContent = 'Cancel';
      cancel.addEventListener('click', () => done(null));
      const go = document.createElement('button');
      go.type = 'submit';
      go.className = 'nb-button send-dialog-go';
      go.textContent = mode === 'send' ? 'Send' : 'Start recording';
      box.addEventListener('submit', (ev) => {
        ev.preventDefault();
        const seqs = checks.filter((c) => c.checked).map((c) => Number(c.value));
        const path = input.value.trim();
        if (path === '' || (mode === 'send' && seqs.length === 0)) return;
        done({ seqs, path });
      });
      box.addEventListener('keydown', (ev) => {
        if (ev.key === 'Escape') done(null);
      });
      buttons.append(cancel, go);
      box.append(pathLabel, buttons);
      this.element.replaceChildren(box);
      this.element.hidden = false;
      input.focus();
      input.select();
    });
  }
}
