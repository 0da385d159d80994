// The strip on a terminal that holds a notebook's `:session` shell: which
// session it is, where the hold stands (waiting for a block, at the prompt,
// running a command typed by hand, handed back), what the host said (why it
// waits, why a hand-back was refused), and the "Hand back to notebook"
// button. Closing the tab hands back too.

import type { HeldState } from '../../../main/protocol.js';

export interface HeldView {
  title: string;
  state: HeldState;
  command: string | null;
  message: string | null;
}

export class HeldBar {
  readonly element: HTMLDivElement;
  private readonly label: HTMLSpanElement;
  private readonly note: HTMLSpanElement;
  private readonly button: HTMLButtonElement;
  view: HeldView;

  constructor(title: string, handBack: () => void) {
    this.view = { title, state: 'waiting', command: null, message: null };
    this.element = document.createElement('div');
    this.element.className = 'held-bar';
    this.label = document.createElement('span');
    this.label.className = 'held-bar-label';
    this.note = document.createElement('span');
    this.note.className = 'held-bar-note';
    this.button = document.createElement('button');
    this.button.type = 'button';
    this.button.className = 'held-bar-hand-back';
    this.button.textContent = 'Hand back to notebook';
    this.button.title = 'The notebook\'s blocks for this session run again, in this shell (Ctrl+D at the prompt, or closing this tab, does the same)';
    this.button.addEventListener('click', handBack);
    // The terminal keeps the keyboard: clicking the button must not leave it without focus.
    this.button.addEventListener('mousedown', (ev) => ev.preventDefault());
    this.element.append(this.label, this.note, this.button);
    this.show(this.view);
  }

  show(view: HeldView): void {
    // A message stays until the next one: a refusal is still worth reading after the prompt comes back.
    this.view = { ...view, message: view.message ?? (view.state === this.view.state ? this.view.message : null) };
    const v = this.view;
    this.element.dataset.state = v.state;
    this.label.textContent =
      v.state === 'waiting' ? '⇄ waiting for the session'
      : v.state === 'prompt' ? '⇄ held here: at the prompt'
      : v.state === 'command' ? `⇄ held here: running ${v.command ?? 'a command'}`
      : '⇄ handed back';
    this.element.title = `Session ${v.title}: the notebook's own shell. What you type runs in it; its blocks wait until you hand it back.`;
    this.note.textContent = v.message ?? '';
    this.note.hidden = v.message === null;
    this.button.hidden = v.state === 'ended';
  }
}
