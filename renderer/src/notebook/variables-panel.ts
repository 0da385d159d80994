// The variables panel: the front matter's variables with their values, and
// the names blocks use that nothing defines. Values typed here override the
// front matter for runs from the app (as --var does on the command line);
// the file is not changed. A run is not started while a used variable has
// no value: the panel opens and says which.

import type { VariableView } from '../../../main/protocol.js';

export class VariablesPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly inputs = new Map<string, HTMLInputElement>();
  private readonly defaults = new Map<string, string | null>();
  private timer: number | null = null;

  constructor(private readonly changed: (vars: Record<string, string>) => void) {
    this.element = document.createElement('aside');
    this.element.className = 'nb-vars';
    this.element.hidden = true;
    const title = document.createElement('h3');
    title.textContent = 'Variables';
    const note = document.createElement('p');
    note.className = 'nb-vars-note';
    note.textContent = 'Values here override the front matter for runs from the app; the file is not changed.';
    this.list = document.createElement('div');
    this.list.className = 'nb-vars-list';
    this.element.append(title, note, this.list);
  }

  show(vars: VariableView[]): void {
    const names = vars.map((v) => v.name);
    for (const v of vars) this.defaults.set(v.name, v.value);
    for (const [name, input] of this.inputs) {
      if (!names.includes(name)) {
        input.closest('.nb-var')?.remove();
        this.inputs.delete(name);
      }
    }
    for (const v of vars) {
      let input = this.inputs.get(v.name);
      if (!input) {
        const row = document.createElement('label');
        row.className = 'nb-var';
        const label = document.createElement('span');
        label.className = 'nb-var-name';
        label.textContent = v.name;
        input = document.createElement('input');
        input.type = 'text';
        input.spellcheck = false;
        input.dataset.name = v.name;
        input.addEventListener('input', () => this.changedSoon());
        row.append(label, input);
        this.list.append(row);
        this.inputs.set(v.name, input);
      }
      input.placeholder = v.value ?? 'needs a value';
      input.closest('.nb-var')?.classList.toggle('missing', v.value === null && input.value === '');
    }
    if (vars.some((v) => v.value === null)) this.open();
  }

  private changedSoon(): void {
    for (const [name, input] of this.inputs) input.closest('.nb-var')?.classList.toggle('missing', this.defaults.get(name) === null && input.value === '');
    if (this.timer !== null) window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => {
      this.timer = null;
      this.changed(this.values());
    }, 200);
  }

  /** The values typed here (empty fields keep the front matter's value). */
  values(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, input] of this.inputs) if (input.value !== '') out[name] = input.value;
    return out;
  }

  /** Used variables without any value. */
  missing(): string[] {
    return [...this.inputs].filter(([name, input]) => this.defaults.get(name) === null && input.value === '').map(([name]) => name);
  }

  open(): void {
    this.element.hidden = false;
  }

  toggle(): void {
    this.element.hidden = !this.element.hidden;
  }
}
