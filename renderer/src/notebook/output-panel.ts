// The output panel under a notebook's editor: one entry per block × host,
// the live bytes of its last run shown in a terminal (xterm.js, so progress
// bars, colours and cursor moves look as they would in a terminal). Several
// run at once; the user switches between them while they run. One terminal
// shows the selected entry; each entry keeps its bytes (the most recent
// MAX_KEPT of them) so switching back replays them.

import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import type { ClientMessage } from '../../../main/protocol.js';

const MAX_KEPT = 4 * 1024 * 1024;

export interface OutputEntry {
  key: string;
  block: number;
  host: string;
  stream: number;
  chunks: Uint8Array[];
  kept: number;
  /** Bytes dropped from the front to stay under MAX_KEPT. */
  trimmed: number;
  status: string | null;
  /** Bytes the host did not send live (the journal has them). */
  dropped: number;
  button: HTMLButtonElement;
}

export class OutputPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly screen: HTMLElement;
  private readonly entries = new Map<string, OutputEntry>();
  private readonly byStream = new Map<number, OutputEntry>();
  private selected: OutputEntry | null = null;
  private term: Terminal | null = null;
  private readonly fit = new FitAddon();

  constructor(private readonly send: (msg: ClientMessage) => void) {
    this.element = document.createElement('section');
    this.element.className = 'nb-output';
    this.element.setAttribute('aria-label', 'Block output');
    this.list = document.createElement('div');
    this.list.className = 'nb-output-list';
    this.list.setAttribute('role', 'tablist');
    this.screen = document.createElement('div');
    this.screen.className = 'nb-output-screen';
    const empty = document.createElement('p');
    empty.className = 'nb-output-empty';
    empty.textContent = 'Run a block to see its output here.';
    this.list.append(empty);
    this.element.append(this.list, this.screen);
  }

  /** A new run of `block` on `host` begins: its entry starts empty and is shown. */
  stream(stream: number, block: number, host: string): void {
    const key = `${block}\u0000${host}`;
    let entry = this.entries.get(key);
    if (entry) {
      this.byStream.delete(entry.stream);
      Object.assign(entry, { stream, chunks: [], kept: 0, trimmed: 0, status: null, dropped: 0 });
    } else {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'nb-output-entry';
      button.setAttribute('role', 'tab');
      entry = { key, block, host, stream, chunks: [], kept: 0, trimmed: 0, status: null, dropped: 0, button };
      const e = entry;
      button.addEventListener('click', () => this.select(e));
      this.list.querySelector('.nb-output-empty')?.remove();
      this.list.append(button);
      this.entries.set(key, entry);
    }
    this.byStream.set(stream, entry);
    this.label(entry);
    this.select(entry);
  }

  output(stream: number, data: Uint8Array): void {
    const entry = this.byStream.get(stream);
    if (!entry) return;
    entry.chunks.push(data);
    entry.kept += data.byteLength;
    while (entry.kept > MAX_KEPT && entry.chunks.length > 1) {
      const first = entry.chunks.shift()!;
      entry.kept -= first.byteLength;
      entry.trimmed += first.byteLength;
    }
    if (entry === this.selected && this.term) {
      // Acknowledged once the terminal has parsed it, so a flood waits for the page (the host never waits for it).
      this.term.write(data, () => this.send({ type: 'nb.output.ack', stream, bytes: data.byteLength }));
    } else {
      this.send({ type: 'nb.output.ack', stream, bytes: data.byteLength });
    }
  }

  end(stream: number, status: string, dropped: number): void {
    const entry = this.byStream.get(stream);
    if (!entry) return;
    entry.status = status;
    entry.dropped = dropped;
    this.label(entry);
  }

  private label(entry: OutputEntry): void {
    const state = entry.status ?? 'running';
    entry.button.textContent = `[${entry.block}] ${entry.host} · ${state}`;
    entry.button.dataset.status = state;
    entry.button.dataset.block = String(entry.block);
    entry.button.dataset.host = entry.host;
  }

  select(entry: OutputEntry): void {
    this.selected = entry;
    for (const e of this.entries.values()) e.button.setAttribute('aria-selected', String(e === entry));
    const term = this.terminal();
    term.reset();
    if (entry.trimmed > 0) term.write(`\x1b[2m[… ${entry.trimmed} earlier bytes are not kept here; the journal has them]\x1b[0m\r\n`);
    for (const chunk of entry.chunks) term.write(chunk);
  }

  /** The text the panel's terminal shows now (tests). */
  visibleText(): string {
    const term = this.term;
    if (!term) return '';
    const buffer = term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n');
  }

  entriesShown(): { block: number; host: string; status: string | null; selected: boolean }[] {
    return [...this.entries.values()].map((e) => ({ block: e.block, host: e.host, status: e.status, selected: e === this.selected }));
  }

  private terminal(): Terminal {
    if (!this.term) {
      this.term = new Terminal({ convertEol: false, scrollback: 10_000, disableStdin: true, fontSize: 12, theme: { background: '#141416' } });
      this.term.loadAddon(this.fit);
      this.term.open(this.screen);
      this.resize();
    }
    return this.term;
  }

  resize(): void {
    if (!this.term || this.screen.clientWidth === 0) return;
    try {
      this.fit.fit();
    } catch {
      // not laid out yet
    }
  }

  dispose(): void {
    this.term?.dispose();
  }
}
