// The SSH host picker (New SSH tab): a text field over the hosts the host
// lists (inventory, then ssh config aliases), filtered as the user types.
// ↑/↓ move, Enter opens the highlighted host (or the typed name when nothing
// matches and it is a host name), Escape or a click elsewhere closes.

import type { ListedHost } from '../../../main/protocol.js';
import { filterHosts, hostNameProblem } from './host-filter.js';
import type { HostPickerView } from '../test-hook-types.js';

export interface HostPickerEvents {
  pick(host: string): void;
  /** Closed without a pick: focus goes back where it was. */
  cancelled(): void;
}

export class HostPicker {
  private readonly form: HTMLFormElement;
  private readonly input: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private readonly note: HTMLDivElement;
  private readonly problemList: HTMLUListElement;
  /** null while the host has not answered. */
  private hosts: ListedHost[] | null = null;
  private problems: string[] = [];
  private shown: ListedHost[] = [];
  private selected = 0;

  constructor(parent: HTMLElement, private readonly events: HostPickerEvents) {
    this.form = document.createElement('form');
    this.form.className = 'host-picker';
    this.form.hidden = true;
    this.form.setAttribute('role', 'dialog');
    this.form.setAttribute('aria-label', 'New SSH tab');
    this.input = document.createElement('input');
    this.input.type = 'text';
    this.input.placeholder = 'SSH to host…';
    this.input.spellcheck = false;
    this.input.autocomplete = 'off';
    this.input.setAttribute('aria-label', 'Host to connect to');
    this.list = document.createElement('ul');
    this.list.className = 'host-picker-list';
    this.list.setAttribute('role', 'listbox');
    this.note = document.createElement('div');
    this.note.className = 'host-picker-note';
    this.problemList = document.createElement('ul');
    this.problemList.className = 'host-picker-problems';
    this.form.append(this.input, this.list, this.note, this.problemList);
    parent.append(this.form);

    this.form.addEventListener('submit', (ev) => ev.preventDefault());
    this.input.addEventListener('input', () => {
      this.selected = 0;
      this.render();
    });
    this.input.addEventListener('keydown', (ev) => this.key(ev));
    // Keep the focus in the field while an item is clicked, so focusout does not close the picker first.
    this.list.addEventListener('mousedown', (ev) => ev.preventDefault());
    this.list.addEventListener('click', (ev) => {
      const item = ev.target instanceof Element ? ev.target.closest<HTMLElement>('li[data-index]') : null;
      if (item) this.choose(Number(item.dataset.index));
    });
    this.form.addEventListener('focusout', (ev) => {
      if (!this.form.hidden && !(ev.relatedTarget instanceof Node && this.form.contains(ev.relatedTarget))) this.cancel();
    });
  }

  get isOpen(): boolean {
    return !this.form.hidden;
  }

  /** Shows the picker, empty and waiting for the host's list. */
  open(): void {
    this.hosts = null;
    this.problems = [];
    this.selected = 0;
    this.input.value = '';
    this.form.hidden = false;
    this.render();
    this.input.focus();
  }

  /** The host's answer to hosts.list; ignored when the picker was closed meanwhile. */
  setHosts(hosts: ListedHost[], problems: string[]): void {
    if (!this.isOpen) return;
    this.hosts = hosts;
    this.problems = problems;
    this.render();
  }

  view(): HostPickerView {
    return {
      open: this.isOpen,
      query: this.input.value,
      items: this.shown.map((h) => h.name),
      selected: this.selected,
      message: this.note.textContent ?? '',
      problems: [...this.problems],
    };
  }

  private key(ev: KeyboardEvent): void {
    const move = ev.key === 'ArrowDown' ? 1 : ev.key === 'ArrowUp' ? -1 : 0;
    if (move !== 0) {
      ev.preventDefault();
      if (this.shown.length > 0) this.selected = (this.selected + move + this.shown.length) % this.shown.length;
      this.render();
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      this.choose(this.selected);
    } else if (ev.key === 'Escape') {
      ev.preventDefault();
      this.cancel();
    }
  }

  private choose(index: number): void {
    const typed = this.input.value.trim();
    const host = this.shown[index]?.name ?? (hostNameProblem(typed) === null ? typed : null);
    if (host === null) return;
    this.hide();
    this.events.pick(host);
  }

  private cancel(): void {
    this.hide();
    this.events.cancelled();
  }

  private hide(): void {
    this.form.hidden = true;
    this.hosts = null;
    this.shown = [];
  }

  private render(): void {
    const typed = this.input.value.trim();
    this.shown = this.hosts ? filterHosts(this.hosts, typed) : [];
    if (this.selected >= this.shown.length) this.selected = 0;
    this.list.replaceChildren(
      ...this.shown.map((host, i) => {
        const item = document.createElement('li');
        item.dataset.index = String(i);
        item.setAttribute('role', 'option');
        item.setAttribute('aria-selected', String(i === this.selected));
        item.classList.toggle('selected', i === this.selected);
        const name = document.createElement('span');
        name.className = 'host-name';
        name.textContent = host.name;
        const detail = document.createElement('span');
        detail.className = 'host-detail';
        detail.textContent = host.detail;
        const source = document.createElement('span');
        source.className = 'host-source';
        source.textContent = host.source === 'inventory' ? 'inventory' : 'ssh config';
        item.append(name, detail, source);
        return item;
      }),
    );
    this.list.children[this.selected]?.scrollIntoView({ block: 'nearest' });
    this.note.textContent = this.message(typed);
    this.problemList.replaceChildren(
      ...this.problems.map((p) => {
        const item = document.createElement('li');
        item.textContent = p;
        return item;
      }),
    );
  }

  private message(typed: string): string {
    if (this.shown.length > 0) return '';
    const problem = hostNameProblem(typed);
    if (this.hosts === null) return typed !== '' && problem === null ? `Loading hosts… Enter connects to ${typed}` : 'Loading hosts…';
    if (typed === '') {
      return this.hosts.length === 0
        ? 'No hosts listed: set "inventory" or "sshConfig" in the settings, or type a host name'
        : '';
    }
    return problem === null ? `No listed host matches; Enter connects to ${typed}` : `Not a host name: ${problem}`;
  }
}
