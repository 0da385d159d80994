// The shape of `window.__modus`: read-only inspection for the end-to-end
// tests (and curious users in devtools). Nothing here changes state.

import type { RendererChoice, RendererKind } from './terminal/gpu.js';
import type { TransportRoute } from './transport/route.js';

export interface PaneInfo {
  id: number;
  cols: number;
  rows: number;
  renderer: RendererKind;
  /** CSS pixel size of the pane's container. */
  width: number;
  height: number;
  /** cols × rows match the container (no fit pending after a size change). */
  fitted: boolean;
  focused: boolean;
  /** Working directory as last reported by the host (OSC 7 or /proc), null until known. */
  cwd: string | null;
  /** Pty bytes received, and acknowledged after xterm parsed them. */
  receivedBytes: number;
  ackedBytes: number;
  /** The host of an SSH pane, null for a local shell. */
  ssh: string | null;
  /** An SSH pane without a connection, waiting for Enter to connect. */
  waitingForEnter: boolean;
  /** Commands the shell reported (shell integration), oldest first; null without integration. */
  commands: { seq: number | null; command: string; exitCode: number | null; promptLine: number; output: string }[] | null;
  /** The notebook this terminal records to, null when not recording. */
  recording: string | null;
  /** A pane holding a notebook's session: its strip (title, state, what it says); null for a shell of its own. */
  held: { title: string; state: string; command: string | null; message: string | null } | null;
}

/** What the SSH host picker shows. */
export interface HostPickerView {
  open: boolean;
  query: string;
  /** Names of the hosts shown, in order. */
  items: string[];
  selected: number;
  /** The line under the list: loading, nothing listed, what Enter would do. */
  message: string;
  problems: string[];
}

export interface CanvasInfo {
  /** Backing store size in device pixels. */
  width: number;
  height: number;
  /** Displayed size in CSS pixels. */
  cssWidth: number;
  cssHeight: number;
}

/** A rectangle in CSS pixels, viewport coordinates. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** One open notebook, as its tab shows it. */
export interface NotebookInfo {
  doc: number;
  path: string;
  name: string;
  /** In the active tab. */
  active: boolean;
  dirty: boolean;
  trusted: boolean;
  readOnly: boolean;
  /** The editor's text and its version (changes sent to the host). */
  text: string;
  version: number;
  /** The editor's cursor, 1-based. */
  cursor: { line: number; column: number };
  /** The version the blocks below describe (null before the first analysis). */
  analysedVersion: number | null;
  /** `status`: what the fence line says after the block (`waiting: session "s" is held in …`), null when nothing. */
  blocks: { number: number; startLine: number; run: 'queued' | 'waiting' | 'running' | null; status: string | null; results: string[]; stale: boolean }[];
  problems: string[];
  /** Messages shown in the tab's notice strip, oldest first. */
  notices: string[];
  /** The output panel: its entries and what its terminal shows now. */
  output: { entries: { block: number; host: string; status: string | null; selected: boolean }[]; text: string };
  reportOpen: boolean;
  reportText: string;
  /** The pending commits confirmed strip: per host, its countdown line and whether a Confirm or Roll back now is running. */
  pending: { host: string; rollbackAt: string; block: number; text: string; busy: 'confirm' | 'rollback' | null }[];
}

export interface ModusTestHook {
  /** Welcome received and the first terminal exists. */
  ready(): boolean;
  /** The focused pane's active buffer, lines right-trimmed, trailing empty lines dropped. */
  bufferText(): string;
  /** The focused pane's cursor line. */
  cursorLine(): string;
  tabTitles(): string[];
  activeTab(): number;
  /** Panes of the active tab, in reading order. */
  panes(): PaneInfo[];
  /** Canvases of the focused pane (WebGL renderer: one; DOM renderer: none or only helper canvases). */
  canvases(): CanvasInfo[];
  /**
   * The focused pane's font: `sizePx` as configured (settings and UI zoom), in CSS px;
   * `renderedSizePx` as xterm draws it (lower while a devicePixelRatio change needs a
   * smaller font to keep the grid inside the pane); the measured cell size in CSS px.
   */
  font(): { sizePx: number; renderedSizePx: number; family: string; cellWidth: number; cellHeight: number };
  /** The focused pane's box (what it clips to) and its grid's box (xterm's screen element). */
  screenBox(): { pane: Box; screen: Box };
  devicePixelRatio(): number;
  /** The focused pane's scroll position: the viewport's top line and the top line of the bottom page. */
  viewport(): { viewportY: number; baseY: number };
  /**
   * Calls `listener` each time the focused pane's xterm has drawn rows (inside
   * that frame's animation callbacks); returns the unsubscribe. Lets the
   * benchmark see a frame without keeping an animation-frame loop of its own,
   * which would change how Chromium schedules the page's network tasks.
   */
  onRender(listener: () => void): () => void;
  /**
   * The focused pane's flood render pacing (xterm-render-hooks.ts), null when
   * it is not installed: refreshes passed on at once and deferred, whether one
   * is gathered now, whether the pane is in a flood, and selection redraws
   * skipped for want of a selection.
   */
  renderPacing(): { immediate: number; deferred: number; holding: boolean; flooding: boolean; skippedSelectionRedraws: number } | null;
  /** The renderer new and existing panes are asked to use, and why (settings.gpuAcceleration and the WebGL device). */
  rendererChoice(): RendererChoice;
  /** How host messages reach this page: Electron IPC, or the WebSocket read in a worker or (fallback) on the main thread. */
  transportRoute(): TransportRoute;
  /** The SSH host picker: open or not, what is typed, the hosts shown, the highlighted one, its note and problems. */
  hostPicker(): HostPickerView;
  /** The open notebooks, in the order they were opened. */
  notebooks(): NotebookInfo[];
  /**
   * The active notebook's text as Monaco's tokenizer sees it: per line, each
   * token's start and type (`keyword.block.junos` inside a ```junos block); null without one.
   */
  notebookTokens(): { path: string; lines: { offset: number; type: string }[][] } | null;
}
