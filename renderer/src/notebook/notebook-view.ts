// A notebook tab: the whole Markdown text in Monaco (the document is the
// text), block actions and statuses from the host's analysis, a toolbar (Run
// all, Stop, Save, Variables, Report), the trust banner, the variables
// panel, the live output panel, and the dialogs a run needs (:confirm, a
// password ssh asks for, a change on disk while there are unsaved edits).
// While a modal dialog is up it has the keyboard: the view hands it the
// focus whenever it is shown, takes it back from anything else in the view,
// and lets no key or text reach the editor (a passphrase typed there would
// be in the notebook).

import type * as Monaco from 'monaco-editor/editor/editor.api.js';
import type { BlockView, ClientMessage, HostMessage, NotebookAnalysis, RunSelection } from '../../../main/protocol.js';
import type { Attention, WorkspacePane } from '../workspace/workspace.js';
import { attachBlockActions, blockDecorations, blockStatus, lensSignature, refreshLenses, type BlockActionTarget, type LensWindow } from './block-actions.js';
import { nextLensWindow } from './lens-window.js';
import { EditorSync } from './editor-sync.js';
import { NOTEBOOK_LANGUAGE } from './notebook-language.js';
import { OutputPanel } from './output-panel.js';
import { StatusDecorations } from './status-decorations.js';
import { ConfirmDialog, ConflictView, RunOnDialog, SecretDialog } from './notebook-dialogs.js';
import type { ModalLayer } from './modal-layer.js';
import { VariablesPanel } from './variables-panel.js';
import { PendingCommitsStrip } from './pending-commits.js';

export interface NotebookViewHost {
  send(msg: ClientMessage): void;
  titleChanged(view: NotebookView): void;
  focused(view: NotebookView): void;
  /** The report of this notebook (sanitised HTML from the host) in a view of its own. */
  showReport(view: NotebookView): void;
  /** A terminal tab holding block `block`'s session `name` on `host`. */
  openSession(view: NotebookView, block: number, host: string, name: string): void;
}

type Opened = Extract<HostMessage, { type: 'nb.opened' }>;

export class NotebookView implements WorkspacePane, BlockActionTarget {
  readonly element: HTMLElement;
  path: string;
  name: string;
  dirty = false;
  trusted = false;
  readOnly = false;
  private editor: Monaco.editor.IStandaloneCodeEditor | null = null;
  private model: Monaco.editor.ITextModel | null = null;
  private sync: EditorSync | null = null;
  private current: NotebookAnalysis | null = null;
  private statuses: StatusDecorations | null = null;
  /** The lenses the editor was last asked to show (lensSignature). */
  private lensesShown = '';
  /** Lines whose blocks have lenses (lens-window.ts). */
  private lenses: LensWindow | null = null;
  private folded = false;
  /** Blocks whose results were there at open and are not folded yet: they are folded as they come near the screen. */
  private toFold = new Set<number>();
  private disposables: Monaco.IDisposable[] = [];
  private nextRun = 1;
  private tick: number | null = null;
  private readonly editorHost: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly statusLine: HTMLElement;
  private readonly keepGoing: HTMLInputElement;
  readonly output: OutputPanel;
  private readonly variables: VariablesPanel;
  private readonly conflict: ConflictView;
  private readonly confirmDialog: ConfirmDialog;
  /** Once a dialog that had the keyboard is answered, the editor has it again. */
  private readonly backToEditor = { closed: () => this.focus() };
  /** A password asked marks the tab while it is behind (attention): the tab's title is drawn again when one is asked or answered. */
  private readonly secretDialog = new SecretDialog({ ...this.backToEditor, changed: () => this.host.titleChanged(this) });
  private readonly runOnDialog = new RunOnDialog(this.backToEditor);
  /** Commits confirmed pending on this notebook's devices: countdowns, Confirm, Roll back now. */
  readonly pending: PendingCommitsStrip;
  /** Runs started here and not yet done. */
  readonly activeRuns = new Set<number>();
  /** Messages shown in the notice strip (tests read them). */
  readonly notices: string[] = [];

  constructor(
    readonly doc: number,
    requestedPath: string,
    private readonly monaco: typeof Monaco,
    private readonly host: NotebookViewHost,
  ) {
    this.path = requestedPath;
    this.name = requestedPath.split('/').pop() || requestedPath;
    this.element = document.createElement('div');
    this.element.className = 'nb-view';
    this.element.dataset.doc = String(doc);

    const toolbar = document.createElement('div');
    toolbar.className = 'nb-toolbar';
    const button = (label: string, title: string, action: () => void, cls: string): HTMLButtonElement => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.title = title;
      b.className = `nb-button ${cls}`;
      b.addEventListener('click', action);
      toolbar.append(b);
      return b;
    };
    button('▶ Run all', 'Run every block in order (stops at the first that does not pass unless "keep going")', () => this.runAll(), 'nb-run-all');
    button('■ Stop', 'Stop the runs of this notebook', () => this.stop(), 'nb-stop');
    const keep = document.createElement('label');
    keep.className = 'nb-keep-going';
    this.keepGoing = document.createElement('input');
    this.keepGoing.type = 'checkbox';
    keep.append(this.keepGoing, ' keep going');
    toolbar.append(keep);
    button('Save', 'Save (Ctrl+S)', () => this.save(), 'nb-save');
    button('Variables', 'Show the variables panel', () => this.variables.toggle(), 'nb-vars-toggle');
    button('Report', 'The notebook as a report', () => this.host.showReport(this), 'nb-report-button');
    this.statusLine = document.createElement('span');
    this.statusLine.className = 'nb-status-line';
    toolbar.append(this.statusLine);

    this.banner = document.createElement('div');
    this.banner.className = 'nb-trust';
    this.banner.hidden = true;
    this.notice = document.createElement('div');
    this.notice.className = 'nb-notice';
    this.notice.hidden = true;
    this.notice.setAttribute('role', 'status');

    const body = document.createElement('div');
    body.className = 'nb-body';
    this.editorHost = document.createElement('div');
    this.editorHost.className = 'nb-editor';
    this.variables = new VariablesPanel((vars) => this.host.send({ type: 'nb.vars', doc: this.doc, vars }));
    body.append(this.editorHost, this.variables.element);
    this.output = new OutputPanel((m) => this.host.send(m));
    this.conflict = new ConflictView(monaco, (take) => this.host.send({ type: 'nb.resolve', doc: this.doc, take }));
    this.confirmDialog = new ConfirmDialog(this.backToEditor);
    this.pending = new PendingCommitsStrip({
      settle: (host, action) => this.settle(host, action),
      askRollback: (p) =>
        this.confirmDialog
          .askAbout({
            title: `Roll back ${p.host} now?`,
            where: `junos on ${p.host}: the configuration from before the commit confirmed of block ${p.block}${p.name ? ` (${p.name})` : ''}, committed now; this block and its results are added to the notebook`,
            script: `\`\`\`junos :host ${p.host} :commit rollback\n\`\`\``,
            yes: 'Roll back now',
            no: "Don't roll back",
          })
          .then((a) => a === 'yes'),
      expired: (p) => this.say(`${p.host}: the deadline of the commit confirmed of block ${p.block} passed at ${p.rollbackAt}; unless it was confirmed elsewhere, ${p.host} has rolled it back.`),
    });
    this.element.append(toolbar, this.banner, this.notice, this.pending.element, this.conflict.element, body, this.output.element, this.confirmDialog.element, this.secretDialog.element, this.runOnDialog.element);
    this.element.addEventListener('focusin', (ev) => {
      this.host.focused(this);
      this.keepFocusInDialog(ev);
    });
    // Capture phase, before Monaco's own listeners on its text area see them.
    for (const type of ['keydown', 'keypress', 'beforeinput', 'paste', 'drop', 'compositionstart'] as const) {
      this.element.addEventListener(type, (ev) => this.blockOutsideDialog(ev), true);
    }
  }

  get tabTitle(): string {
    return `${this.dirty ? '● ' : ''}${this.name}`;
  }

  /** A password ssh asks for, while the dialog waits: the tab behind shows it (workspace.ts). */
  get attention(): Attention | null {
    const host = this.secretDialog.host;
    return host === null ? null : { badge: '🔑', says: `asks for a password (ssh to ${host})` };
  }

  /** The modal dialog on top (the last in the view's order among those up), null when none is up. */
  private modal(): ModalLayer | null {
    const layers = [this.confirmDialog.layer, this.secretDialog.layer, this.runOnDialog.layer];
    return layers.filter((l) => l.open).pop() ?? null;
  }

  /** Focus that lands elsewhere in the view (a click, Monaco focusing itself) goes back to the dialog up. */
  private keepFocusInDialog(ev: FocusEvent): void {
    const modal = this.modal();
    if (modal && !(ev.target instanceof Node && modal.element.contains(ev.target))) modal.focus();
  }

  /**
   * Belt and braces to keepFocusInDialog: while a dialog is up, keys and
   * text meant for anything in the view but the dialog are dropped, so none
   * can reach the editor even if it had the focus.
   */
  private blockOutsideDialog(ev: Event): void {
    const modal = this.modal();
    if (!modal || (ev.target instanceof Node && modal.element.contains(ev.target))) return;
    ev.preventDefault();
    ev.stopPropagation();
    modal.focus();
  }

  open(): void {
    // The editor is made when the host sends the text (opened()).
  }

  fit(): void {
    this.editor?.layout();
    this.output.resize();
  }

  /** The dialog up has the focus when there is one (the view is shown again with a question waiting), else the editor. */
  focus(): void {
    if (!this.modal()?.focus()) this.editor?.focus();
  }

  analysis(): NotebookAnalysis | null {
    return this.current;
  }

  /** What the fence line of a block says after it (queued, waiting: why, running Ns, its verdict). */
  statusLabel(b: BlockView): string | null {
    return blockStatus(b)?.label ?? null;
  }

  get text(): string {
    return this.model?.getValue() ?? '';
  }

  get version(): number {
    return this.sync?.currentVersion ?? 0;
  }

  /** The text's tokens as Monaco's tokenizer gives them, per line (for the tests: what colours the editor draws from). */
  tokens(): { offset: number; type: string }[][] {
    if (!this.model) return [];
    return this.monaco.editor.tokenize(this.model.getValue(), NOTEBOOK_LANGUAGE).map((line) => line.map((t) => ({ offset: t.offset, type: t.type })));
  }

  /** Where the cursor is (1-based), and the lines folded now. */
  cursor(): { line: number; column: number } {
    const p = this.editor?.getPosition();
    return { line: p?.lineNumber ?? 0, column: p?.column ?? 0 };
  }

  // ------------------------------------------------------------ host messages

  receive(msg: HostMessage): void {
    switch (msg.type) {
      case 'nb.opened':
        this.opened(msg);
        break;
      case 'nb.analysis':
        this.analysed(msg.analysis);
        break;
      case 'nb.apply':
        this.sync?.apply(msg);
        break;
      case 'nb.state':
        this.dirty = msg.dirty;
        this.trusted = msg.trusted;
        this.showTrust();
        this.element.classList.toggle('dirty', this.dirty);
        this.host.titleChanged(this);
        break;
      case 'nb.conflict':
        if (this.model) this.conflict.show(this.model, msg.diskText, this.name);
        break;
      case 'nb.confirm':
        void this.confirmDialog.ask(msg).then((answer) => this.host.send({ type: 'nb.confirm.answer', doc: this.doc, request: msg.request, answer }));
        break;
      case 'nb.secret':
        void this.secretDialog.ask(msg).then((secret) => this.host.send({ type: 'nb.secret.answer', doc: this.doc, request: msg.request, secret }));
        break;
      case 'nb.pending':
        this.pending.update(msg.pending);
        break;
      case 'nb.run.done': {
        this.activeRuns.delete(msg.run);
        this.pending.runDone(msg.run);
        const c = msg.summary.counts;
        const parts = Object.entries(c).map(([s, n]) => `${n} ${s}`);
        if (msg.summary.notRun > 0) parts.push(`${msg.summary.notRun} not run`);
        this.statusLine.textContent = parts.length > 0 ? `Last run: ${parts.join(', ')}` : 'Nothing ran';
        this.statusLine.dataset.result = c.fail || c.error || c.timeout || c.cancelled || msg.summary.notRun ? 'bad' : 'good';
        break;
      }
      case 'nb.error':
        this.say(msg.message);
        break;
      case 'nb.stream':
        this.output.stream(msg.stream, msg.block, msg.host);
        break;
      default:
        break;
    }
  }

  private opened(msg: Opened): void {
    this.path = msg.path;
    this.name = msg.name;
    this.trusted = msg.trusted;
    this.readOnly = msg.readOnly;
    const monaco = this.monaco;
    this.model = monaco.editor.createModel(msg.text, NOTEBOOK_LANGUAGE, monaco.Uri.from({ scheme: 'modus-notebook', path: `/${this.doc}/${msg.name}` }));
    this.editor = monaco.editor.create(this.editorHost, {
      model: this.model,
      theme: 'modus-dark',
      automaticLayout: true,
      glyphMargin: true,
      folding: true,
      showFoldingControls: 'always',
      readOnly: msg.readOnly,
      wordWrap: 'off',
      minimap: { enabled: false },
      fontSize: 13,
      scrollBeyondLastLine: false,
      renderWhitespace: 'selection',
      unicodeHighlight: { ambiguousCharacters: false },
      links: false,
    });
    this.sync = new EditorSync(this.doc, this.editor, this.model, (m) => this.host.send(m), msg.readOnly);
    this.statuses = new StatusDecorations(this.editor, this.model);
    this.disposables.push(
      attachBlockActions(monaco, this.model, this),
      monaco.languages.registerFoldingRangeProvider(NOTEBOOK_LANGUAGE, {
        provideFoldingRanges: (m) => (m === this.model ? this.foldingRanges() : []),
      }),
    );
    this.disposables.push(this.editor.onDidScrollChange(() => this.moveLensWindow()), this.editor.onDidLayoutChange(() => this.moveLensWindow()));
    this.moveLensWindow();
    this.editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => this.save());
    this.showTrust();
    this.host.titleChanged(this);
  }

  lensWindow(): LensWindow | null {
    return this.lenses;
  }

  /** Lenses follow the viewport: when it leaves the window, the window moves and the lenses are asked for again. */
  private moveLensWindow(): void {
    if (!this.editor || !this.model) return;
    const ranges = this.editor.getVisibleRanges();
    if (ranges.length === 0) return;
    const visible = { start: ranges[0]!.startLineNumber, end: ranges[ranges.length - 1]!.endLineNumber };
    const next = nextLensWindow(this.lenses, visible, this.model.getLineCount());
    if (next === this.lenses) return;
    this.lenses = next;
    this.showLenses();
    this.showStatuses();
    if (this.current) this.foldResults(this.current);
  }

  /** Asking Monaco for the lenses again costs it a pass over every lens: only when what they show changed. */
  private showLenses(): void {
    if (!this.current) return;
    const lenses = lensSignature(this.current, this.lenses);
    if (lenses !== this.lensesShown) {
      this.lensesShown = lenses;
      refreshLenses();
    }
  }

  private foldingRanges(): Monaco.languages.FoldingRange[] {
    const a = this.current;
    if (!a) return [];
    const ranges: Monaco.languages.FoldingRange[] = [];
    for (const b of a.blocks) {
      if (b.endLine > b.startLine) ranges.push({ start: b.startLine, end: b.endLine });
      for (const r of b.results) if (r.endLine > r.startLine) ranges.push({ start: r.startLine, end: r.endLine, kind: this.monaco.languages.FoldingRangeKind.Region });
    }
    return ranges;
  }

  private analysed(a: NotebookAnalysis): void {
    if (!this.model || !this.editor) return;
    // An analysis of an older text would put marks on the wrong lines; a newer one is on its way.
    if (!this.readOnly && a.version !== this.version) return;
    this.current = a;
    const model = this.model;
    this.showStatuses();
    this.monaco.editor.setModelMarkers(
      model,
      'modus',
      a.problems.map((p) => ({
        startLineNumber: p.line,
        startColumn: p.column,
        endLineNumber: p.line,
        endColumn: model.getLineMaxColumn(Math.min(p.line, model.getLineCount())),
        message: `${p.message} [${p.rule}]`,
        severity: p.severity === 'error' ? this.monaco.MarkerSeverity.Error : this.monaco.MarkerSeverity.Warning,
      })),
    );
    this.showLenses();
    this.variables.show(a.variables);
    this.showTrust();
    if (!this.folded) {
      this.folded = true;
      this.toFold = new Set(a.blocks.filter((b) => b.results.some((r) => r.endLine > r.startLine)).map((b) => b.number));
      this.foldResults(a);
    }
    const running = a.blocks.some((b) => b.run !== null);
    // The elapsed time of running blocks: only the statuses change from one second to the next.
    if (running && this.tick === null) this.tick = window.setInterval(() => this.showStatuses(), 1000);
    if (!running && this.tick !== null) {
      window.clearInterval(this.tick);
      this.tick = null;
    }
  }

  /** The statuses of the current analysis on the fence lines. */
  private showStatuses(): void {
    const model = this.model;
    if (!this.current || !model) return;
    // Like the lenses, statuses exist near the screen only: Monaco walks every glyph-margin decoration on each render.
    this.statuses?.set(blockDecorations(this.current, (line) => (line <= model.getLineCount() ? model.getLineMaxColumn(line) : 1), this.lenses));
  }

  /**
   * Results blocks start folded: the code reads as a procedure, the output is
   * one click away. Those near the screen (the lens window) are folded, the
   * others as the screen comes near them: every folded region costs Monaco a
   * lookup on every keystroke (its hidden areas), 5,000 of them ≈ 15 ms a key.
   */
  private foldResults(a: NotebookAnalysis): void {
    if (this.toFold.size === 0) return;
    const w = this.lenses;
    const near = a.blocks.filter((b) => this.toFold.has(b.number) && (!w || (b.startLine >= w.start && b.startLine <= w.end)));
    for (const b of near) this.toFold.delete(b.number);
    const lines = near.flatMap((b) => b.results.filter((r) => r.endLine > r.startLine).map((r) => r.startLine));
    if (lines.length === 0) return;
    // The folding model reads the provider asynchronously; fold once it has the ranges.
    setTimeout(() => this.editor?.trigger('modus', 'editor.fold', { selectionLines: lines.map((l) => l - 1), levels: 1 }), 50);
  }

  private showTrust(): void {
    if (this.trusted) {
      this.banner.hidden = true;
      return;
    }
    this.banner.hidden = false;
    const hosts = this.current?.hosts ?? [];
    const where = hosts.length > 0 ? hosts.join(', ') : 'this machine';
    this.banner.replaceChildren();
    const text = document.createElement('span');
    text.textContent = `This notebook is not trusted: it was opened for the first time here or changed outside Modus. Nothing runs until you trust it. Its blocks run on: ${where}.`;
    const trust = document.createElement('button');
    trust.type = 'button';
    trust.className = 'nb-button nb-trust-button';
    trust.textContent = 'Trust and allow runs';
    trust.addEventListener('click', () => this.host.send({ type: 'nb.trust', doc: this.doc, version: this.version }));
    this.banner.append(text, trust);
  }

  say(message: string): void {
    this.notices.push(message);
    this.notice.hidden = false;
    this.notice.replaceChildren();
    const text = document.createElement('span');
    text.textContent = message;
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'nb-notice-close';
    close.textContent = '×';
    close.title = 'Dismiss';
    close.addEventListener('click', () => (this.notice.hidden = true));
    this.notice.append(text, close);
  }

  // ------------------------------------------------------------ actions

  private startRun(selection: RunSelection): void {
    if (!this.trusted) {
      this.say('This notebook is not trusted yet: read it, then use "Trust and allow runs" above.');
      return;
    }
    const missing = this.variables.missing();
    if (missing.length > 0) {
      this.variables.open();
      this.say(`Set ${missing.join(', ')} in the variables panel first: the blocks use ${missing.length === 1 ? 'it' : 'them'} and the notebook gives no value.`);
      return;
    }
    const run = this.nextRun++;
    this.activeRuns.add(run);
    this.statusLine.textContent = 'Running…';
    delete this.statusLine.dataset.result;
    this.host.send({ type: 'nb.run', doc: this.doc, run, selection, keepGoing: this.keepGoing.checked, vars: this.variables.values() });
  }

  /** Confirm or roll back a pending commit: the host appends the block that does it and runs it. The run's id, or null when nothing was asked. */
  private settle(host: string, action: 'confirm' | 'rollback'): number | null {
    if (!this.trusted) {
      this.say('This notebook is not trusted yet: read it, then use "Trust and allow runs" above.');
      return null;
    }
    const run = this.nextRun++;
    this.activeRuns.add(run);
    this.statusLine.textContent = action === 'confirm' ? `Confirming on ${host}…` : `Rolling back on ${host}…`;
    delete this.statusLine.dataset.result;
    this.host.send({ type: 'nb.settle', doc: this.doc, run, host, action, vars: this.variables.values() });
    return run;
  }

  runAll(): void {
    this.startRun({ kind: 'all' });
  }

  runBlock(number: number): void {
    this.startRun({ kind: 'block', number });
  }

  runOn(number: number): void {
    const block = this.current?.blocks.find((b) => b.number === number);
    const inventory = this.current?.inventory ?? { hosts: [], groups: [] };
    void this.runOnDialog.ask(number, block?.hosts ?? [], inventory).then((hosts) => {
      if (hosts) this.startRun({ kind: 'block', number, hosts });
    });
  }

  runFrom(number: number): void {
    this.startRun({ kind: 'from', number });
  }

  openSession(number: number, host: string): void {
    if (!this.trusted) {
      this.say('This notebook is not trusted yet: read it, then use "Trust and allow runs" above. Its sessions open in a terminal only then.');
      return;
    }
    const name = this.current?.blocks.find((b) => b.number === number)?.session?.name;
    if (name) this.host.openSession(this, number, host, name);
  }

  cancel(runId: number): void {
    this.host.send({ type: 'nb.cancel', doc: this.doc, run: runId });
  }

  stop(): void {
    this.host.send({ type: 'nb.cancel', doc: this.doc, run: null });
  }

  save(): void {
    if (this.readOnly) {
      this.say('This notebook is read-only here; it cannot be saved from the editor.');
      return;
    }
    this.host.send({ type: 'nb.save', doc: this.doc, version: this.version });
  }

  dispose(): void {
    if (this.tick !== null) window.clearInterval(this.tick);
    this.pending.dispose();
    for (const d of this.disposables) d.dispose();
    this.sync?.dispose();
    this.statuses?.dispose();
    this.editor?.dispose();
    this.model?.dispose();
    this.output.dispose();
    this.conflict.dispose();
  }
}
