// A small find bar over a pane (Ctrl+Shift+F): Enter finds the next match,
// Shift+Enter the previous, Escape closes and returns to the terminal.

import type { SearchAddon } from '@xterm/addon-search';

const DECORATIONS = {
  matchBackground: '#6b5b00',
  activeMatchBackground: '#c79a00',
  matchOverviewRuler: '#c79a00',
  activeMatchColorOverviewRuler: '#ffd000',
};

export class FindBar {
  private readonly bar: HTMLFormElement;
  private readonly input: HTMLInputElement;
  private readonly status: HTMLSpanElement;

  constructor(parent: HTMLElement, private readonly search: SearchAddon, private readonly returnFocus: () => void) {
    this.bar = document.createElement('form');
    this.bar.className = 'find-bar';
    this.bar.hidden = true;
    this.input = document.createElement('input');
    this.input.type = 'search';
    this.input.placeholder = 'Find';
    this.input.setAttribute('aria-label', 'Find in terminal');
    this.status = document.createElement('span');
    this.status.className = 'find-status';
    this.bar.append(this.input, this.status);
    parent.append(this.bar);

    search.onDidChangeResults(({ resultIndex, resultCount }) => {
      this.status.textContent = resultCount === 0 ? 'no match' : `${resultIndex + 1}/${resultCount}`;
    });
    this.bar.addEventListener('submit', (ev) => ev.preventDefault());
    this.input.addEventListener('input', () => this.find(true, true));
    this.input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') {
        ev.preventDefault();
        this.find(!ev.shiftKey, false);
      } else if (ev.key === 'Escape') {
        ev.preventDefault();
        this.close();
      }
    });
  }

  open(): void {
    this.bar.hidden = false;
    this.input.focus();
    this.input.select();
  }

  close(): void {
    this.bar.hidden = true;
    this.search.clearDecorations();
    this.returnFocus();
  }

  private find(forward: boolean, incremental: boolean): void {
    const text = this.input.value;
    if (text === '') {
      this.search.clearDecorations();
      this.status.textContent = '';
      return;
    }
    const options = { incremental, decorations: DECORATIONS };
    if (forward) this.search.findNext(text, options);
    else this.search.findPrevious(text, options);
  }
}
