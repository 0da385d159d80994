// One terminal pane: an xterm.js instance with its addons, bound to one
// backend terminal id. It acknowledges pty bytes only after xterm parsed
// them (flow control), swallows OSC 52, opens only http(s) links through
// the host, and keeps its grid unless its container changes size; after a
// devicePixelRatio change it draws the font a little smaller if the kept
// grid would otherwise stick out of the pane. An SSH pane runs `ssh HOST`;
// while it has no connection (restored, or ssh ended) it waits for Enter.
// A session pane holds a notebook's `:session` shell until handed back.

import { Terminal, type ITheme } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { SerializeAddon } from '@xterm/addon-serialize';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import type { ClientMessage, HeldSessionRef, HostMessage, KeyAction } from '../../../main/protocol.js';
import { HeldBar } from './held-bar.js';
import type { RendererKind } from './gpu.js';
import { preparePaste } from './paste.js';
import { PaneCommands, type CommandMenuActions } from './pane-commands.js';
import { installRenderHooks, type RenderHooks } from './xterm-render-hooks.js';
import { cellAdjustment, NO_ADJUSTMENT } from './cell-snap.js';

/** How a pane looks; derived from settings and the UI zoom. */
export interface TerminalLook {
  fontFamily: string;
  fontSizePx: number;
  theme: ITheme;
  scrollback: number;
  /** The renderer settings and the GPU ask for; the DOM renderer stands in when WebGL fails. */
  renderer: RendererKind;
}

/** What a pane needs from the application around it. */
export interface PaneHost {
  send(msg: ClientMessage): void;
  /** The action bound to this key event, if any. */
  actionFor(ev: KeyboardEvent): KeyAction | null;
  runAction(action: KeyAction, pane: TerminalPane): void;
  focused(pane: TerminalPane): void;
  titleChanged(pane: TerminalPane): void;
  /** Anything typed or pasted by the user (ends a completion cycle). */
  userInput(pane: TerminalPane): void;
  /** A link the user activated; not yet checked. */
  openLink(url: string): void;
}

/**
 * How far below the configured size the font may be drawn to keep the grid
 * inside its pane after a devicePixelRatio change. Snapping cells to whole
 * device pixels costs at most one device pixel per cell, about 10% at a
 * 9 px cell and ratio 1; below this the grid is left to clip until a re-fit.
 */
const MIN_FITTED_FONT_FRACTION = 0.85;
/** The font size search stops at this step (CSS px). */
const FONT_FIT_STEP_PX = 0.01;

/**
 * The glyph size xterm measured, in CSS px. Private: xterm's CharSizeService
 * (Terminal._core._charSizeService) is what both renderers size cells from,
 * and the public API exposes only the cell it made of it.
 */
function measuredChar(term: Terminal): { width: number; height: number } | null {
  const service = (term as unknown as { _core?: { _charSizeService?: { width?: unknown; height?: unknown } } })._core?._charSizeService;
  const width = service?.width;
  const height = service?.height;
  return typeof width === 'number' && typeof height === 'number' && width > 0 && height > 0 ? { width, height } : null;
}

/** Once WebGL failed to load, later panes go straight to the DOM renderer. */
let webglUnavailable = false;

export class TerminalPane {
  readonly element: HTMLDivElement;
  readonly term: Terminal;
  private readonly fitAddon = new FitAddon();
  readonly search = new SearchAddon();
  private readonly serializer = new SerializeAddon();
  private webgl: WebglAddon | null = null;
  private opened = false;
  private created = false;
  private resizeObserver: ResizeObserver | null = null;
  private canvasObserver: ResizeObserver | null = null;
  private fitScheduled = false;
  /** The font size the look asks for (settings and UI zoom), in CSS px; xterm may draw it smaller, see fitFontToGrid. */
  private lookFontPx: number;
  /** Title from OSC 0/2. */
  title = '';
  cwd: string | null;
  shell = '';
  /** performance.now() of the last focus or input: recency for word completion. */
  lastActive = 0;
  exited = false;
  /** term.created arrived for the current terminal id. */
  started = false;
  /** What Enter does while the pane has no terminal (an SSH pane not connected); null otherwise. */
  private onEnter: (() => void) | null = null;
  /** Pty bytes received and acknowledged so far (flow-control accounting, shown to the tests). */
  receivedBytes = 0;
  ackedBytes = 0;
  private wantedRenderer: RendererKind;
  /** Flood render pacing and idle selection redraws (xterm-render-hooks.ts); null if xterm lacks the internals. */
  renderHooks: RenderHooks | null = null;
  /** The shell's commands, when it runs with shell integration (null until the host says so). */
  commands: PaneCommands | null = null;
  /** The notebook this terminal records its commands to, null when not recording. */
  recording: string | null = null;
  private recBadge: HTMLElement | null = null;
  /** A session pane: which notebook session it holds, and the strip saying where the hold stands. */
  readonly held: { ref: HeldSessionRef; name: string; bar: HeldBar } | null;

  /**
   * @param ssh the host of an SSH pane (the tab runs `ssh HOST`), null for a local shell
   * @param session a notebook's `:session` (`name`) to hold in this pane, null for a shell of its own
   */
  constructor(
    private terminalId: number,
    private readonly host: PaneHost,
    look: TerminalLook,
    cwd: string | null,
    readonly ssh: string | null = null,
    session: { ref: HeldSessionRef; name: string; handBack: (pane: TerminalPane) => void } | null = null,
  ) {
    this.cwd = ssh === null && session === null ? cwd : null;
    this.held = session ? { ref: session.ref, name: session.name, bar: new HeldBar(session.name, () => session.handBack(this)) } : null;
    this.lookFontPx = look.fontSizePx;
    this.wantedRenderer = look.renderer;
    this.element = document.createElement('div');
    this.element.className = 'pane';
    this.element.dataset.paneId = String(terminalId);
    if (this.held) this.element.append(this.held.bar.element);
    this.term = new Terminal({
      fontFamily: look.fontFamily,
      fontSize: look.fontSizePx,
      theme: look.theme,
      scrollback: look.scrollback,
      allowTransparency: true,
      allowProposedApi: true,
      // Seed behaviour: output never scrolls a viewport the user moved; a keystroke does.
      scrollOnUserInput: true,
      // Links in OSC 8 go through the same http(s)-only gate as detected ones.
      linkHandler: { activate: (_ev, uri) => this.openLink(uri), allowNonHttpProtocols: false },
      windowOptions: {},
      macOptionIsMeta: true,
    });
  }

  /** Attaches xterm to the pane element, which must already be in the document. */
  open(): void {
    if (this.opened) return;
    this.opened = true;
    const term = this.term;
    term.loadAddon(this.fitAddon);
    term.loadAddon(this.search);
    term.loadAddon(this.serializer);
    term.loadAddon(new WebLinksAddon((_ev, uri) => this.openLink(uri)));
    const unicode = new Unicode11Addon();
    term.loadAddon(unicode);
    term.unicode.activeVersion = '11';
    term.open(this.element);
    this.renderHooks = installRenderHooks(term, () => this.receivedBytes - this.ackedBytes);
    if (this.wantedRenderer === 'webgl') this.loadWebgl();

    // OSC 52 is the clipboard: a read ("?") would hand the clipboard to any
    // program that prints to this terminal, so it is refused (no answer),
    // and writes are ignored too (a program must not fill the clipboard
    // behind the user's back). Returning true stops xterm's default.
    term.parser.registerOscHandler(52, () => true);

    term.onData((data) => {
      if (this.onEnter) {
        if (data.includes('\r')) this.enter();
        return;
      }
      this.lastActive = performance.now();
      this.host.userInput(this);
      this.sendInput(data);
    });
    term.onTitleChange((title) => {
      this.title = title;
      this.host.titleChanged(this);
    });
    term.attachCustomKeyEventHandler((ev) => this.handleKey(ev));

    this.element.addEventListener('focusin', () => {
      this.lastActive = performance.now();
      this.host.focused(this);
    });
    // Mouse hidden while typing, back as soon as it moves.
    this.element.addEventListener('mousemove', () => this.element.classList.remove('typing'));
    // Paste from the browser (menu, middle click, Ctrl+Shift+V default action) goes through the safe path, not xterm's.
    this.element.addEventListener(
      'paste',
      (ev) => {
        ev.preventDefault();
        ev.stopImmediatePropagation();
        this.paste(ev.clipboardData?.getData('text/plain') ?? '');
      },
      true,
    );

    this.resizeObserver = new ResizeObserver(() => this.scheduleFit());
    this.resizeObserver.observe(this.element);
    this.fit();
  }

  /**
   * The host started the shell, with integration (its marks carry `nonce`)
   * or without (null). An SSH pane starts a new shell at every connection.
   */
  shellStarted(nonce: string | null, actions: CommandMenuActions): void {
    if (this.commands) this.commands.newShell(nonce);
    else if (nonce !== null) this.commands = new PaneCommands(this.term, nonce, actions);
  }

  /** Shows (path) or hides (null) the recording badge. */
  setRecording(path: string | null): void {
    this.recording = path;
    this.recBadge?.remove();
    this.recBadge = null;
    if (path === null) return;
    const badge = document.createElement('div');
    badge.className = 'rec-badge';
    badge.textContent = `● REC → ${path.split('/').pop()}`;
    badge.title = `Every command is appended to ${path} as it ends (the same key stops it)`;
    this.element.append(badge);
    this.recBadge = badge;
  }

  private loadWebgl(): void {
    if (webglUnavailable || this.webgl) return;
    try {
      const addon = new WebglAddon();
      addon.onContextLoss(() => this.dropWebgl('the WebGL context was lost'));
      this.term.loadAddon(addon);
      this.webgl = addon;
      this.snapCell();
      const canvas = this.webglCanvas();
      if (canvas) {
        // Runs after xterm's own observer of the same canvas (observers are notified in creation order).
        this.canvasObserver = new ResizeObserver(() => this.guardCanvasBacking());
        this.canvasObserver.observe(canvas, { box: 'device-pixel-content-box' });
      }
    } catch (e) {
      webglUnavailable = true;
      console.warn(`modus: WebGL renderer unavailable, using the DOM renderer: ${(e as Error).message}`);
    }
  }

  private webglCanvas(): HTMLCanvasElement | null {
    return this.webgl ? this.element.querySelector<HTMLCanvasElement>('.xterm-screen > canvas:not(.xterm-link-layer)') : null;
  }

  /**
   * Keeps the WebGL canvas's backing store at its CSS size × devicePixelRatio.
   * xterm sizes it from ResizeObserver's device-pixel-content-box, which is
   * exact on real screens but reports unscaled pixels under Chromium's
   * emulated device scale factor (DevTools, CDP): the text would then be
   * drawn at the wrong density. Only a mismatch beyond a pixel of rounding
   * is corrected, so real snapped sizes are never fought over.
   */
  private guardCanvasBacking(): void {
    const canvas = this.webglCanvas();
    if (!canvas) return;
    const dpr = window.devicePixelRatio;
    const width = Math.round(parseFloat(canvas.style.width) * dpr);
    const height = Math.round(parseFloat(canvas.style.height) * dpr);
    if (!(width > 0 && height > 0)) return;
    if (Math.abs(canvas.width - width) <= 1 && Math.abs(canvas.height - height) <= 1) return;
    canvas.width = width;
    canvas.height = height;
    this.term.refresh(0, this.term.rows - 1);
  }

  /** Falls back to xterm's DOM renderer; the terminal keeps working. */
  private dropWebgl(reason: string): void {
    if (!this.webgl) return;
    console.warn(`modus: ${reason}; pane ${this.id} continues with the DOM renderer`);
    const addon = this.webgl;
    this.webgl = null;
    this.canvasObserver?.disconnect();
    this.canvasObserver = null;
    addon.dispose();
    this.snapCell();
    this.term.refresh(0, this.term.rows - 1);
  }

  get renderer(): RendererKind {
    return this.webgl ? 'webgl' : 'dom';
  }

  private handleKey(ev: KeyboardEvent): boolean {
    const action = this.host.actionFor(ev);
    if (action) {
      if (ev.type === 'keydown') {
        ev.preventDefault();
        this.host.runAction(action, this);
      }
      return false;
    }
    if (ev.type === 'keydown' && !isModifierOnly(ev)) this.element.classList.add('typing');
    return true;
  }

  /** The backend terminal this pane shows; an SSH pane gets a new one for each connection. */
  get id(): number {
    return this.terminalId;
  }

  /** Whether a terminal was asked for under the current id (the host takes each id once). */
  get requested(): boolean {
    return this.created;
  }

  /** The tab's title: an SSH pane always names its host, a remote title may follow. */
  get tabTitle(): string {
    if (this.held) return `⇄ ${this.held.bar.view.title}`;
    if (this.ssh !== null) return this.title ? `ssh ${this.ssh} · ${this.title}` : `ssh ${this.ssh}`;
    return this.title || this.shell || 'shell';
  }

  /** Tells the backend to start this pane's shell (or ssh), sized to the pane. */
  create(): void {
    if (this.created) return;
    this.created = true;
    const options = { cols: this.term.cols, rows: this.term.rows, cwd: this.cwd };
    if (this.held) this.host.send({ type: 'term.create', id: this.id, options: { ...options, session: this.held.ref } });
    else this.host.send({ type: 'term.create', id: this.id, options: this.ssh === null ? options : { ...options, ssh: { host: this.ssh } } });
  }

  /** Where the held session stands (term.held). */
  showHeld(msg: Extract<HostMessage, { type: 'term.held' }>): void {
    this.held?.bar.show({ title: msg.title, state: msg.state, command: msg.command, message: msg.message });
  }

  /** Moves the pane to a new terminal id, for the next connection of an SSH pane. */
  rebind(id: number): void {
    this.terminalId = id;
    this.element.dataset.paneId = String(id);
    this.created = false;
    this.started = false;
    this.exited = false;
  }

  /** Shows `line` and waits: the next Enter typed in the pane calls `then` (and nothing typed reaches a terminal meanwhile). */
  waitForEnter(line: string, then: () => void): void {
    this.writeLocal(line);
    this.onEnter = then;
  }

  get waitingForEnter(): boolean {
    return this.onEnter !== null;
  }

  /** Does what Enter would do now (an SSH pane connects, a session pane takes its session over again). */
  enterNow(): void {
    this.enter();
  }

  private enter(): void {
    const then = this.onEnter;
    this.onEnter = null;
    then?.();
  }

  /** Pty bytes: acknowledged once xterm has parsed them, never on receipt. */
  write(data: Uint8Array): void {
    const bytes = data.byteLength;
    // The id of the terminal that sent them: an SSH pane may be on its next connection when xterm has parsed them.
    const id = this.id;
    this.renderHooks?.pacer.received(bytes);
    this.receivedBytes += bytes;
    this.term.write(data, () => {
      this.ackedBytes += bytes;
      this.host.send({ type: 'term.ack', id, bytes });
      this.renderHooks?.pacer.parsed(bytes);
    });
  }

  /** Text that did not come from the pty (restored scrollback): not acknowledged. */
  writeLocal(text: string): void {
    this.term.write(text);
  }

  paste(text: string): void {
    const data = preparePaste(text, this.term.modes.bracketedPasteMode);
    if (data === '') return;
    this.lastActive = performance.now();
    this.host.userInput(this);
    this.term.scrollToBottom();
    this.sendInput(data);
  }

  /** Input generated by the app on the user's behalf (word completion). */
  input(data: string): void {
    this.lastActive = performance.now();
    this.term.scrollToBottom();
    this.sendInput(data);
  }

  /** Everything typed, pasted or completed goes to the shell this way; in a flood the user now waits for its effect. */
  private sendInput(data: string): void {
    if (this.onEnter) return; // no terminal to take it: a paste must not connect, nor reach a terminal that is gone
    this.renderHooks?.pacer.input();
    this.host.send({ type: 'term.input', id: this.id, data });
  }

  /** The host checks the link (web links only) and says so visibly when it refuses one. */
  private openLink(uri: string): void {
    this.host.openLink(uri);
  }

  private scheduleFit(): void {
    if (this.fitScheduled) return;
    this.fitScheduled = true;
    requestAnimationFrame(() => {
      this.fitScheduled = false;
      this.fit();
    });
  }

  /** The font size the look asks for, in CSS px (xterm's `fontSize` option is what it draws). */
  get configuredFontPx(): number {
    return this.lookFontPx;
  }

  /**
   * Fits the grid to the container at the configured font size; only a
   * container size change (or a font change) alters cols × rows.
   */
  fit(): void {
    if (!this.opened || this.element.clientWidth === 0 || this.element.clientHeight === 0) return;
    this.drawFontAt(this.lookFontPx);
    this.snapCell();
    const grid = this.proposedGrid();
    if (!grid) return;
    const { cols, rows } = grid;
    if (cols === this.term.cols && rows === this.term.rows) return;
    this.term.resize(cols, rows);
    if (this.created && !this.exited) this.host.send({ type: 'term.resize', id: this.id, cols, rows });
  }

  /**
   * Whether cols × rows already match the container: false between a size
   * change and the fit that follows it (the observer runs at the next frame).
   */
  isFitted(): boolean {
    if (this.fitScheduled) return false;
    if (!this.opened || this.term.options.fontSize !== this.lookFontPx) return true;
    const grid = this.proposedGrid();
    return !grid || (grid.cols === this.term.cols && grid.rows === this.term.rows);
  }

  /** The grid the container holds at the font xterm draws now; null while it cannot be measured. */
  private proposedGrid(): { cols: number; rows: number } | null {
    const dims = this.fitAddon.proposeDimensions();
    if (!dims || !Number.isFinite(dims.cols) || !Number.isFinite(dims.rows)) return null;
    return { cols: Math.max(2, dims.cols), rows: Math.max(1, dims.rows) };
  }

  applyLook(look: TerminalLook): void {
    const o = this.term.options;
    // Compared with the configured size: a theme change keeps a fitting correction (and the grid).
    const fontChanged = o.fontFamily !== look.fontFamily || this.lookFontPx !== look.fontSizePx;
    this.lookFontPx = look.fontSizePx;
    o.fontFamily = look.fontFamily;
    if (fontChanged) o.fontSize = look.fontSizePx;
    o.theme = look.theme;
    o.scrollback = look.scrollback;
    if (fontChanged) this.fit();
    if (look.renderer !== this.wantedRenderer) {
      this.wantedRenderer = look.renderer;
      if (look.renderer === 'dom') this.dropWebgl('the settings ask for the DOM renderer');
      else if (this.opened) this.loadWebgl();
    }
  }

  /**
   * After a devicePixelRatio change: rebuild the glyph atlas at the new
   * density and redraw; the grid stays, and the font is fitted to it once
   * xterm has measured the cells at the new ratio (it does so on the same
   * events, before the next frame).
   */
  rerasterize(): void {
    if (!this.opened) return;
    this.term.clearTextureAtlas();
    this.term.refresh(0, this.term.rows - 1);
    requestAnimationFrame(() => {
      this.fitFontToGrid();
      this.guardCanvasBacking();
    });
  }

  /**
   * Keeps the whole grid visible without resizing the pty. xterm snaps a
   * cell to whole device pixels (width rounded down, height up), so the
   * same cols × rows can need more CSS pixels at one ratio than at the ratio
   * it was fitted at, and the pane would clip the last columns or rows.
   * Then the font is drawn slightly smaller, the largest size (to 1/100 px,
   * at most 15% down) whose grid fits where a fit would have put it; the
   * glyphs stay on the device-pixel grid, so crisp, unlike a CSS scale. The
   * configured size comes back at the next ratio change where it fits, and
   * at the next fit.
   */
  private fitFontToGrid(): void {
    if (!this.opened || this.element.clientWidth === 0 || this.element.clientHeight === 0) return;
    this.drawFontAt(this.lookFontPx);
    this.snapCell();
    if (this.gridFits()) return;
    let fits = Math.round(this.lookFontPx * MIN_FITTED_FONT_FRACTION * 100) / 100;
    let tooBig = this.lookFontPx;
    this.drawFontAt(fits);
    if (!this.gridFits()) {
      console.warn(`modus: pane ${this.id}'s grid does not fit at ${fits}px either; it stays clipped until the pane is re-fitted`);
      return;
    }
    while (tooBig - fits > FONT_FIT_STEP_PX) {
      const middle = Math.round(((fits + tooBig) / 2) * 100) / 100;
      if (middle <= fits || middle >= tooBig) break;
      this.drawFontAt(middle);
      if (this.gridFits()) fits = middle;
      else tooBig = middle;
    }
    this.drawFontAt(fits);
  }

  /** xterm measures the cells again at once when the size changes. */
  private drawFontAt(sizePx: number): void {
    if (this.term.options.fontSize !== sizePx) this.term.options.fontSize = sizePx;
  }

  /** At an integer devicePixelRatio the cell keeps exactly its ratio-1 size (cell-snap.ts); elsewhere xterm's own. */
  private snapCell(): void {
    const char = measuredChar(this.term);
    const { letterSpacing, lineHeight } = char ? cellAdjustment(char.width, char.height, window.devicePixelRatio, this.webgl !== null) : NO_ADJUSTMENT;
    const o = this.term.options;
    if (o.letterSpacing !== letterSpacing) o.letterSpacing = letterSpacing;
    if (o.lineHeight !== lineHeight) o.lineHeight = lineHeight;
  }

  /** True when a fit at the current cell size would keep at least the current cols × rows. */
  private gridFits(): boolean {
    const dims = this.fitAddon.proposeDimensions();
    return dims !== undefined && dims.cols >= this.term.cols && dims.rows >= this.term.rows;
  }

  focus(): void {
    this.term.focus();
  }

  /** The last `lines` lines of scrollback and screen, with colours, for session restore. */
  serialize(lines: number): string {
    return this.serializer.serialize({ scrollback: lines, excludeAltBuffer: true, excludeModes: true });
  }

  /** Lines of the active buffer from `fromEnd` lines above the bottom, wrapped lines joined. */
  recentLines(fromEnd: number): string[] {
    const buffer = this.term.buffer.active;
    const end = buffer.length;
    const out: string[] = [];
    for (let y = Math.max(0, end - fromEnd); y < end; y++) {
      const line = buffer.getLine(y);
      if (!line) continue;
      const text = line.translateToString(true);
      if (line.isWrapped && out.length > 0) out[out.length - 1] += text;
      else out.push(text);
    }
    return out;
  }

  /** The text of the cursor's line up to the cursor (for the word before the cursor). */
  textBeforeCursor(): string {
    const buffer = this.term.buffer.active;
    const line = buffer.getLine(buffer.baseY + buffer.cursorY);
    return line ? line.translateToString(false, 0, buffer.cursorX) : '';
  }

  dispose(): void {
    this.resizeObserver?.disconnect();
    this.canvasObserver?.disconnect();
    if (this.created && !this.exited) this.host.send({ type: 'term.close', id: this.id });
    this.renderHooks?.dispose();
    this.term.dispose();
    this.element.remove();
  }
}

function isModifierOnly(ev: KeyboardEvent): boolean {
  return ev.key === 'Control' || ev.key === 'Shift' || ev.key === 'Alt' || ev.key === 'Meta';
}
