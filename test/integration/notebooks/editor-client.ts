// An editor stand-in for the notebook host tests: it holds the text as an
// editor does, sends every change it makes (nb.edit), applies the host's
// edits (nb.apply) when they were made against its version and refuses them
// otherwise, and records what the host says, on a real hub connection.

import type { HostMessage, NotebookAnalysis, TextChange } from '../../../main/protocol.js';
import type { TestRenderer } from '../terminals/hub-client.js';

export interface StreamView {
  block: number;
  host: string;
  run: number;
  bytes: Buffer[];
  end: { status: string; dropped: number } | null;
}

export class EditorClient {
  text = '';
  version = 0;
  opened: Extract<HostMessage, { type: 'nb.opened' }> | null = null;
  analysis: NotebookAnalysis | null = null;
  dirty = false;
  trusted = false;
  readonly errors: string[] = [];
  readonly conflicts: string[] = [];
  readonly applies: Extract<HostMessage, { type: 'nb.apply' }>[] = [];
  readonly confirms: Extract<HostMessage, { type: 'nb.confirm' }>[] = [];
  readonly done = new Map<number, Extract<HostMessage, { type: 'nb.run.done' }>>();
  readonly streams = new Map<number, StreamView>();
  /** When set, nb.apply messages wait here instead of being applied (tests of edits racing results). */
  holdApplies = false;
  readonly held: Extract<HostMessage, { type: 'nb.apply' }>[] = [];
  private nextRun = 1;

  constructor(
    private readonly r: TestRenderer,
    readonly doc: number,
  ) {
    r.listen((m) => this.receive(m));
  }

  open(path: string): Promise<void> {
    this.r.connection.receive({ type: 'nb.open', doc: this.doc, path });
    return this.r.waitFor(() => this.opened !== null || this.errors.length > 0, `nb.opened for ${path}`).then(() => undefined);
  }

  private receive(m: HostMessage): void {
    if (!('doc' in m) && m.type !== 'nb.output' && m.type !== 'nb.stream.end') return;
    if ('doc' in m && m.doc !== this.doc) return;
    switch (m.type) {
      case 'nb.opened':
        this.opened = m;
        this.text = m.text;
        this.trusted = m.trusted;
        break;
      case 'nb.analysis':
        this.analysis = m.analysis;
        break;
      case 'nb.state':
        this.dirty = m.dirty;
        this.trusted = m.trusted;
        break;
      case 'nb.error':
        this.errors.push(m.message);
        break;
      case 'nb.conflict':
        this.conflicts.push(m.diskText);
        break;
      case 'nb.apply':
        this.applies.push(m);
        if (this.holdApplies) this.held.push(m);
        else this.applyFromHost(m);
        break;
      case 'nb.confirm':
        this.confirms.push(m);
        break;
      case 'nb.run.done':
        this.done.set(m.run, m);
        break;
      case 'nb.stream':
        this.streams.set(m.stream, { block: m.block, host: m.host, run: m.run, bytes: [], end: null });
        break;
      case 'nb.output': {
        const s = this.streams.get(m.stream);
        if (!s) break;
        s.bytes.push(Buffer.from(m.data));
        this.r.connection.receive({ type: 'nb.output.ack', stream: m.stream, bytes: m.data.byteLength });
        break;
      }
      case 'nb.stream.end': {
        const s = this.streams.get(m.stream);
        if (s) s.end = { status: m.status, dropped: m.dropped };
        break;
      }
    }
  }

  /** Applies a held or arriving host edit as an editor does: only at the version it was made against. */
  applyFromHost(m: Extract<HostMessage, { type: 'nb.apply' }>): void {
    if (this.opened?.readOnly) {
      this.text = m.changes[0]!.text;
      return;
    }
    if (m.base !== this.version) {
      this.r.connection.receive({ type: 'nb.apply.rejected', doc: this.doc, apply: m.apply });
      return;
    }
    this.change(m.changes, m.apply);
  }

  /** Makes changes (in order) and tells the host. */
  change(changes: TextChange[], applied?: number): void {
    for (const c of changes) this.text = this.text.slice(0, c.offset) + c.text + this.text.slice(c.offset + c.length);
    this.version++;
    this.r.connection.receive({ type: 'nb.edit', doc: this.doc, version: this.version, changes, ...(applied !== undefined ? { applied } : {}) });
  }

  /** Types `text` at the first occurrence of `before` (inserted right before it). */
  typeBefore(before: string, text: string): void {
    const at = this.text.indexOf(before);
    if (at < 0) throw new Error(`no ${JSON.stringify(before)} in the editor`);
    this.change([{ offset: at, length: 0, text }]);
  }

  replace(what: string, by: string): void {
    const at = this.text.indexOf(what);
    if (at < 0) throw new Error(`no ${JSON.stringify(what)} in the editor`);
    this.change([{ offset: at, length: what.length, text: by }]);
  }

  save(): void {
    this.r.connection.receive({ type: 'nb.save', doc: this.doc, version: this.version });
  }

  trust(): void {
    this.r.connection.receive({ type: 'nb.trust', doc: this.doc, version: this.version });
  }

  run(selection: { kind: 'all' } | { kind: 'block' | 'from'; number: number }, keepGoing = false): number {
    const run = this.nextRun++;
    this.r.connection.receive({ type: 'nb.run', doc: this.doc, run, selection, keepGoing, vars: {} });
    return run;
  }

  waitDone(run: number): Promise<Extract<HostMessage, { type: 'nb.run.done' }>> {
    return this.r.waitFor(() => this.done.get(run), `run ${run} to end`);
  }

  /** Waits for an analysis of the current version that satisfies `ok`. */
  waitAnalysis(ok: (a: NotebookAnalysis) => boolean, what: string): Promise<NotebookAnalysis> {
    return this.r.waitFor(() => (this.analysis && this.analysis.version === this.version && ok(this.analysis) ? this.analysis : false), what);
  }

  output(block: number): string {
    return [...this.streams.values()].filter((s) => s.block === block).map((s) => Buffer.concat(s.bytes).toString('utf8')).join('');
  }
}
