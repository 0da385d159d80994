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
  type HeldSessionRef,
  type HostMessage,
} from '../protocol.js';
import { SettingsStore } from '../settings/settings-store.js';
import { SessionStore } from '../settings/session-store.js';
import { formatProblem, type SettingsResult } from '../settings/validate.js';
export type { SettingsResult };
import { TerminalProcess, noticeBytes, type TerminalSpawnOptions } from '../terminals/terminal-process.js';
import { destinationProblem } from '../targets/ssh/destination.js';
import { sshBinary, SshMissingError } from '../targets/ssh/ssh-client.js';
import { listSshHosts, sshTabCommand, type LendMaster } from './ssh-tabs.js';
import type { Watermarks } from '../terminals/flow-control.js';
import type { BatchOptions } from '../terminals/output-batcher.js';
import { sessionFilePath, settingsFilePath, userConfigDir } from './paths.js';
import { checkExternalUrl } from './external-url.js';
import { NotebookHost, isNotebookMessage } from './notebooks/notebook-host.js';
import { HeldTerminal } from './held-terminal.js';
import { CommandRecorder, type RecordedCommand } from './terminal-commands.js';
import { commandAsBlock } from '../run/command-block.js';
import { basename as pathBasename } from 'node:path';
import { RecentNotebooks } from './notebooks/recent-notebooks.js';
import { TrustStore } from './notebooks/trust-store.js';
import { expandUserPath } from '../settings/user-path.js';

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
  /** Base environment for shells and ssh (default process.env); its PATH is where ssh is looked for. */
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Tuning for tests and benchmarks. */
  watermarks?: Watermarks;
  batch?: BatchOptions;
  /** Notebooks every new window opens (`modus serve PATH.md`), as absolute paths. */
  openNotebooks?: string[];
}

export interface HubConnection {
  /** One message from the renderer, as an object (Electron structured clone). Never throws. */
  receive(raw: unknown): void;
  /** One JSON text frame from the renderer (WebSocket). Never throws. */
  receiveText(text: string): void;
  /** The renderer went away: its terminals are hung up. Idempotent. */
  close(): void;
  /** Its notebooks: the open ones, their runs (the hosts go through messages; tests look inside). */
  readonly notebooks: NotebookHost;
}

/** What a host application can do for one renderer beyond messages. */
export interface ConnectionAbilities {
  /** Electron: the page printed to PDF (its print stylesheet applies). */
  printToPdf?: () => Promise<Uint8Array>;
}

export interface Hub {
  /** `send` delivers one message to this renderer; it may throw (a dead transport), the hub copes. */
  connect(send: (msg: HostMessage) => void, abilities?: ConnectionAbilities): HubConnection;
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

/** An SSH tab between term.create and its ssh starting (the inventory is read first): what the renderer sent meanwhile. */
interface PendingTerminal {
  cols: number;
  rows: number;
  input: string[];
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
  const trust = new TrustStore(configDir);
  if (trust.problem) log(`modus: ${trust.problem}`);
  const recent = new RecentNotebooks(configDir);
  let closed = false;

  const logProblems = (result: SettingsResult): void => {
    for (const p of result.problems) log(`modus: settings: ${formatProblem(p)}`);
  };
  logProblems(settingsStore.current);
  settingsStore.onChange(logProblems);

  /** What a terminal with shell integration knows of its commands, and where it records them. */
  interface TerminalCommands {
    recorder: CommandRecorder;
    /** The block language when the shell did not name itself in its prompt mark. */
    language: string;
    /** The SSH tab's host (for `:host`), null for a local shell. */
    host: string | null;
    /** The inventory that names the SSH tab's host: a new notebook of its commands declares it, so `:host` resolves there too. */
    inventory: string | null;
    title: string;
    recording: string | null;
    /** The terminal's appends, one after another: commands that end close together land in the order they ended. */
    appending: Promise<void>;
  }

  class Connection implements HubConnection {
    readonly terminals = new Map<number, TerminalProcess>();
    readonly commands = new Map<number, TerminalCommands>();
    readonly pending = new Map<number, PendingTerminal>();
    /** Terminals holding a notebook's :session shell by hand. */
    readonly held = new Map<number, HeldTerminal>();
    /** Ids used in this connection, so late messages for an exited terminal are not errors. */
    readonly usedIds = new Set<number>();
    #closed = false;
    #unsubscribe: () => void;
    readonly notebooks: NotebookHost;

    constructor(
      private readonly sendRaw: (msg: HostMessage) => void,
      abilities: ConnectionAbilities,
    ) {
      this.#unsubscribe = settingsStore.onChange((result) => {
        this.send({ type: 'settings.changed', settings: result.settings, settingsProblems: result.problems });
      });
      this.notebooks = new NotebookHost({
        send: (msg) => this.send(msg),
        trust,
        recent,
        log,
        home,
        sshConfig: () => {
          const configured = settingsStore.current.settings.sshConfig;
          return configured === null ? null : expandUserPath(configured, home);
        },
        ...(abilities.printToPdf ? { printToPdf: abilities.printToPdf } : {}),
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
      if (isNotebookMessage(msg)) {
        this.notebooks.handle(msg);
        return;
      }
      switch (msg.type) {
        case 'hello':
          this.welcome(msg.protocol);
          return;
        case 'term.create':
          if (msg.options.session) this.createHeldTerminal(msg.id, msg.options.cols, msg.options.rows, msg.options.session);
          else if (msg.options.ssh) this.createSshTerminal(msg.id, msg.options.cols, msg.options.rows, msg.options.ssh.host);
          else this.createTerminal(msg.id, msg.options.cols, msg.options.rows, msg.options.cwd);
          return;
        case 'term.input': {
          const p = this.pending.get(msg.id);
          const h = this.held.get(msg.id);
          if (p) p.input.push(msg.data);
          else if (h) h.write(msg.data);
          else this.terminal(msg.id, msg.type)?.write(msg.data);
          return;
        }
        case 'term.resize': {
          const p = this.pending.get(msg.id);
          const h = this.held.get(msg.id);
          if (p) Object.assign(p, { cols: msg.cols, rows: msg.rows });
          else if (h) h.resize(msg.cols, msg.rows);
          else this.terminal(msg.id, msg.type)?.resize(msg.cols, msg.rows);
          return;
        }
        case 'term.handBack': {
          const h = this.held.get(msg.id);
          if (h) h.handBack();
          else if (!this.usedIds.has(msg.id)) this.error(`term.handBack: terminal ${msg.id} does not hold a notebook's session`, `term:${msg.id}`);
          return;
        }
        case 'term.ack': {
          this.held.get(msg.id)?.ack(msg.bytes);
          const t = this.terminals.get(msg.id);
          if (!t) return; // acks race with exits; nothing to do
          const { excess } = t.ack(msg.bytes);
          if (excess > 0) log(`modus: terminal ${msg.id}: the renderer acknowledged ${excess} bytes more than it was sent; ignored`);
          return;
        }
        case 'term.toNotebook':
          void this.sendToNotebook(msg.id, msg.seqs, msg.path);
          return;
        case 'term.record': {
          const c = this.commands.get(msg.id);
          if (!c) {
            this.error(`term.record: terminal ${msg.id} has no shell integration (bash or zsh started by Modus with "shellIntegration" on, or in an SSH tab with "sshShellIntegration" on), so its commands cannot be told apart`, `term:${msg.id}`);
            return;
          }
          c.recording = msg.path;
          this.send({ type: 'term.recording', id: msg.id, path: msg.path });
          return;
        }
        case 'term.close': {
          this.pending.delete(msg.id);
          // A held session is handed back, never killed.
          this.held.get(msg.id)?.close();
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
        case 'hosts.list':
          listSshHosts(settingsStore.current.settings, home).then(
            ({ hosts, problems }) => this.send({ type: 'hosts.listed', hosts, problems }),
            (e: unknown) => this.error(`hosts.list: could not read the inventory or ssh config: ${(e as Error).message}`, msg.type),
          );
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
        open: options.openNotebooks ?? [],
      });
    }

    terminal(id: number, type: string): TerminalProcess | undefined {
      const t = this.terminals.get(id);
      if (!t && !this.usedIds.has(id)) this.error(`${type}: there is no terminal ${id}`, `term:${id}`);
      return t;
    }

    /** Claims a terminal id; false (and an error) when the renderer used it before in this connection. */
    claim(id: number): boolean {
      if (this.usedIds.has(id)) {
        this.error(`term.create: terminal id ${id} is already used in this connection; pick a new id`, `term:${id}`);
        return false;
      }
      this.usedIds.add(id);
      return true;
    }

    createTerminal(id: number, cols: number, rows: number, cwd: string | null): void {
      if (!this.claim(id)) return;
      const { settings } = settingsStore.current;
      this.spawn(id, { cols, rows, cwd, shell: settings.shell, shellArgs: settings.shellArgs, shellIntegration: settings.shellIntegration }, 'a shell');
    }

    /** A notebook's :session shell in this terminal, taken over by hand until handed back. */
    createHeldTerminal(id: number, cols: number, rows: number, ref: HeldSessionRef): void {
      if (!this.claim(id)) return;
      const held = new HeldTerminal(id, (m) => this.send(m), () => this.held.delete(id), { watermarks: options.watermarks, batch: options.batch });
      this.held.set(id, held);
      this.notebooks.openSession(ref, held, { cols, rows }, held.signal).then(
        (r) => {
          if ('error' in r) held.failed(r.error);
          else held.attach(r.hold);
        },
        (e: unknown) => held.failed(`could not open the session: ${(e as Error).message}`),
      );
    }

    /** `ssh [-F FILE] -- HOST` on the pty: its prompts (host key, password) are the user's to answer in the tab. */
    createSshTerminal(id: number, cols: number, rows: number, host: string): void {
      const problem = destinationProblem({ host });
      if (problem) {
        this.error(`term.create: refused to open an SSH tab: ${problem}`, `term:${id}`);
        return;
      }
      if (!this.claim(id)) return;
      let ssh: string;
      try {
        ssh = sshBinary(options.env ?? process.env);
      } catch (e) {
        if (!(e instanceof SshMissingError)) throw e;
        // No process to run: the notice and an exit, so the pane says why and can try again once ssh is installed.
        this.send({ type: 'term.data', id, data: noticeBytes(`cannot open an SSH tab to ${host}: ${e.message}`) });
        this.send({ type: 'term.exit', id, exitCode: 127, signal: null });
        return;
      }
      const pending: PendingTerminal = { cols, rows, input: [] };
      this.pending.set(id, pending);
      const failed = (e: unknown): void => this.error(`term.create: could not open an SSH tab to ${host}: ${(e as Error).message}`, `term:${id}`);
      // A master a notebook's runs opened to the same destination carries the tab: no second login, no second password.
      const lendMaster: LendMaster = (destination, sshConfig) => this.notebooks.lendMaster(destination, sshConfig);
      sshTabCommand(host, settingsStore.current.settings, home, undefined, lendMaster)
        .then(
          (tab) => {
            if (this.pending.get(id) !== pending) {
              tab.master?.release(); // closed meanwhile
              return;
            }
            this.pending.delete(id);
            const program = {
              file: ssh,
              args: tab.args,
              ...(tab.integrationNonce !== null ? { integrationNonce: tab.integrationNonce } : {}),
              ...(tab.notice !== null ? { notice: tab.notice } : {}),
            };
            const ended = (): void => tab.master?.release();
            const started = this.spawn(id, { cols: pending.cols, rows: pending.rows, cwd: null, shell: null, shellArgs: [], program }, 'ssh', { sshHost: host, inventory: tab.inventory, ended });
            if (!started) ended();
            for (const data of pending.input) started?.write(data);
          },
          (e: unknown) => {
            if (this.pending.get(id) !== pending) return;
            this.pending.delete(id);
            failed(e);
          },
        )
        .catch(failed);
    }

    spawn(
      id: number,
      spawnOptions: Pick<TerminalSpawnOptions, 'cols' | 'rows' | 'cwd' | 'shell' | 'shellArgs' | 'program' | 'shellIntegration'>,
      what: string,
      { sshHost = null, inventory = null, ended }: { sshHost?: string | null; inventory?: string | null; ended?: () => void } = {},
    ): TerminalProcess | null {
      // ssh's own directory is not where its remote shell is, and a remote OSC 7 path is not one here.
      const trackCwd = sshHost === null;
      if (this.#closed) return null;
      let terminal: TerminalProcess;
      try {
        terminal = new TerminalProcess(
          {
            ...spawnOptions,
            env: options.env, home, version, watermarks: options.watermarks, batch: options.batch,
            onError: (e) => log(`modus: terminal ${id}: ${e.message}`),
          },
          {
            data: (batch) => this.send({ type: 'term.data', id, data: batch }),
            cwd: (dir) => {
              if (trackCwd) this.send({ type: 'term.cwd', id, cwd: dir });
            },
            exit: (exitCode, signal) => {
              this.terminals.delete(id);
              this.commands.delete(id);
              ended?.();
              this.send({ type: 'term.exit', id, exitCode, signal });
            },
            output: (chunk) => this.commands.get(id)?.recorder.feed(chunk),
          },
        );
      } catch (e) {
        this.error(`term.create: could not start ${what} for terminal ${id}: ${(e as Error).message}`, `term:${id}`);
        return null;
      }
      this.terminals.set(id, terminal);
      const nonce = terminal.integrationNonce;
      if (nonce !== null) {
        const t = terminal;
        this.commands.set(id, {
          // An SSH tab's commands ran where its remote shell said it was (OSC 7), not where ssh runs.
          recorder: new CommandRecorder(nonce, () => t.cols, () => (sshHost === null ? t.cwd : null), (c) => this.commandEnded(id, c), sshHost === null ? undefined : null),
          language: pathBasename(t.shell) === 'zsh' ? 'zsh' : 'bash',
          host: sshHost,
          inventory,
          title: sshHost ?? pathBasename(t.shell),
          recording: null,
          appending: Promise.resolve(),
        });
      }
      this.send({ type: 'term.created', id, pid: terminal.pid, shell: terminal.shell, cwd: terminal.startCwd, marks: nonce });
      return terminal;
    }

    commandEnded(id: number, c: RecordedCommand): void {
      this.send({ type: 'term.command', id, seq: c.seq, command: c.command, exitCode: c.exitCode, cwd: c.cwd, tookMs: c.end.getTime() - c.start.getTime() });
      const t = this.commands.get(id);
      if (t?.recording) void this.appendCommands(id, t, [c], t.recording);
    }

    async sendToNotebook(id: number, seqs: number[], path: string): Promise<void> {
      const t = this.commands.get(id);
      if (!t) {
        this.error(`term.toNotebook: terminal ${id} has no shell integration, so its commands cannot be told apart; turn "shellIntegration" on (for SSH tabs "sshShellIntegration") and open a new bash or zsh tab`, `term:${id}`);
        return;
      }
      const chosen = t.recorder.commands().filter((c) => seqs.includes(c.seq));
      if (chosen.length === 0) {
        this.error(`term.toNotebook: terminal ${id} no longer has commands ${seqs.join(', ')} (it keeps the last ${t.recorder.commands().length})`, `term:${id}`);
        return;
      }
      await this.appendCommands(id, t, chosen, path);
    }

    /** Appends `commands` to the notebook at `path` after the terminal's earlier appends (a recording's two commands raced: seen on a loaded machine). */
    appendCommands(id: number, t: TerminalCommands, commands: readonly RecordedCommand[], path: string): Promise<void> {
      const next = t.appending.then(() => this.appendNow(id, t, commands, path));
      t.appending = next.catch(() => undefined);
      return next;
    }

    private async appendNow(id: number, t: TerminalCommands, commands: readonly RecordedCommand[], path: string): Promise<void> {
      const expanded = expandUserPath(path, home);
      const text = commands
        .map((c) => commandAsBlock({ lang: c.shell === 'bash' || c.shell === 'zsh' ? c.shell : t.language, command: c.command, cwd: c.cwd, host: t.host, exitCode: c.exitCode, start: c.start, end: c.end, output: c.output }))
        .join('\n');
      const outcome = await this.notebooks.appendToNotebook(expanded, text, t.title, t.inventory);
      if (outcome.ok) this.send({ type: 'term.sent', id, path: outcome.path, count: commands.length });
      else this.error(`could not append to ${path}: ${outcome.error}`, `term:${id}`);
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
      for (const h of [...this.held.values()]) h.close();
      this.notebooks.close();
      this.commands.clear();
      for (const t of this.terminals.values()) t.close();
      this.terminals.clear();
      this.pending.clear();
      connections.delete(this);
    }
  }

  return {
    connect(send, abilities = {}) {
      if (closed) throw new Error('the hub is closed');
      const c = new Connection(send, abilities);
      connections.add(c);
      return { receive: (raw) => c.receive(raw), receiveText: (text) => c.receiveText(text), close: () => c.close(), notebooks: c.notebooks };
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
      const open = [...connections];
      for (const c of open) {
        c.notebooks.stopRuns();
        c.close();
      }
      // Notebooks' sessions and connections end once their (cancelled) runs have written their results.
      await Promise.all(open.map((c) => c.notebooks.sessionsEnded()));
      settingsStore.close();
      await Promise.all([sessionStore.idle(), trust.idle(), recent.idle()]);
    },
  };
}
