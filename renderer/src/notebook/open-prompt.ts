// "Open notebook": a path prompt with completion from the host's file system
// (Tab completes, directories open into their entries) and the recent
// notebooks under it. The browser cannot show a native file dialog that
// yields a path, so this is how the web host opens files; Electron uses it
// too, for one way of working in both.

import type { PathCompletion } from '../../../main/protocol.js';

export interface OpenPromptActions {
  complete(prefix: string): void;
  recent(): void;
  open(path: string): void;
}

export class OpenPrompt {
  private readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly list: HTMLElement;
  private readonly message: HTMLElement;
  private items: { path: string; dir: boolean; recent: boolean }[] = [];
  private selected = -1;
  private recentPaths: string[] = [];

  constructor(parent: HTMLElement, private readonly actions: OpenPromptActions) {
    this.element = document.createElement('div');
    this.element.className = 'open-prompt';
    this.element.hidden = true;
    this.element.setAttribute('role', 'dialog');
    this.element.setAttribute('aria-label', 'Open notebook');
    const title = document.createElement('div');
    title.className = 'open-prompt-title';
    title.textContent = 'Open notebook (a Markdown file): type a path, Tab completes';
    this.input = document.createElement('input');
    this.input.type = 'text';
    this.input.spellcheck = false;
    this.input.className = 'open-prompt-input';
    this.input.placeholder = '~/notes/maintenance.md';
    this.list = document.createElement('ul');
    this.list.className = 'open-prompt-list';
    this.message = document.createElement('div');
    this.message.className = 'open-prompt-message';
    this.element.append(title, this.input, this.list, this.message);
    parent.append(this.element);
    this.input.addEventListener('input', () => {
      this.selected = -1;
      this.ask();
    });
    this.input.addEventListener('keydown', (ev) => this.key(ev));
    this.element.addEventListener('focusout', (ev) => {
      if (!this.element.contains(ev.relatedTarget as Node | null)) this.close();
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  show(initial = ''): void {
    this.element.hidden = false;
    this.input.value = initial;
    this.message.textContent = '';
    this.items = [];
    this.render();
    this.actions.recent();
    if (initial !== '') this.ask();
    this.input.focus();
  }

  close(): void {
    this.element.hidden = true;
  }

  private ask(): void {
    const v = this.input.value;
    if (v.startsWith('/') || v.startsWith('~')) this.actions.complete(v);
    else this.showItems([]);
  }

  completions(prefix: string, entries: PathCompletion[]): void {
    if (prefix !== this.input.value) return; // an answer to something no longer typed
    this.showItems(entries.map((e) => ({ ...e, recent: false })));
  }

  recent(paths: string[]): void {
    this.recentPaths = paths;
    if (this.input.value === '') this.showItems([]);
  }

  private showItems(entries: { path: string; dir: boolean; recent: boolean }[]): void {
    this.items = entries.length > 0 || this.input.value !== '' ? entries : this.recentPaths.map((p) => ({ path: p, dir: false, recent: true }));
    this.render();
  }

  private render(): void {
    this.list.replaceChildren(
      ...this.items.map((item, i) => {
        const li = document.createElement('li');
        li.textContent = item.path;
        li.className = `${item.dir ? 'dir' : 'file'}${item.recent ? ' recent' : ''}${i === this.selected ? ' selected' : ''}`;
        li.addEventListener('mousedown', (ev) => {
          ev.preventDefault();
          this.choose(item);
        });
        return li;
      }),
    );
    if (this.items.length > 0 && this.items.every((i) => i.recent)) this.message.textContent = 'Recent notebooks';
    else if (this.items.length === 0 && this.input.value !== '') this.message.textContent = 'No match here; Enter opens the path as typed';
    else this.message.textContent = '';
  }

  private choose(item: { path: string; dir: boolean }): void {
    if (item.dir) {
      this.input.value = item.path;
      this.selected = -1;
      this.ask();
      this.input.focus();
      return;
    }
    this.close();
    this.actions.open(item.path);
  }

  private key(ev: KeyboardEvent): void {
    if (ev.key === 'Escape') {
      ev.preventDefault();
      this.close();
    } else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (this.items.length === 0) return;
      this.selected = (this.selected + (ev.key === 'ArrowDown' ? 1 : -1) + this.items.length) % this.items.length;
      this.render();
    } else if (ev.key === 'Tab') {
      ev.preventDefault();
      const item = this.items[this.selected >= 0 ? this.selected : 0];
      if (!item) return;
      if (item.dir) this.choose(item);
      else this.input.value = item.path;
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      const item = this.selected >= 0 ? this.items[this.selected] : undefined;
      if (item) this.choose(item);
      else if (this.input.value.trim() !== '') {
        this.close();
        this.actions.open(this.input.value.trim());
      }
    }
  }
}
