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
  | 'newSshTab';

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

export interface SessionLayout {
  version: 1;
  tabs: { root: PaneLayout }[];
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
}

/** A host the SSH tab picker offers. */
export interface ListedHost {
  name: string;
  /** What the user recognises it by: address and user from the inventory, or the ssh config file. */
  detail: string;
  source: 'inventory' | 'ssh-config';
}

export type ClientMessage =
  | { type: 'hello'; protocol: number }
  | { type: 'term.create'; id: number; options: TermSpawnOptions }
  | { type: 'term.input'; id: number; data: string }
  | { type: 'term.resize'; id: number; cols: number; rows: number }
  | { type: 'term.ack'; id: number; bytes: number }
  | { type: 'term.close'; id: number }
  | { type: 'session.save'; layout: SessionLayout }
  | { type: 'settings.reload' }
  | { type: 'link.open'; url: string }
  | { type: 'hosts.list' };

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
    }
  | { type: 'term.created'; id: number; pid: number; shell: string; cwd: string }
  | { type: 'term.data'; id: number; data: Uint8Array }
  | { type: 'term.exit'; id: number; exitCode: number; signal: number | null }
  | { type: 'term.cwd'; id: number; cwd: string }
  | { type: 'settings.changed'; settings: Settings; settingsProblems: SettingsProblem[] }
  | { type: 'hosts.listed'; hosts: ListedHost[]; /** Inventory and ssh config problems, one line each (file:line:column: reason). */ problems: string[] }
  /** Run a key action as if its chord was pressed (the Electron menu). */
  | { type: 'action'; action: KeyAction }
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
  const tabs = v.tabs.map((t) => {
    if (!isObject(t)) throw new ProtocolError('session.save: a tab must be an object');
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
      return { type: t, id: int(raw, 'id', 1, MAX_ID), options };
    }
    case 'term.input':
      return { type: t, id: int(raw, 'id', 1, MAX_ID), data: str(raw, 'data', MAX_INPUT_CHARS) };
    case 'term.resize':
      return { type: t, id: int(raw, 'id', 1, MAX_ID), cols: int(raw, 'cols', 1, 2000), rows: int(raw, 'rows', 1, 1000) };
    case 'term.ack':
      return { type: t, id: int(raw, 'id', 1, MAX_ID), bytes: int(raw, 'bytes', 0, Number.MAX_SAFE_INTEGER) };
    case 'term.close':
      return { type: t, id: int(raw, 'id', 1, MAX_ID) };
    case 'session.save':
      return { type: t, layout: validateSessionLayout(raw.layout) };
    case 'settings.reload':
      return { type: t };
    case 'link.open':
      return { type: t, url: str(raw, 'url', 8192) };
    case 'hosts.list':
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

/** Encodes a host message for the WebSocket transport: binary for term.data, JSON text otherwise. */
export function encodeHostFrame(msg: HostMessage): string | Uint8Array {
  if (msg.type === 'term.data') {
    const frame = new Uint8Array(TERM_DATA_FRAME.headerBytes + msg.data.byteLength);
    frame[0] = TERM_DATA_FRAME.kind;
    new DataView(frame.buffer).setUint32(1, msg.id, true);
    frame.set(msg.data, TERM_DATA_FRAME.headerBytes);
    return frame;
  }
  return JSON.stringify(msg);
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
