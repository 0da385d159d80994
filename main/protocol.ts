// Every message between the renderer and main, typed, in one module.
//
// The renderer imports this file with `import type` only; main imports the
// validators. Two transports carry the same messages:
//  - Electron IPC: structured clone, objects as they are;
//  - WebSocket (`modus serve`): JSON text frames, except `term.data`, which
//    travels as a binary frame (see TERM_DATA_FRAME) so pty bytes are never
//    re-encoded (no base64, no UTF-8 round trip: xterm decodes the bytes).
//
// Flow control is counted in bytes: the host sends `term.data`, the renderer
// answers `term.ack` with the byte count once xterm has parsed it.

export const PROTOCOL_VERSION = 1;

/** Binary frame layout for `term.data` over WebSocket: [u8 kind=1][u32 LE id][bytes...]. */
export const TERM_DATA_FRAME = { kind: 1, headerBytes: 5 } as const;
/** Binary frame layout for `nb.output` (a running block's live bytes): [u8 kind=2][u32 LE stream][bytes...]. */
export const NB_OUTPUT_FRAME = { kind: 2, headerBytes: 5 } as const;

// ---------------------------------------------------------------- settings

export type KeyAction =
  | 'newTab'
  | 'closeTab'
  | 'copy'
  | 'paste'
  | 'find'
  | 'nextTab'
  | 'previousTab'
  | 'splitRight'
  | 'splitDown'
  | 'focusNextPane'
  | 'zoomIn'
  | 'zoomOut'
  | 'zoomReset'
  | 'complete'
  | 'newSshTab'
  | 'openNotebook'
  | 'saveNotebook'
  | 'runAll'
  | 'stopRuns'
  | 'previousCommand'
  | 'nextCommand'
  | 'sendToNotebook'
  | 'recordToNotebook';

export interface Palette {
  foreground: string;
  background: string;
  cursor: string;
  selection: string;
  /** The 16 ANSI colours, black..white then bright black..bright white, as #rrggbb. */
  ansi: string[];
}

export interface Settings {
  fontFamily: string;
  /** In points (1pt = 1/72 in; CSS px = pt × 96/72). The terminal stays crisp at any devicePixelRatio. */
  fontSize: number;
  palette: Palette;
  /** Background opacity, 0..1. */
  opacity: number;
  scrollback: number;
  /** null = the user's $SHELL (or /bin/sh). */
  shell: string | null;
  shellArgs: string[];
  /** Action → key chord, e.g. "Ctrl+Shift+T". */
  keybindings: Record<KeyAction, string>;
  /**
   * The terminal's renderer: "auto" draws with WebGL when WebGL runs on a
   * real GPU and with the DOM renderer when it is rasterised in software
   * (SwiftShader, llvmpipe, WARP: slower than the DOM there); "on" always
   * tries WebGL; "off" always uses the DOM renderer.
   */
  gpuAcceleration: GpuAcceleration;
  /**
   * The ssh_config file SSH tabs use (`ssh -F FILE`) and the host picker
   * lists aliases from; `~/` is the home directory. null = ~/.ssh/config
   * (plain `ssh`, no -F).
   */
  sshConfig: string | null;
  /** An inventory YAML whose hosts the SSH host picker offers; `~/` is the home directory. null = none. */
  inventory: string | null;
  /** bash and zsh started by Modus report their prompts, commands, exit statuses and cwd (OSC 133 and 7), without changing the user's rc files. */
  shellIntegration: boolean;
  /**
   * SSH tabs run Modus's shell integration in the remote shell when it is bash
   * or zsh (sent with the ssh command line each time; nothing is written to
   * the user's rc files or left behind). Off by default: it runs Modus's
   * script on the remote host.
   */
  sshShellIntegration: boolean;
}

export const GPU_ACCELERATION_VALUES = ['auto', 'on', 'off'] as const;
export type GpuAcceleration = (typeof GPU_ACCELERATION_VALUES)[number];

/** A settings problem, positioned in the settings file. */
export interface SettingsProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

// ---------------------------------------------------------------- sessions (restore on restart)

export type PaneLayout =
  | {
      kind: 'terminal';
      cwd: string | null;
      title: string;
      /** serialized xterm buffer (serialize addon) */
      scrollback: string;
      /** The host of an SSH pane (restored as a pane that connects on Enter); null or absent (sessions saved before SSH tabs) for a local shell. */
      ssh?: string | null;
    }
  | { kind: 'split'; direction: 'row' | 'column'; /** share of the first child, 0..1 */ ratio: number; first: PaneLayout; second: PaneLayout };

/** A tab of the saved session: terminal panes in a split tree, or a notebook (reopened from its file). */
export type TabLayout = { root: PaneLayout } | { notebook: string };

export interface SessionLayout {
  version: 1;
  tabs: TabLayout[];
  activeTab: number;
}

// ---------------------------------------------------------------- messages

export interface TermSpawnOptions {
  cols: number;
  rows: number;
  /** Working directory; null = the user's home. */
  cwd: string | null;
  /** Set: the terminal runs `ssh HOST` (an ssh config alias, a name or an address) instead of the shell. */
  ssh?: { host: string } | null;
  /**
   * Set: the terminal is the `:session` shell of block `block` of open notebook
   * `doc` on `host` (a label as BlockView.session lists it), taken over by hand
   * until handed back (`term.handBack`, or closing it). `cwd` is unused.
   */
  session?: HeldSessionRef | null;
}

export interface HeldSessionRef {
  doc: number;
  block: number;
  host: string;
}

/**
 * A terminal holding a notebook's session: `waiting` for a block of that
 * session to end first; at the `prompt`, or running a `command` typed by
 * hand; `ended`: handed back (or the session is gone). `message` says what
 * the user should know (why it waits, why it was not handed back, how it
 * ended).
 */
export type HeldState = 'waiting' | 'prompt' | 'command' | 'ended';

/** A host the SSH tab picker offers. */
export interface ListedHost {
  name: string;
  /** What the user recognises it by: address and user from the inventory, or the ssh config file. */
  detail: string;
  source: 'inventory' | 'ssh-config';
}

// ---------------------------------------------------------------- notebooks
//
// The host keeps, per open notebook, a copy of the editor's text (the
// renderer sends every change as `nb.edit`, like a language client), so
// everything that needs the notebook's grammar (blocks, results, staleness,
// problems, where results go) is computed in main by the one engine, and the
// renderer only applies offsets. Versions count the renderer's changes; an
// edit the host sends (`nb.apply`) names the version it was made against, and
// the renderer moves it over the changes it made since.

export interface TextChange {
  /** UTF-16 offset in the text before this change. */
  offset: number;
  /** UTF-16 code units replaced. */
  length: number;
  text: string;
}

/** `waiting`: its session is held by hand in a terminal tab (BlockView.run.note says so). */
export type BlockRunState = 'queued' | 'waiting' | 'running';

export interface BlockResultView {
  host: string;
  status: string;
  /** ISO time the run started, and its duration as written (`2.1s`). */
  at: string | null;
  took: string | null;
  /** 1-based lines of this results block (opening and closing fence). */
  startLine: number;
  endLine: number;
}

export interface BlockView {
  /** 1-based, counting code blocks, as `modus run --block N` does. */
  number: number;
  /** 1-based lines of the opening and closing fence. */
  startLine: number;
  endLine: number;
  lang: string;
  name: string | null;
  /** Would run (a runnable language, not `:eval no`). */
  runnable: boolean;
  /** The host names as written in :host (empty: local). */
  hosts: string[];
  confirm: boolean;
  /** Its `:session` and the hosts that session lives on (what "Open session in terminal" offers); null without one. */
  session: { name: string; hosts: string[] } | null;
  results: BlockResultView[];
  /** Why the results no longer describe the block (the engine's judgement); empty when they do or cannot be judged. */
  stale: string[];
  /** Set while a run of this block is queued, waiting or running (start time ISO for the elapsed clock; why it waits). */
  run: { state: BlockRunState; since: string; runId: number; note?: string } | null;
}

export interface NotebookProblem {
  line: number;
  column: number;
  message: string;
  rule: string;
  severity: 'error' | 'warning';
}

export interface VariableView {
  name: string;
  /** From the front matter's `vars:`; null when a block uses it and nothing defines it. */
  value: string | null;
}

export interface NotebookAnalysis {
  /** The editor version this describes. */
  version: number;
  title: string | null;
  blocks: BlockView[];
  problems: NotebookProblem[];
  variables: VariableView[];
  /** The hosts the notebook's blocks run on, resolved (what the trust banner names). */
  hosts: string[];
  /** The inventory's hosts and groups (what Run on… offers), in inventory order. */
  inventory: { hosts: string[]; groups: string[] };
}

/**
 * A commit confirmed this notebook's runs left pending on a Junos device
 * (derived from its journal, main/run/pending-commits.ts): the device rolls
 * it back at `rollbackAt` unless it is confirmed.
 */
export interface PendingCommitView {
  host: string;
  /** ISO time, to the second. */
  rollbackAt: string;
  /** The block (1-based, as the journal recorded it) whose commit it is, and its :name. */
  block: number;
  name: string | null;
}

/** `hosts` (Run on…): run the block on these hosts instead of its :host (names, groups or globs, as :host takes them). */
export type RunSelection = { kind: 'all' } | { kind: 'block'; number: number; hosts?: string[] } | { kind: 'from'; number: number };

export interface NotebookRunSummary {
  counts: Partial<Record<'pass' | 'fail' | 'error' | 'timeout' | 'cancelled', number>>;
  notRun: number;
  problems: string[];
}

/** A directory entry offered while typing a path. */
export interface PathCompletion {
  /** The full path as it would be typed (directories end with `/`). */
  path: string;
  dir: boolean;
}

export type ClientMessage =
  | { type: 'hello'; protocol: number }
  | { type: 'term.create'; id: number; options: TermSpawnOptions }
  | { type: 'term.input'; id: number; data: string }
  | { type: 'term.resize'; id: number; cols: number; rows: number }
  | { type: 'term.ack'; id: number; bytes: number }
  | { type: 'term.close'; id: number }
  /** Appends these commands (by seq) with their output to a notebook (created when missing). */
  | { type: 'term.toNotebook'; id: number; seqs: number[]; path: string }
  /** Appends every command that ends from now on to a notebook (null: stop). */
  | { type: 'term.record'; id: number; path: string | null }
  /** Hands a held session back to its notebook (at its prompt; refused, with why, while a command typed by hand runs). */
  | { type: 'term.handBack'; id: number }
  | { type: 'session.save'; layout: SessionLayout }
  | { type: 'settings.reload' }
  | { type: 'link.open'; url: string }
  | { type: 'hosts.list' }
  | { type: 'nb.open'; doc: number; path: string }
  /** `applied`: these changes are the host's `nb.apply` of that id, applied. */
  | { type: 'nb.edit'; doc: number; version: number; changes: TextChange[]; applied?: number }
  /** The editor was no longer at the version an `nb.apply` was made against: the host makes it again. */
  | { type: 'nb.apply.rejected'; doc: number; apply: number }
  /** The variables panel's values (override the front matter, as --var does). */
  | { type: 'nb.vars'; doc: number; vars: Record<string, string> }
  | { type: 'nb.save'; doc: number; version: number }
  /** After a conflict: `disk` takes the file's text into the editor, `mine` keeps the editor's (the next save overwrites the file). */
  | { type: 'nb.resolve'; doc: number; take: 'disk' | 'mine' }
  | { type: 'nb.close'; doc: number }
  | { type: 'nb.trust'; doc: number; version: number }
  | { type: 'nb.run'; doc: number; run: number; selection: RunSelection; keepGoing: boolean; vars: Record<string, string> }
  | { type: 'nb.cancel'; doc: number; run: number | null }
  /**
   * Confirm, or roll back now, the commit confirmed pending on `host`: the
   * host appends a block that does it (`:commit confirm` / `:commit rollback`)
   * to the notebook and runs it as run `run`, so its results are written too.
   */
  | { type: 'nb.settle'; doc: number; run: number; host: string; action: 'confirm' | 'rollback'; vars: Record<string, string> }
  | { type: 'nb.confirm.answer'; doc: number; request: number; answer: 'yes' | 'no' }
  /** A password or passphrase ssh asked for (null: the user declined). Never logged or stored by the host. */
  | { type: 'nb.secret.answer'; doc: number; request: number; secret: string | null }
  | { type: 'nb.report'; doc: number }
  | { type: 'nb.export'; doc: number }
  /** Electron: the report view printed to PDF (printToPDF) beside the notebook. */
  | { type: 'nb.pdf'; doc: number }
  | { type: 'nb.output.ack'; stream: number; bytes: number }
  | { type: 'fs.complete'; prefix: string }
  | { type: 'recent.list' };

export type HostMessage =
  | {
      type: 'welcome';
      protocol: number;
      host: 'electron' | 'web';
      platform: string;
      home: string;
      settings: Settings;
      settingsFile: string;
      settingsProblems: SettingsProblem[];
      session: SessionLayout | null;
      /** Notebooks to open at start (`modus serve PATH.md`, `modus PATH.md`), first one active. */
      open: string[];
    }
  /** `marks`: the nonce of the shell integration's OSC 133 marks (marks without it are a program's, not the shell's); null without integration. */
  | { type: 'term.created'; id: number; pid: number; shell: string; cwd: string; marks: string | null }
  /** A command of a terminal with shell integration ended (`seq` counts them from 1, in the order they ended). */
  | { type: 'term.command'; id: number; seq: number; command: string; exitCode: number | null; /** null: not known (an SSH tab's shell before its first prompt). */ cwd: string | null; tookMs: number }
  /** Commands appended to a notebook (Send to notebook, or recording). */
  | { type: 'term.sent'; id: number; path: string; count: number }
  /** Recording to a notebook started (path) or stopped (null). */
  | { type: 'term.recording'; id: number; path: string | null }
  /** A terminal holding a notebook's session (term.create with `session`): its title, where it stands, what to tell the user. */
  | { type: 'term.held'; id: number; title: string; state: HeldState; command: string | null; message: string | null }
  | { type: 'term.data'; id: number; data: Uint8Array }
  | { type: 'term.exit'; id: number; exitCode: number; signal: number | null }
  | { type: 'term.cwd'; id: number; cwd: string }
  | { type: 'settings.changed'; settings: Settings; settingsProblems: SettingsProblem[] }
  | { type: 'hosts.listed'; hosts: ListedHost[]; /** Inventory and ssh config problems, one line each (file:line:column: reason). */ problems: string[] }
  /** Run a key action as if its chord was pressed (the Electron menu). */
  | { type: 'action'; action: KeyAction }
  /** Open this notebook in a tab (Electron's File → Open Notebook… dialog). */
  | { type: 'notebook.open'; path: string }
  | {
      type: 'nb.opened';
      doc: number;
      /** The real path, and the name shown on the tab. */
      path: string;
      name: string;
      text: string;
      trusted: boolean;
      readOnly: boolean;
    }
  | { type: 'nb.analysis'; doc: number; analysis: NotebookAnalysis }
  /** Edits the host made against editor version `base` (results landing, a reload): the renderer applies them as undoable edits. */
  | { type: 'nb.apply'; doc: number; apply: number; base: number; changes: TextChange[]; reason: 'results' | 'reload' }
  | { type: 'nb.state'; doc: number; dirty: boolean; trusted: boolean; savedVersion: number | null }
  /** The file changed on disk while the editor has unsaved edits: the file's text, to compare. */
  | { type: 'nb.conflict'; doc: number; diskText: string }
  | { type: 'nb.stream'; doc: number; stream: number; run: number; block: number; host: string }
  | { type: 'nb.output'; stream: number; data: Uint8Array }
  | { type: 'nb.stream.end'; stream: number; status: string; dropped: number }
  | { type: 'nb.confirm'; doc: number; request: number; block: number; lang: string; hosts: string[]; script: string }
  /** ssh needs a password or passphrase for `host`; `prompt` is ssh's own question. */
  | { type: 'nb.secret'; doc: number; request: number; host: string; prompt: string }
  | { type: 'nb.run.done'; doc: number; run: number; summary: NotebookRunSummary }
  /** The commits confirmed pending on this notebook's devices now (sent when they change). */
  | { type: 'nb.pending'; doc: number; pending: PendingCommitView[] }
  | { type: 'nb.report'; doc: number; html: string }
  | { type: 'nb.exported'; doc: number; file: string }
  | { type: 'nb.error'; doc: number; message: string }
  | { type: 'fs.completions'; prefix: string; entries: PathCompletion[] }
  | { type: 'recent.listed'; paths: string[] }
  | { type: 'error'; message: string; ref?: string };

export type ClientMessageType = ClientMessage['type'];
export type HostMessageType = HostMessage['type'];

/** A message that failed validation. Main logs it and answers with an `error` message; it never throws past the transport. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

// ---------------------------------------------------------------- validation (main side)

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function int(o: Record<string, unknown>, key: string, min: number, max: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ProtocolError(`${String(o.type)}: "${key}" must be an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function str(o: Record<string, unknown>, key: string, maxLength: number): string {
  const v = o[key];
  if (typeof v !== 'string') throw new ProtocolError(`${String(o.type)}: "${key}" must be a string`);
  if (v.length > maxLength) throw new ProtocolError(`${String(o.type)}: "${key}" is longer than ${maxLength} characters`);
  return v;
}

const MAX_ID = 0xffffffff;
/** Longer than any host name ssh takes (destination.ts refuses past 255); the hub says why a shorter one is unusable. */
const MAX_HOST_CHARS = 1024;
/** A paste is chunked by the host; one input message may still carry a large paste. */
export const MAX_INPUT_CHARS = 16 * 1024 * 1024;
const MAX_LAYOUT_DEPTH = 32;
const MAX_PATH_CHARS = 4096;
/** Changes in one nb.edit (a multi-cursor edit or a paste at many places), and one notebook's size. */
const MAX_CHANGES = 100_000;
export const MAX_NOTEBOOK_CHARS = 64 * 1024 * 1024;
const MAX_VARS = 1000;

function validateChanges(raw: Record<string, unknown>): TextChange[] {
  const v = raw.changes;
  if (!Array.isArray(v) || v.length > MAX_CHANGES) throw new ProtocolError(`nb.edit: "changes" must be an array of at most ${MAX_CHANGES} changes`);
  return v.map((c: unknown) => {
    if (!isObject(c)) throw new ProtocolError('nb.edit: a change must be { offset, length, text }');
    return { offset: int(c, 'offset', 0, MAX_NOTEBOOK_CHARS), length: int(c, 'length', 0, MAX_NOTEBOOK_CHARS), text: str(c, 'text', MAX_NOTEBOOK_CHARS) };
  });
}

function validateSelection(raw: Record<string, unknown>): RunSelection {
  const s = raw.selection;
  if (!isObject(s)) throw new ProtocolError('nb.run: "selection" must be { kind: "all" | "block" | "from" }');
  if (s.kind === 'all') return { kind: 'all' };
  if (s.kind === 'block') {
    const out: RunSelection = { kind: 'block', number: int(s, 'number', 1, 10_000_000) };
    if (s.hosts !== undefined) {
      if (!Array.isArray(s.hosts) || s.hosts.length === 0 || s.hosts.length > 10_000 || !s.hosts.every((h) => typeof h === 'string' && h.length > 0 && h.length <= MAX_HOST_CHARS)) {
        throw new ProtocolError('nb.run: "hosts" must be a non-empty list of host names');
      }
      out.hosts = [...(s.hosts as string[])];
    }
    return out;
  }
  if (s.kind === 'from') return { kind: s.kind, number: int(s, 'number', 1, 10_000_000) };
  throw new ProtocolError(`nb.run: unknown selection kind ${JSON.stringify(s.kind)}`);
}

function validateVars(raw: Record<string, unknown>): Record<string, string> {
  const v = raw.vars;
  if (!isObject(v)) throw new ProtocolError(`${String(raw.type)}: "vars" must be an object of strings`);
  const entries = Object.entries(v);
  if (entries.length > MAX_VARS) throw new ProtocolError(`${String(raw.type)}: at most ${MAX_VARS} variables`);
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, value] of entries) {
    if (typeof value !== 'string' || value.length > 1024 * 1024) throw new ProtocolError(`nb.run: variable ${JSON.stringify(k.slice(0, 64))} must be a string of at most 1 MiB`);
    out[k] = value;
  }
  return out;
}

function validatePane(v: unknown, depth: number): PaneLayout {
  if (depth > MAX_LAYOUT_DEPTH) throw new ProtocolError('session.save: layout nested too deeply');
  if (!isObject(v)) throw new ProtocolError('session.save: a pane must be an object');
  if (v.kind === 'terminal') {
    const cwd = v.cwd === null ? null : str(v, 'cwd', 4096);
    const pane: PaneLayout = { kind: 'terminal', cwd, title: str(v, 'title', 1024), scrollback: str(v, 'scrollback', 64 * 1024 * 1024) };
    if (v.ssh === null) pane.ssh = null;
    else if (v.ssh !== undefined) {
      if (typeof v.ssh !== 'string' || v.ssh.length > MAX_HOST_CHARS) throw new ProtocolError(`session.save: a terminal pane's "ssh" must be a host name of at most ${MAX_HOST_CHARS} characters, or null`);
      pane.ssh = v.ssh;
    }
    return pane;
  }
  if (v.kind === 'split') {
    if (v.direction !== 'row' && v.direction !== 'column') throw new ProtocolError('session.save: split direction must be "row" or "column"');
    const ratio = v.ratio;
    if (typeof ratio !== 'number' || !(ratio > 0 && ratio < 1)) throw new ProtocolError('session.save: split ratio must be in (0, 1)');
    return { kind: 'split', direction: v.direction, ratio, first: validatePane(v.first, depth + 1), second: validatePane(v.second, depth + 1) };
  }
  throw new ProtocolError(`session.save: unknown pane kind ${JSON.stringify(v.kind)}`);
}

export function validateSessionLayout(v: unknown): SessionLayout {
  if (!isObject(v) || v.version !== 1 || !Array.isArray(v.tabs)) throw new ProtocolError('session.save: layout must be { version: 1, tabs: [...] }');
  if (v.tabs.length > 256) throw new ProtocolError('session.save: too many tabs');
  const tabs = v.tabs.map((t): TabLayout => {
    if (!isObject(t)) throw new ProtocolError('session.save: a tab must be an object');
    if (t.notebook !== undefined) return { notebook: str(t, 'notebook', MAX_PATH_CHARS) };
    return { root: validatePane(t.root, 0) };
  });
  const activeTab = int(v, 'activeTab', 0, Math.max(0, tabs.length - 1));
  return { version: 1, tabs, activeTab };
}

/**
 * Checks an untrusted value from the renderer and returns it typed.
 * Throws ProtocolError (never anything else) when it is malformed.
 */
export function validateClientMessage(raw: unknown): ClientMessage {
  if (!isObject(raw)) throw new ProtocolError('message must be an object');
  const t = raw.type;
  switch (t) {
    case 'hello':
      return { type: t, protocol: int(raw, 'protocol', 0, 1_000_000) };
    case 'term.create': {
      const o = raw.options;
      if (!isObject(o)) throw new ProtocolError('term.create: "options" must be an object');
      const cwd = o.cwd === null || o.cwd === undefined ? null : str(o, 'cwd', 4096);
      const options: TermSpawnOptions = { cols: int(o, 'cols', 1, 2000), rows: int(o, 'rows', 1, 1000), cwd };
      if (o.ssh !== undefined && o.ssh !== null) {
        if (!isObject(o.ssh) || typeof o.ssh.host !== 'string' || o.ssh.host.length > MAX_HOST_CHARS) {
          throw new ProtocolError(`term.create: "ssh" must be { host: string } (at most ${MAX_HOST_CHARS} characters) or null`);
        }
        options.ssh = { host: o.ssh.host };
      }
      if (o.session !== undefined && o.session !== null) {
        const sess = o.session;
        if (!isObject(sess)) throw new ProtocolError('term.create: "session" must be { doc, block, host } or null');
        options.session = { doc: int(sess, 'doc', 1, MAX_ID), block: int(sess, 'block', 1, 10_000_000), host: str(sess, 'host', MAX_HOST_CHARS) };
        if (options.ssh) throw new ProtocolError('term.create: a terminal is either "ssh" or "session", not both');
      }
      return { type: t, id: int(raw, 'id', 1, MAX_ID), options };
    }
    case 'term.input':
      return { type: t, id: int(raw, 'id', 1, MAX_ID), data: str(raw, 'data', MAX_INPUT_CHARS) };
    case 'term.resize':
      return { type: t, id: int(raw, 'id', 1, MAX_ID), cols: int(raw, 'cols', 1, 2000), rows: int(raw, 'rows', 1, 1000) };
    case 'term.ack':
      return { type: t, id: int(raw, 'id', 1, MAX_ID), bytes: int(raw, 'bytes', 0, Number.MAX_SAFE_INTEGER) };
    case 'term.close':
    case 'term.handBack':
      return { type: t, id: int(raw, 'id', 1, MAX_ID) };
    case 'term.toNotebook': {
      const seqs = raw.seqs;
      if (!Array.isArray(seqs) || seqs.length === 0 || seqs.length > 1000 || !seqs.every((n) => Number.isInteger(n) && n >= 1)) {
        throw new ProtocolError('term.toNotebook: "seqs" must be a non-empty list of command numbers');
      }
      return { type: t, id: int(raw, 'id', 1, MAX_ID), seqs: [...(seqs as number[])], path: str(raw, 'path', MAX_PATH_CHARS) };
    }
    case 'term.record':
      return { type: t, id: int(raw, 'id', 1, MAX_ID), path: raw.path === null ? null : str(raw, 'path', MAX_PATH_CHARS) };
    case 'session.save':
      return { type: t, layout: validateSessionLayout(raw.layout) };
    case 'settings.reload':
      return { type: t };
    case 'link.open':
      return { type: t, url: str(raw, 'url', 8192) };
    case 'hosts.list':
      return { type: t };
    case 'nb.open':
      return { type: t, doc: int(raw, 'doc', 1, MAX_ID), path: str(raw, 'path', MAX_PATH_CHARS) };
    case 'nb.edit': {
      const edit: ClientMessage = { type: t, doc: int(raw, 'doc', 1, MAX_ID), version: int(raw, 'version', 1, Number.MAX_SAFE_INTEGER), changes: validateChanges(raw) };
      if (raw.applied !== undefined) edit.applied = int(raw, 'applied', 1, MAX_ID);
      return edit;
    }
    case 'nb.apply.rejected':
      return { type: t, doc: int(raw, 'doc', 1, MAX_ID), apply: int(raw, 'apply', 1, MAX_ID) };
    case 'nb.vars':
      return { type: t, doc: int(raw, 'doc', 1, MAX_ID), vars: validateVars(raw) };
    case 'nb.save':
    case 'nb.trust':
      return { type: t, doc: int(raw, 'doc', 1, MAX_ID), version: int(raw, 'version', 0, Number.MAX_SAFE_INTEGER) };
    case 'nb.resolve': {
      if (raw.take !== 'disk' && raw.take !== 'mine') throw new ProtocolError('nb.resolve: "take" must be "disk" or "mine"');
      return { type: t, doc: int(raw, 'doc', 1, MAX_ID), take: raw.take };
    }
    case 'nb.close':
    case 'nb.report':
    case 'nb.export':
    case 'nb.pdf':
      return { type: t, doc: int(raw, 'doc', 1, MAX_ID) };
    case 'nb.run':
      if (typeof raw.keepGoing !== 'boolean') throw new ProtocolError('nb.run: "keepGoing" must be a boolean');
      return { type: t, doc: int(raw, 'doc', 1, MAX_ID), run: int(raw, 'run', 1, MAX_ID), selection: validateSelection(raw), keepGoing: raw.keepGoing, vars: validateVars(raw) };
    case 'nb.cancel':
      return { type: t, doc: int(raw, 'doc', 1, MAX_ID), run: raw.run === null ? null : int(raw, 'run', 1, MAX_ID) };
    case 'nb.settle': {
      if (raw.action !== 'confirm' && raw.action !== 'rollback') throw new ProtocolError('nb.settle: "action" must be "confirm" or "rollback"');
      return { type: t, doc: int(raw, 'doc', 1, MAX_ID), run: int(raw, 'run', 1, MAX_ID), host: str(raw, 'host', MAX_HOST_CHARS), action: raw.action, vars: validateVars(raw) };
    }
    case 'nb.confirm.answer': {
      if (raw.answer !== 'yes' && raw.answer !== 'no') throw new ProtocolError('nb.confirm.answer: "answer" must be "yes" or "no"');
      return { type: t, doc: int(raw, 'doc', 1, MAX_ID), request: int(raw, 'request', 1, MAX_ID), answer: raw.answer };
    }
    case 'nb.secret.answer': {
      const secret = raw.secret === null ? null : str(raw, 'secret', 64 * 1024);
      return { type: t, doc: int(raw, 'doc', 1, MAX_ID), request: int(raw, 'request', 1, MAX_ID), secret };
    }
    case 'nb.output.ack':
      return { type: t, stream: int(raw, 'stream', 1, MAX_ID), bytes: int(raw, 'bytes', 0, Number.MAX_SAFE_INTEGER) };
    case 'fs.complete':
      return { type: t, prefix: str(raw, 'prefix', MAX_PATH_CHARS) };
    case 'recent.list':
      return { type: t };
    default:
      throw new ProtocolError(`unknown message type ${JSON.stringify(t)}`);
  }
}

/** Parses a JSON text frame from the WebSocket transport and validates it. */
export function parseClientFrame(text: string): ClientMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ProtocolError(`frame is not JSON: ${(e as Error).message}`);
  }
  return validateClientMessage(raw);
}

/**
 * Encodes a host message for the WebSocket transport: JSON text, or for
 * term.data and nb.output a binary message in two parts, the header and the
 * bytes, which the transport sends as two fragments of one message. Why
 * parts: joining them copied every byte of output once more (batches of up to
 * 2 MB), and the copies were a good part of `modus serve`'s garbage
 * collection in a flood (CPU profile of a 100 MB cat).
 */
export function encodeHostFrame(msg: HostMessage): string | readonly [Uint8Array, Uint8Array] {
  if (msg.type === 'term.data') return [binaryHeader(TERM_DATA_FRAME.kind, msg.id), msg.data];
  if (msg.type === 'nb.output') return [binaryHeader(NB_OUTPUT_FRAME.kind, msg.stream), msg.data];
  return JSON.stringify(msg);
}

function binaryHeader(kind: number, id: number): Uint8Array {
  const header = new Uint8Array(TERM_DATA_FRAME.headerBytes);
  header[0] = kind;
  new DataView(header.buffer).setUint32(1, id, true);
  return header;
}

// ---------------------------------------------------------------- Electron preload bridge

/**
 * What the Electron preload exposes on `window.modus` through contextBridge:
 * named functions only, no ipcRenderer, no event objects. The web transport
 * offers the renderer the same shape over a WebSocket.
 */
export interface ModusBridge {
  /** Sends one message to main (validated there). */
  send(msg: ClientMessage): void;
  /** Registers the one listener for host messages; returns nothing to keep IPC objects out of reach. */
  onMessage(listener: (msg: HostMessage) => void): void;
}

/** IPC channel names (Electron transport). */
export const IPC_CHANNEL = { toMain: 'modus:to-main', toRenderer: 'modus:to-renderer' } as const;
