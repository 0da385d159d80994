// The notebooks of this window: opens them (prompt, recent list, drop,
// session restore, `modus serve PATH.md`), routes the host's nb.* messages
// to their views, and shows reports. Loaded when the first notebook opens,
// so a window of terminals never pays for Monaco.

import type { ClientMessage, HeldSessionRef, HostMessage } from '../../../main/protocol.js';
import type { WorkspacePane } from '../workspace/workspace.js';
import { setupMonaco, type Monaco } from './monaco-setup.js';
import { NotebookView } from './notebook-view.js';
import { OpenPrompt } from './open-prompt.js';
import { ReportView } from './report-view.js';

export interface NotebooksHost {
  send(msg: ClientMessage): void;
  /** Puts a view in a new tab of its own. */
  addTab(view: NotebookView): void;
  titleChanged(): void;
  focused(view: NotebookView): void;
  openLink(url: string): void;
  /** The layout changed (session save). */
  changed(): void;
  /** The host writes PDFs itself (Electron's printToPDF); otherwise the browser's print dialog does. */
  printsToPdf(): boolean;
  /** "Open session in terminal": a terminal tab holding the session `name` of a block. */
  openSession(ref: HeldSessionRef, name: string): void;
}

export class Notebooks {
  private readonly monaco: Monaco;
  private readonly views = new Map<number, NotebookView>();
  private readonly streams = new Map<number, NotebookView>();
  private nextDoc = 1;
  readonly prompt: OpenPrompt;
  private readonly reports = new Map<number, ReportView>();

  constructor(
    private readonly host: NotebooksHost,
    overlayParent: HTMLElement,
  ) {
    this.monaco = setupMonaco();
    this.prompt = new OpenPrompt(overlayParent, {
      complete: (prefix) => host.send({ type: 'fs.complete', prefix }),
      recent: () => host.send({ type: 'recent.list' }),
      open: (path) => this.open(path),
    });
  }

  /** Opens `path` in a new tab (or shows the tab that has it). */
  open(path: string): NotebookView {
    for (const v of this.views.values()) if (v.path === path) return v;
    const doc = this.nextDoc++;
    const view = new NotebookView(doc, path, this.monaco, {
      send: (m) => this.host.send(m),
      titleChanged: () => this.host.titleChanged(),
      focused: (v) => this.host.focused(v),
      showReport: (v) => this.showReport(v),
      openSession: (v, block, host, name) => this.host.openSession({ doc: v.doc, block, host }, name),
    });
    this.views.set(doc, view);
    this.host.addTab(view);
    this.host.send({ type: 'nb.open', doc, path });
    return view;
  }

  viewOf(pane: WorkspacePane | null | undefined): NotebookView | null {
    return pane instanceof NotebookView ? pane : null;
  }

  all(): NotebookView[] {
    return [...this.views.values()];
  }

  /** Closes a view's tab; false when the user chose to keep unsaved edits. */
  close(view: NotebookView): boolean {
    if (view.dirty && !window.confirm(`${view.name} has unsaved changes. Close it and lose them?`)) return false;
    this.host.send({ type: 'nb.close', doc: view.doc });
    this.views.delete(view.doc);
    for (const [s, v] of this.streams) if (v === view) this.streams.delete(s);
    this.reports.get(view.doc)?.close();
    this.reports.delete(view.doc);
    view.dispose();
    this.host.changed();
    return true;
  }

  receive(msg: HostMessage): void {
    switch (msg.type) {
      case 'fs.completions':
        this.prompt.completions(msg.prefix, msg.entries);
        return;
      case 'recent.listed':
        this.prompt.recent(msg.paths);
        return;
      case 'nb.output':
        this.streams.get(msg.stream)?.output.output(msg.stream, msg.data);
        return;
      case 'nb.stream.end':
        this.streams.get(msg.stream)?.output.end(msg.stream, msg.status, msg.dropped);
        this.streams.delete(msg.stream);
        return;
      case 'nb.report':
        this.reports.get(msg.doc)?.show(msg.html);
        return;
      case 'nb.exported':
        this.views.get(msg.doc)?.say(`Report written to ${msg.file}`);
        this.reports.get(msg.doc)?.exported(msg.file);
        return;
      default:
        break;
    }
    if (!('doc' in msg)) return;
    const view = this.views.get(msg.doc);
    if (!view) return;
    if (msg.type === 'nb.stream') this.streams.set(msg.stream, view);
    if (msg.type === 'nb.opened') this.host.changed();
    view.receive(msg);
  }

  private showReport(view: NotebookView): void {
    let report = this.reports.get(view.doc);
    if (!report) {
      report = new ReportView(view.element, {
        exportHtml: () => this.host.send({ type: 'nb.export', doc: view.doc }),
        print: () => (this.host.printsToPdf() ? this.host.send({ type: 'nb.pdf', doc: view.doc }) : window.print()),
        openLink: (url) => this.host.openLink(url),
      });
      this.reports.set(view.doc, report);
    }
    report.loading();
    this.host.send({ type: 'nb.report', doc: view.doc });
  }

  reportOf(doc: number): ReportView | null {
    return this.reports.get(doc) ?? null;
  }
}
