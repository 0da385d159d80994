// The one place that serves a renderer connection, whatever carries it
// (Electron IPC or the web host's WebSocket). A connection sends ClientMessages
// in, gets HostMessages out; the hub validates every message, owns the
// connection's terminals (they die with it), applies flow-control acks,
// answers hello with welcome, keeps settings live and saves sessions.

import { readFileSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import {
  PROTOCOL_VERSION,
  ProtocolError,
  parseClientFrame,
  validateClientMessage,
  type ClientMessage,
  type HostMessage,
} from '../protocol.js';
import { SettingsStore } from '../settings/settings-store.js';
import { SessionStore } from '../settings/session-store.js';
import { formatProblem, type SettingsResult } from '../settings/validate.js';
export type { SettingsResult };
import { TerminalProcess } from '../terminals/terminal-process.js';
import type { Watermarks } from '../terminals/flow-control.js';
import type { BatchOptions } from '../terminals/output-batcher.js';
import { sessionFilePath, settingsFilePath, userConfigDir } from './paths.js';
import { checkExternalUrl } from './external-url.js';

export interface HubOptions {
  /** Which host this is; told to the renderer in `welcome`. */
  host: 'electron' | 'web';
  /** Where settings.json and session.json live (default: the user config directory, see paths.ts). */
  configDir?: string;
  /**
   * Opens a link outside the app (Electron: shell.openExternal). Only ever
   * called with http: and https: URLs. Absent: `link.open` is answered with
   * an error (a browser opens links itself).
   */
  openExternal?: (url: string) => void | Promise<void>;
  /** One line per call, no trailing newline. Default: stderr. */
  log?: (line: string) => void;
  /** Base environment for shells (default process.env). */
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Tuning for tests and benchmarks. */
  watermarks?: Watermarks;
  batch?: BatchOptions;
}

export interface HubConnection {
  /** One message from the renderer, as an object (Electron structured clone). Never throws. */
  receive(raw: unknown): void;
  /** One JSON text frame from the renderer (WebSocket). Never throws. */
  receiveText(text: string): void;
  /** The renderer went away: its terminals are hung up. Idempotent. */
  close(): void;
}

export interface Hub {
  /** `send` delivers one message to this renderer; it may throw (a dead transport), the hub copes. */
  connect(send: (msg: HostMessage) => void): HubConnection;
  readonly settingsFile: string;
  readonly sessionFile: string;
  /** The settings in force and their problems (e.g. for window options in Electron). */
  currentSettings(): SettingsResult;
  /** Calls `listener` after each settings change; returns the unsubscribe function. */
  onSettingsChange(listener: (result: SettingsResult) => void): () => void;
  /** Number of open connections. */
  readonly connectionCount: number;
  /** Terminals alive across all connections. */
  readonly terminalCount: number;
  /** Closes every connection (hangs up all shells), stops watching settings, waits for a pending session save. */
  close(): Promise<void>;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0';
  } catch {
    return '0';
  }
}

export function createHub(options: HubOptions): Hub {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const configDir = options.configDir ?? userConfigDir();
  try {
    mkdirSync(configDir, { recursive: true });
  } catch (e) {
    log(`modus: cannot create the config directory ${configDir}: ${(e as Error).message}`);
  }
  const settingsStore = new SettingsStore(settingsFilePath(configDir));
  const sessionStore = new SessionStore(sessionFilePath(configDir));
  const version = packageVersion();
  const home = options.home ?? homedir();
  const connections = new Set<Connection>();
  let closed = false;

  const logProblems = (result: SettingsResult): void => {
    for (const p of result.problems) log(`modus: settings: ${formatProblem(p)}`);
  };
  logProblems(settingsStore.current);
  settingsStore.onChange(logProblems);

  class Connection implements HubConnection {
    readonly terminals = new Map<number, TerminalProcess>();
    /** Ids used in this connection, so late messages for an exited terminal are not errors. */
    readonly usedIds = new Set<number>();
    #closed = false;
    #unsubscribe: () => void;

    constructor(private readonly sendRaw: (msg: HostMessage) => void) {
      this.#unsubscribe = settingsStore.onChange((result) => {
        this.send({ type: 'settings.changed', settings: result.settings, settingsProblems: result.problems });
      });
    }

    send(msg: HostMessage): void {
      if (this.#closed) return;
      try {
        this.sendRaw(msg);
      } catch (e) {
        log(`modus: could not send ${msg.type} to the renderer: ${(e as Error).message}`);
      }
    }

    error(message: string, ref?: string): void {
      log(`modus: ${message}`);
      this.send(ref === undefined ? { type: 'error', message } : { type: 'error', message, ref });
    }

    receiveText(text: string): void {
      if (this.#closed) return;
      let msg: ClientMessage;
      try {
        msg = parseClientFrame(text);
      } catch (e) {
        this.rejected(e, text.slice(0, 120));
        return;
      }
      this.dispatch(msg);
    }

    receive(raw: unknown): void {
      if (this.#closed) return;
      let msg: ClientMessage;
      try {
        msg = validateClientMessage(raw);
      } catch (e) {
        let shown: string;
        try {
          shown = JSON.stringify(raw)?.slice(0, 120) ?? String(raw);
        } catch {
          shown = Object.prototype.toString.call(raw);
        }
        this.rejected(e, shown);
        return;
      }
      this.dispatch(msg);
    }

    rejected(e: unknown, shown: string): void {
      const reason = e instanceof ProtocolError ? e.message : `unexpected ${(e as Error)?.message ?? String(e)}`;
      this.error(`rejected a malformed message from the renderer: ${reason} (message: ${shown})`, 'protocol');
    }

    dispatch(msg: ClientMessage): void {
      try {
        this.handle(msg);
      } catch (e) {
        // A bug or a system failure in one handler must not take down main or the connection.
        this.error(`${msg.type} failed: ${(e as Error).message}`, msg.type);
      }
    }

    handle(msg: ClientMessage): void {
      switch (msg.type) {
        case 'hello':
          this.welcome(msg.protocol);
          return;
        case 'term.create':
          this.createTerminal(msg.id, msg.options.cols, msg.options.rows, msg.options.cwd);
          return;
        case 'term.input': {
          const t = this.terminal(msg.id, msg.type);
          t?.write(msg.data);
          return;
        }
        case 'term.resize':
          this.terminal(msg.id, msg.type)?.resize(msg.cols, msg.rows);
          return;
        case 'term.ack': {
          const t = this.terminals.get(msg.id);
          if (!t) return; // acks race with exits; nothing to do
          const { excess } = t.ack(msg.bytes);
          if (excess > 0) log(`modus: terminal ${msg.id}: the renderer acknowledged ${excess} bytes more than it was sent; ignored`);
          return;
        }
        case 'term.close': {
          const t = this.terminals.get(msg.id);
          t?.close();
          return;
        }
        case 'session.save':
          sessionStore.save(msg.layout).catch((e: unknown) => this.error(`could not save the session to ${sessionStore.file}: ${(e as Error).message}`, msg.type));
          return;
        case 'settings.reload': {
          const before = settingsStore.current;
          const after = settingsStore.reload();
          // Unchanged: the watchers stayed quiet, so answer the one who asked.
          if (after === before) this.send({ type: 'settings.changed', settings: after.settings, settingsProblems: after.problems });
          return;
        }
        case 'link.open':
          this.openLink(msg.url);
          return;
      }
    }

    welcome(protocol: number): void {
      if (protocol !== PROTOCOL_VERSION) {
        this.error(`the renderer speaks protocol ${protocol} and this host ${PROTOCOL_VERSION}; reload the page or reinstall Modus`, 'hello');
      }
      const { session, problem } = sessionStore.loadSync();
      if (problem) log(`modus: ${problem}`);
      const { settings, problems } = settingsStore.current;
      this.send({
        type: 'welcome',
        protocol: PROTOCOL_VERSION,
        host: options.host,
        platform: process.platform,
        home,
        settings,
        settingsFile: settingsStore.file,
        settingsProblems: problems,
        session,
      });
    }

    terminal(id: number, type: string): TerminalProcess | undefined {
      const t = this.terminals.get(id);
      if (!t && !this.usedIds.has(id)) this.error(`${type}: there is no terminal ${id}`, `term:${id}`);
      return t;
    }

    createTerminal(id: number, cols: number, rows: number, cwd: string | null): void {
      if (this.usedIds.has(id)) {
        this.error(`term.create: terminal id ${id} is already used in this connection; pick a new id`, `term:${id}`);
        return;
      }
      this.usedIds.add(id);
      const { settings } = settingsStore.current;
      let terminal: TerminalProcess;
      try {
        terminal = new TerminalProcess(
          {
            cols, rows, cwd, shell: settings.shell, shellArgs: settings.shellArgs,
            env: options.env, home, version, watermarks: options.watermarks, batch: options.batch,
            onError: (e) => log(`modus: terminal ${id}: ${e.message}`),
          },
          {
            data: (batch) => this.send({ type: 'term.data', id, data: batch }),
            cwd: (dir) => this.send({ type: 'term.cwd', id, cwd: dir }),
            exit: (exitCode, signal) => {
              this.terminals.delete(id);
              this.send({ type: 'term.exit', id, exitCode, signal });
            },
          },
        );
      } catch (e) {
        this.error(`term.create: could not start a shell for terminal ${id}: ${(e as Error).message}`, `term:${id}`);
        return;
      }
      this.terminals.set(id, terminal);
      this.send({ type: 'term.created', id, pid: terminal.pid, shell: terminal.shell, cwd: terminal.startCwd });
    }

    openLink(url: string): void {
      const checked = checkExternalUrl(url);
      if (!checked.ok) {
        this.error(`link.open: refused ${JSON.stringify(url.slice(0, 200))}: ${checked.reason}`, 'link.open');
        return;
      }
      if (!options.openExternal) {
        this.error('link.open: this host does not open links; the browser opens them itself', 'link.open');
        return;
      }
      Promise.resolve()
        .then(() => options.openExternal!(checked.url))
        .catch((e: unknown) => this.error(`link.open: could not open ${checked.url}: ${(e as Error).message}`, 'link.open'));
    }

    close(): void {
      if (this.#closed) return;
      this.#closed = true;
      this.#unsubscribe();
      for (const t of this.terminals.values()) t.close();
      this.terminals.clear();
      connections.delete(this);
    }
  }

  return {
    connect(send) {
      if (closed) throw new Error('the hub is closed');
      const c = new Connection(send);
      connections.add(c);
      return { receive: (raw) => c.receive(raw), receiveText: (text) => c.receiveText(text), close: () => c.close() };
    },
    settingsFile: settingsStore.file,
    sessionFile: sessionStore.file,
    currentSettings: () => settingsStore.current,
    onSettingsChange: (listener) => settingsStore.onChange(listener),
    get connectionCount() {
      return connections.size;
    },
    get terminalCount() {
      let n = 0;
      for (const c of connections) n += c.terminals.size;
      return n;
    },
    async close() {
      closed = true;
      for (const c of [...connections]) c.close();
      settingsStore.close();
      await sessionStore.idle();
    },
  };
}
