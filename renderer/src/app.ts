// The application: routes host messages to panes, runs key actions, applies
// settings live, and saves/restores the session. SSH panes never connect
// unasked: restored ones, and those whose ssh ended, wait for Enter.

import type { HeldSessionRef, HostMessage, KeyAction, SessionLayout, Settings, SettingsProblem, TabLayout } from '../../main/protocol.js';
import type { Banners } from './workspace/banner.js';
import { WordCompletion } from './terminal/completion.js';
import { clampZoomLevel, watchDevicePixelRatio, zoomedFontPixels } from './terminal/dpi.js';
import { FindBar } from './terminal/find-bar.js';
import { HostPicker } from './workspace/host-picker.js';
import { chooseRenderer, type RendererChoice } from './terminal/gpu.js';
import { webglDevice } from './terminal/webgl-device.js';
import { KeyMap } from './workspace/keybindings.js';
import { leaf, mapPanes, panesOf } from './workspace/layout.js';
import { SessionSaver } from './workspace/session.js';
import { fromPaneLayout, lastLines, toPaneLayout } from './workspace/session-layout.js';
import { TerminalPane, type PaneHost, type TerminalLook } from './terminal/terminal-pane.js';
import { SendDialog } from './terminal/send-dialog.js';
import { installTestHook } from './test-hook.js';
import { themeOf } from './terminal/theme.js';
import type { Transport } from './transport/transport.js';
import { checkWebLink } from './transport/web-link.js';
import { Workspace, type Tab, type WorkspacePane } from './workspace/workspace.js';
import type { Notebooks } from './notebook/notebooks.js';
import type { NotebookView } from './notebook/notebook-view.js';
import type { NotebookInfo } from './test-hook-types.js';

/** Serialized scrollback kept per pane in the saved session. */
export const SAVED_SCROLLBACK_LINES = 2000;

export interface AppElements {
  tabBar: HTMLElement;
  tabList: HTMLElement;
  content: HTMLElement;
  empty: HTMLElement;
  newTabButton: HTMLElement;
  banners: Banners;
}

/** A host name as text in a terminal: a session file edited by hand must not smuggle escape sequences into the pane. */
function printable(text: string): string {
  return Array.from(text, (ch) => {
    const code = ch.codePointAt(0)!;
    return code < 0x20 || (code >= 0x7f && code <= 0x9f) ? '\ufffd' : ch;
  }).join('');
}

function basename(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

export class App implements PaneHost {
  private settings: Settings | null = null;
  /** Which renderer panes use, decided from settings.gpuAcceleration and the WebGL device. */
  private rendererChoice: RendererChoice = { renderer: 'dom', reason: 'no settings yet', device: null };
  private keymap = new KeyMap({});
  private zoomLevel = 0;
  private nextPaneId = 1;
  private readonly panes = new Map<number, TerminalPane>();
  private readonly findBars = new WeakMap<TerminalPane, FindBar>();
  private readonly completion = new WordCompletion();
  private readonly workspace: Workspace;
  private readonly saver: SessionSaver;
  private readonly banners: Banners;
  private readonly hostPicker: HostPicker;
  private welcomed = false;
  /** Loaded with Monaco when the first notebook opens. */
  private notebooks: Notebooks | null = null;
  private notebooksLoading: Promise<Notebooks> | null = null;
  private readonly overlayParent: HTMLElement;
  private readonly sendDialog: SendDialog;
  /** Where the last commands went: offered first next time. */
  private lastNotebookTarget: string | null = null;
  /** Electron prints reports to PDF itself; a browser prints them with its own dialog. */
  private hostKind: 'electron' | 'web' = 'web';

  constructor(private readonly transport: Transport, elements: AppElements) {
    this.banners = elements.banners;
    this.overlayParent = elements.content;
    this.sendDialog = new SendDialog(elements.content);
    this.workspace = new Workspace(elements.tabBar, elements.tabList, elements.content, elements.empty, {
      changed: () => this.saver.changed(),
      newTabRequested: () => this.newTab(),
      closeTabRequested: (tab) => this.closeTab(tab),
    });
    this.saver = new SessionSaver(
      () => this.snapshot(),
      (layout) => this.transport.send({ type: 'session.save', layout }),
    );
    this.hostPicker = new HostPicker(elements.content, {
      pick: (host) => this.newSshTab(host),
      cancelled: () => this.workspace.active?.focused.focus(),
    });
    elements.newTabButton.addEventListener('click', () => this.newTab());
    // Chords pressed outside a terminal (tab bar, empty window) still work.
    document.addEventListener('keydown', (ev) => {
      if (ev.defaultPrevented || (ev.target instanceof Element && ev.target.closest('.pane'))) return;
      const action = this.keymap.actionFor(ev);
      if (!action) return;
      ev.preventDefault();
      this.runAction(action, this.workspace.active?.focused ?? null);
    });
    watchDevicePixelRatio((_dpr, missedByEvents) => {
      // xterm re-measures and re-rasterizes on the same media-query and
      // resize events; when they did not fire, a synthetic resize lets its
      // own monitor see the new ratio (the grid is untouched: panes re-fit
      // only when their container changes size).
      if (missedByEvents) window.dispatchEvent(new Event('resize'));
      for (const pane of this.panes.values()) pane.rerasterize();
    });
    installTestHook(
      this.workspace,
      () => this.welcomed && this.workspace.tabs.length > 0,
      () => this.rendererChoice,
      () => this.transport.route,
      () => this.hostPicker.view(),
      () => this.notebookInfo(),
      () => {
        const v = this.activeNotebook();
        return v ? { path: v.path, lines: v.tokens() } : null;
      },
    );
    // A notebook dropped from a file manager arrives as a file:// URI (browsers hide a dropped file's path otherwise).
    document.addEventListener('dragover', (ev) => {
      if (ev.dataTransfer?.types.includes('text/uri-list') || ev.dataTransfer?.types.includes('Files')) ev.preventDefault();
    });
    document.addEventListener('drop', (ev) => this.dropped(ev));
    window.addEventListener('beforeunload', (ev) => {
      if (this.notebooks?.all().some((v) => v.dirty)) ev.preventDefault();
    });
  }

  start(): void {
    this.transport.onMessage((msg) => this.receive(msg));
    this.transport.onClose((reason) => this.banners.show('connection', 'error', reason));
    this.transport.send({ type: 'hello', protocol: 1 });
  }

  // ------------------------------------------------------------ host messages

  private receive(msg: HostMessage): void {
    switch (msg.type) {
      case 'welcome':
        this.hostKind = msg.host;
        this.welcome(msg.settings, msg.settingsFile, msg.settingsProblems, msg.session, msg.open);
        break;
      case 'notebook.open':
        void this.openNotebook(msg.path);
        break;
      case 'term.created': {
        const pane = this.panes.get(msg.id);
        if (!pane) break;
        pane.started = true;
        pane.shell = basename(msg.shell);
        if (pane.ssh === null) pane.cwd = msg.cwd;
        const p = pane;
        pane.shellStarted(msg.marks, {
          copy: (text) => void navigator.clipboard.writeText(text).catch((e: unknown) => this.clipboardRefused('copy', e)),
          send: (cmd) => void this.sendToNotebook(p, cmd.seq),
        });
        this.workspace.updateTitles();
        this.saver.changed();
        break;
      }
      case 'term.command':
        this.panes.get(msg.id)?.commands?.numbered(msg.seq, msg.command, msg.exitCode);
        break;
      case 'term.sent':
        this.lastNotebookTarget = msg.path;
        this.banners.show('sent', 'info', `${msg.count} command${msg.count === 1 ? '' : 's'} appended to ${msg.path}`);
        break;
      case 'term.recording':
        this.panes.get(msg.id)?.setRecording(msg.path);
        break;
      case 'term.held':
        this.held(msg);
        break;
      case 'term.data':
        this.panes.get(msg.id)?.write(msg.data);
        this.saver.output();
        break;
      case 'term.exit': {
        const pane = this.panes.get(msg.id);
        if (!pane) break;
        pane.exited = true;
        if (pane.ssh !== null) this.sshEnded(pane, msg.exitCode, msg.signal);
        else this.closePane(pane);
        break;
      }
      case 'term.cwd': {
        const pane = this.panes.get(msg.id);
        if (!pane) break;
        pane.cwd = msg.cwd;
        this.saver.changed();
        break;
      }
      case 'settings.changed':
        this.applySettings(msg.settings);
        this.showSettingsProblems(msg.settingsProblems);
        break;
      case 'hosts.listed':
        this.hostPicker.setHosts(msg.hosts, msg.problems);
        break;
      case 'action':
        this.runAction(msg.action, this.workspace.active?.focused ?? null);
        break;
      default:
        if (msg.type.startsWith('nb.') || msg.type.startsWith('fs.') || msg.type.startsWith('recent.')) void this.withNotebooks((n) => n.receive(msg));
        break;
      case 'error': {
        this.banners.show('host-error', 'error', 'The Modus host reported an error', [msg.ref ? `${msg.message} (${msg.ref})` : msg.message]);
        // An SSH tab the host would not open: say so in the pane, which can try again.
        const pane = /^term:\d+$/.test(msg.ref ?? '') ? this.panes.get(Number(msg.ref!.slice(5))) : undefined;
        if (pane && pane.ssh !== null && pane.requested && !pane.started && !pane.exited) {
          pane.exited = true;
          pane.waitForEnter(`\x1b[31m${printable(msg.message)}\x1b[0m\r\n${this.reconnectLine(pane.ssh, 'try again')}`, () => this.connect(pane));
        }
        break;
      }
    }
  }

  private welcome(settings: Settings, settingsFile: string, problems: SettingsProblem[], session: SessionLayout | null, open: string[]): void {
    if (this.welcomed) return;
    this.applySettings(settings);
    this.showSettingsProblems(problems, settingsFile);
    if (session && session.tabs.length > 0) this.restore(session);
    else if (open.length === 0) this.newTab();
    // Notebooks named on the command line open too, the first one in front.
    open.forEach((path, i) => void this.openNotebook(path, i === 0));
    this.welcomed = true;
    this.saver.enable();
    this.saver.changed();
  }

  // ------------------------------------------------------------ settings

  private look(): TerminalLook {
    const s = this.settings!;
    return {
      fontFamily: s.fontFamily,
      fontSizePx: zoomedFontPixels(s.fontSize, this.zoomLevel),
      theme: themeOf(s.palette, s.opacity),
      scrollback: s.scrollback,
      renderer: this.rendererChoice.renderer,
    };
  }

  private applySettings(settings: Settings): void {
    this.settings = settings;
    const choice = chooseRenderer(settings.gpuAcceleration, webglDevice);
    if (choice.renderer !== this.rendererChoice.renderer || choice.reason !== this.rendererChoice.reason) console.info(`modus: ${choice.renderer === 'webgl' ? 'WebGL' : 'DOM'} renderer: ${choice.reason}`);
    this.rendererChoice = choice;
    this.keymap = new KeyMap(settings.keybindings);
    if (this.keymap.problems.length > 0) this.banners.show('keybindings', 'warning', 'Some key bindings could not be used', this.keymap.problems);
    else this.banners.dismiss('keybindings');
    const look = this.look();
    document.documentElement.style.setProperty('--terminal-background', String(look.theme.background));
    document.documentElement.style.setProperty('--terminal-foreground', String(look.theme.foreground));
    for (const pane of this.panes.values()) pane.applyLook(look);
  }

  private showSettingsProblems(problems: SettingsProblem[], file?: string): void {
    if (problems.length === 0) {
      this.banners.dismiss('settings');
      return;
    }
    const where = file ?? problems[0]!.file;
    this.banners.show(
      'settings',
      'error',
      `Problems in ${where} (the other settings are applied):`,
      problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`),
    );
  }

  // ------------------------------------------------------------ panes and tabs

  private newPane(cwd: string | null, ssh: string | null = null, session: { ref: HeldSessionRef; name: string } | null = null): TerminalPane {
    const held = session ? { ...session, handBack: (p: TerminalPane) => this.transport.send({ type: 'term.handBack', id: p.id }) } : null;
    const pane = new TerminalPane(this.nextPaneId++, this, this.look(), cwd, ssh, held);
    this.panes.set(pane.id, pane);
    return pane;
  }

  /**
   * "Open session in terminal": a tab holding the `:session` shell `name` of
   * block `ref.block` (on `ref.host`); the tab that already holds it, if one does.
   */
  private openSessionTab(ref: HeldSessionRef, name: string): void {
    if (!this.settings) return;
    for (const pane of this.panes.values()) {
      const h = pane.held;
      if (!h || h.ref.doc !== ref.doc || h.ref.host !== ref.host || h.name !== name) continue;
      const tab = this.workspace.tabOf(pane);
      if (tab) this.workspace.activate(this.workspace.tabs.indexOf(tab));
      pane.focus();
      // Handed back earlier: the same tab takes it over again.
      if (h.bar.view.state === 'ended') {
        h.ref = ref; // the block as it is numbered now
        pane.enterNow();
      }
      return;
    }
    const pane = this.newPane(null, null, { ref, name });
    this.workspace.addTab(leaf(pane));
    pane.create();
    pane.focus();
  }

  /** Where a held session stands; once it is handed back the pane says so, and Enter takes it over again. */
  private held(msg: Extract<HostMessage, { type: 'term.held' }>): void {
    const pane = this.panes.get(msg.id);
    if (!pane?.held) return;
    pane.showHeld(msg);
    pane.started = msg.state !== 'waiting';
    this.workspace.updateTitles();
    if (msg.state !== 'ended') return;
    pane.exited = true;
    pane.waitForEnter(`\r\n\x1b[2m──── ${printable(msg.message ?? 'handed back')} ────\x1b[0m\r\n\x1b[2mPress Enter to take session ${printable(pane.held.name)} over again${this.settings ? `, ${this.settings.keybindings.closeTab} to close` : ''}\x1b[0m\r\n`, () => this.connect(pane));
    // Back to the notebook whose blocks now run in it.
    const tab = this.workspace.tabOf(pane);
    const notebook = this.notebooks?.all().find((v) => v.doc === pane.held!.ref.doc);
    if (tab && tab === this.workspace.active && notebook) {
      const nbTab = this.workspace.tabOf(notebook);
      if (nbTab) this.workspace.activate(this.workspace.tabs.indexOf(nbTab));
    }
  }

  /** A new tab with the user's shell in their home directory. */
  newTab(): void {
    if (!this.settings) return;
    const pane = this.newPane(null);
    this.workspace.addTab(leaf(pane));
    pane.create();
    pane.focus();
  }

  /** A new tab running `ssh HOST`; it connects at once (the user asked). */
  newSshTab(host: string): void {
    if (!this.settings) return;
    const pane = this.newPane(null, host);
    this.workspace.addTab(leaf(pane));
    pane.create();
    pane.focus();
  }

  /** Connects an SSH pane: the first time under its own id, again under a new one (the host takes each id once). */
  private connect(pane: TerminalPane): void {
    if (!this.panes.has(pane.id)) return;
    if (pane.requested) {
      this.panes.delete(pane.id);
      pane.rebind(this.nextPaneId++);
      this.panes.set(pane.id, pane);
    }
    pane.title = '';
    this.workspace.updateTitles();
    pane.create();
  }

  private sshEnded(pane: TerminalPane, exitCode: number, signal: number | null): void {
    const how = signal !== null ? `killed by signal ${signal}` : `exit status ${exitCode}`;
    pane.waitForEnter(`\r\n\x1b[2m──── ssh ${printable(pane.ssh!)} ended (${how}) ────\x1b[0m\r\n${this.reconnectLine(pane.ssh!, 'reconnect')}`, () => this.connect(pane));
    this.saver.changed();
  }

  private reconnectLine(host: string, verb: string): string {
    const close = this.settings?.keybindings.closeTab;
    return `\x1b[2mSSH to ${printable(host)} — press Enter to ${verb}${close ? `, ${close} to close` : ''}\x1b[0m\r\n`;
  }

  private split(pane: TerminalPane, direction: 'row' | 'column'): void {
    if (pane.ssh !== null) {
      // Beside an SSH pane, another session to the same host (its cwd is the remote one, not a directory here).
      const added = this.newPane(null, pane.ssh);
      this.workspace.split(pane, added, direction);
      added.create();
      return;
    }
    // The new pane starts where the current one is, when the shell told us (OSC 7).
    const added = this.newPane(pane.cwd);
    this.workspace.split(pane, added, direction);
    added.create();
  }

  private closePane(pane: TerminalPane): void {
    if (!this.panes.has(pane.id)) return;
    this.panes.delete(pane.id);
    this.workspace.remove(pane);
    pane.dispose();
  }

  private closeTab(tab: Tab): void {
    for (const pane of panesOf(tab.tree)) {
      if (pane instanceof TerminalPane) this.closePane(pane);
      else this.closeNotebook(pane);
    }
  }

  // ------------------------------------------------------------ notebooks

  private withNotebooks(fn: (n: Notebooks) => void): Promise<void> {
    if (this.notebooks) {
      fn(this.notebooks);
      return Promise.resolve();
    }
    this.notebooksLoading ??= import('./notebook/notebooks.js').then(({ Notebooks }) => {
      this.notebooks = new Notebooks(
        {
          send: (m) => this.transport.send(m),
          addTab: (view) => {
            this.workspace.addTab(leaf(view));
            view.focus();
          },
          titleChanged: () => {
            this.workspace.updateTitles();
            this.saver.changed();
          },
          focused: (view) => this.workspace.focused(view),
          openLink: (url) => this.openLink(url),
          changed: () => this.saver.changed(),
          printsToPdf: () => this.hostKind === 'electron',
          openSession: (ref, name) => this.openSessionTab(ref, name),
        },
        this.overlayParent,
      );
      return this.notebooks;
    });
    return this.notebooksLoading.then(fn, (e: unknown) => {
      this.banners.show('notebooks', 'error', 'The notebook editor could not be loaded', [String((e as Error)?.message ?? e)]);
    });
  }

  /** Opens a notebook in a tab of its own (or shows the tab that has it). */
  private openNotebook(path: string, activate = true): Promise<void> {
    return this.withNotebooks((n) => {
      const before = this.workspace.activeTabIndex;
      const view = n.open(path);
      const tab = this.workspace.tabOf(view);
      if (tab && activate) this.workspace.activate(this.workspace.tabs.indexOf(tab));
      else if (!activate && before >= 0) this.workspace.activate(before);
    });
  }

  private closeNotebook(pane: WorkspacePane): void {
    const view = this.notebooks?.viewOf(pane);
    if (!view || !this.notebooks!.close(view)) return;
    this.workspace.remove(view);
  }

  private dropped(ev: DragEvent): void {
    const uris = ev.dataTransfer?.getData('text/uri-list') ?? '';
    const paths = uris
      .split(/\r?\n/)
      .filter((l) => l.startsWith('file://'))
      .map((l) => decodeURIComponent(new URL(l).pathname));
    if (paths.length === 0) {
      if (ev.dataTransfer?.files.length) {
        ev.preventDefault();
        this.banners.show('drop', 'warning', 'The browser does not tell Modus where a dropped file is', ['Drop it from a file manager, or open it with the Open notebook prompt (' + (this.settings?.keybindings.openNotebook ?? 'Ctrl+Shift+M') + ').']);
      }
      return;
    }
    ev.preventDefault();
    for (const p of paths) void this.openNotebook(p);
  }

  private activeNotebook(): NotebookView | null {
    return this.notebooks?.viewOf(this.workspace.active?.focused) ?? null;
  }

  private notebookInfo(): NotebookInfo[] {
    const active = this.activeNotebook();
    return (this.notebooks?.all() ?? []).map((v) => {
      const report = this.notebooks!.reportOf(v.doc);
      const a = v.analysis();
      return {
        doc: v.doc,
        path: v.path,
        name: v.name,
        active: v === active,
        dirty: v.dirty,
        trusted: v.trusted,
        readOnly: v.readOnly,
        text: v.text,
        version: v.version,
        cursor: v.cursor(),
        analysedVersion: a?.version ?? null,
        blocks: (a?.blocks ?? []).map((b) => ({ number: b.number, startLine: b.startLine, run: b.run?.state ?? null, status: v.statusLabel(b), results: b.results.map((r) => r.status), stale: b.stale.length > 0 })),
        problems: (a?.problems ?? []).map((p) => `${p.line}:${p.column} ${p.message}`),
        notices: [...v.notices],
        output: { entries: v.output.entriesShown(), text: v.output.visibleText() },
        reportOpen: report?.open ?? false,
        reportText: report?.text() ?? '',
        pending: v.pending.shown(),
      };
    });
  }

  // ------------------------------------------------------------ session

  private snapshot(): SessionLayout {
    const tabs: TabLayout[] = [];
    let activeTab = 0;
    this.workspace.tabs.forEach((tab, i) => {
      // A notebook's session held in a terminal belongs to this run of the app: it is not restored.
      if (panesOf(tab.tree).every((p) => p instanceof TerminalPane && p.held !== null)) return;
      if (i === this.workspace.activeTabIndex) activeTab = tabs.length;
      const notebook = this.notebooks?.viewOf(tab.focused);
      if (notebook) {
        tabs.push({ notebook: notebook.path });
        return;
      }
      tabs.push({
        root: toPaneLayout(tab.tree, (p) => {
          const pane = p as TerminalPane;
          return { cwd: pane.cwd, title: pane.held ? '' : pane.title, scrollback: pane.serialize(SAVED_SCROLLBACK_LINES), ssh: pane.ssh };
        }),
      });
    });
    return { version: 1, tabs, activeTab };
  }

  private restore(session: SessionLayout): void {
    const when = new Date().toLocaleString();
    for (const saved of session.tabs) {
      if ('notebook' in saved) {
        void this.openNotebook(saved.notebook, false);
        continue;
      }
      const restored = new Map<TerminalPane, string>();
      const tree = mapPanes(fromPaneLayout(saved.root), (s) => {
        const pane = this.newPane(s.cwd, s.ssh);
        // A remote title belongs to a connection that is gone.
        if (s.ssh === null) pane.title = s.title;
        restored.set(pane, s.scrollback);
        return pane;
      });
      this.workspace.addTab(tree);
      for (const [pane, scrollback] of restored) {
        if (scrollback !== '') {
          // Local text, not from the pty: written without acknowledgement.
          pane.writeLocal(lastLines(scrollback, SAVED_SCROLLBACK_LINES));
          pane.writeLocal(`\x1b[0m\r\n\x1b[2m──── restored from the previous session, ${when} ────\x1b[0m\r\n`);
        }
        if (pane.ssh !== null) pane.waitForEnter(this.reconnectLine(pane.ssh, 'connect'), () => this.connect(pane));
        else pane.create();
      }
    }
    this.workspace.activate(Math.min(session.activeTab, this.workspace.tabs.length - 1));
  }

  // ------------------------------------------------------------ PaneHost

  send: PaneHost['send'] = (msg) => this.transport.send(msg);

  actionFor(ev: KeyboardEvent): KeyAction | null {
    return this.terminalActionFor(ev);
  }

  focused(pane: TerminalPane): void {
    this.workspace.focused(pane);
  }

  /** A chord pressed in a terminal: notebook-only chords (Ctrl+S…) stay the shell's there. */
  private terminalActionFor(ev: KeyboardEvent): KeyAction | null {
    const action = this.keymap.actionFor(ev);
    return action === 'saveNotebook' || action === 'runAll' || action === 'stopRuns' ? null : action;
  }

  titleChanged(_pane: TerminalPane): void {
    this.workspace.updateTitles();
    this.saver.changed();
  }

  userInput(_pane: TerminalPane): void {
    this.completion.reset();
  }

  openLink(url: string): void {
    const checked = checkWebLink(url);
    if (!checked.ok) {
      this.banners.show('link', 'warning', 'A link was not opened', [checked.reason]);
      return;
    }
    this.banners.dismiss('link');
    this.transport.openLink(checked.url);
  }

  private notebookAction(action: KeyAction, view: NotebookView): void {
    switch (action) {
      case 'closeTab':
        this.closeNotebook(view);
        return;
      case 'saveNotebook':
        view.save();
        return;
      case 'runAll':
        view.runAll();
        return;
      case 'stopRuns':
        view.stop();
        return;
      default:
        return; // terminal actions (split, copy, find…) belong to terminals; the editor has its own
    }
  }

  runAction(action: KeyAction, pane: WorkspacePane | null): void {
    if (action !== 'complete') this.completion.reset();
    switch (action) {
      case 'newTab':
        this.newTab();
        return;
      case 'newSshTab':
        this.hostPicker.open();
        this.transport.send({ type: 'hosts.list' });
        return;
      case 'nextTab':
        this.workspace.cycle(1);
        return;
      case 'previousTab':
        this.workspace.cycle(-1);
        return;
      case 'focusNextPane':
        this.workspace.focusNext();
        return;
      case 'zoomIn':
      case 'zoomOut':
      case 'zoomReset':
        this.zoom(action);
        return;
      case 'openNotebook':
        void this.withNotebooks((n) => n.prompt.show());
        return;
    }
    const notebook = this.notebooks?.viewOf(pane);
    if (notebook) {
      this.notebookAction(action, notebook);
      return;
    }
    if (!(pane instanceof TerminalPane)) return;
    switch (action) {
      case 'closeTab':
        this.closePane(pane);
        return;
      case 'copy':
        this.copy(pane);
        return;
      case 'paste':
        this.pasteFromClipboard(pane);
        return;
      case 'find':
        this.findBarOf(pane).open();
        return;
      case 'splitRight':
        this.split(pane, 'row');
        return;
      case 'splitDown':
        this.split(pane, 'column');
        return;
      case 'complete':
        this.completion.complete(pane, [...this.panes.values()]);
        return;
      case 'previousCommand':
      case 'nextCommand':
        pane.commands?.jump(action === 'previousCommand' ? -1 : 1);
        return;
      case 'sendToNotebook':
        void this.sendToNotebook(pane, null);
        return;
      case 'recordToNotebook':
        void this.toggleRecording(pane);
        return;
    }
  }

  /** The notebooks a terminal's commands can go to: the one used last, then the open ones. */
  private notebookTargets(): string[] {
    const open = this.notebooks?.all().map((v) => v.path) ?? [];
    return [...new Set([...(this.lastNotebookTarget ? [this.lastNotebookTarget] : []), ...open])];
  }

  private suggestedTarget(pane: TerminalPane): string {
    const first = this.notebookTargets()[0];
    if (first) return first;
    const dir = pane.cwd ?? '~';
    return `${dir.replace(/\/$/, '')}/notes-${new Date().toISOString().slice(0, 10)}.md`;
  }

  private noIntegration(pane: TerminalPane): boolean {
    if (pane.commands) return false;
    this.banners.show('commands', 'warning', 'This terminal does not know its commands', [
      'Shell integration needs bash or zsh started by Modus with "shellIntegration" on; in SSH tabs, "sshShellIntegration" on and bash or zsh as the remote login shell. Open a new tab after turning it on.',
    ]);
    return true;
  }

  private async sendToNotebook(pane: TerminalPane, picked: number | null): Promise<void> {
    if (this.noIntegration(pane)) return;
    const commands = pane.commands!.list.filter((c) => c.seq !== null).slice(-30).map((c) => ({ seq: c.seq!, command: c.command, exitCode: c.exitCode }));
    const choice = await this.sendDialog.ask('send', commands, this.notebookTargets(), this.suggestedTarget(pane), picked);
    if (choice) this.transport.send({ type: 'term.toNotebook', id: pane.id, seqs: choice.seqs, path: choice.path });
    pane.focus();
  }

  private async toggleRecording(pane: TerminalPane): Promise<void> {
    if (this.noIntegration(pane)) return;
    if (pane.recording !== null) {
      this.transport.send({ type: 'term.record', id: pane.id, path: null });
      return;
    }
    const choice = await this.sendDialog.ask('record', [], this.notebookTargets(), this.suggestedTarget(pane), null);
    if (choice) {
      this.lastNotebookTarget = choice.path;
      this.transport.send({ type: 'term.record', id: pane.id, path: choice.path });
    }
    pane.focus();
  }

  /** UI zoom: the font scales by 1.1 per step and the grid re-fits (same in both hosts). */
  private zoom(action: 'zoomIn' | 'zoomOut' | 'zoomReset'): void {
    if (!this.settings) return;
    this.zoomLevel = action === 'zoomReset' ? 0 : clampZoomLevel(this.zoomLevel + (action === 'zoomIn' ? 1 : -1));
    const look = this.look();
    for (const pane of this.panes.values()) pane.applyLook(look);
  }

  private copy(pane: TerminalPane): void {
    const text = pane.term.getSelection();
    if (text === '') return;
    navigator.clipboard.writeText(text).catch((e: unknown) => this.clipboardRefused('copy', e));
  }

  private pasteFromClipboard(pane: TerminalPane): void {
    navigator.clipboard
      .readText()
      .then((text) => pane.paste(text))
      .catch((e: unknown) => this.clipboardRefused('paste', e));
  }

  private clipboardRefused(what: 'copy' | 'paste', e: unknown): void {
    this.banners.show('clipboard', 'warning', `The browser refused clipboard access for ${what}`, [
      `${(e as Error).message ?? String(e)}`,
      what === 'paste' ? 'Allow clipboard access for this page, or paste with the browser menu or a middle click.' : 'Allow clipboard access for this page, or copy with the browser menu.',
    ]);
  }

  private findBarOf(pane: TerminalPane): FindBar {
    let bar = this.findBars.get(pane);
    if (!bar) {
      bar = new FindBar(pane.element, pane.search, () => pane.focus());
      this.findBars.set(pane, bar);
    }
    return bar;
  }
}
