// One host's connection: its effective config (`ssh -G`), and a
// ControlMaster every run multiplexes over. A master is set up once (at most
// `setupLimit` at once across hosts), in the background with `-N -f`, which
// returns only after the host key was verified and authentication succeeded:
// so connection problems (refused, timeout, host key, authentication) are
// told apart from what a block did, and a host with a password asks once.
// A fresh run that finds no connection sets it up with its own client
// instead (first-client.ts): the same master, one ssh process fewer, and the
// same verdict, since the client says whether its remote command answered.
// When the user's own config multiplexes the host and their master is up,
// Modus uses it as it is; otherwise its sockets are its own (control-dir.ts).

import { open, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AskpassBroker, type SecretPrompter } from './askpass.js';
import { askOncePerKey, type SharedPassphrases } from './passphrase-once.js';
import { FirstClient } from './first-client.js';
import { ControlDir, socketAlive } from './control-dir.js';
import { destinationArgs, type SshDestination } from './destination.js';
import { EffectiveConfigBatcher, userMultiplexes, type EffectiveConfig } from './effective-config.js';
import { jumpProxyCommand, parseJumpHop } from './jump-host.js';
import { classifySshFailure, offeredFingerprints, type FailureContext, type SshFailure } from './ssh-failure.js';
import { runSsh, spawnSsh, sshBinary } from './ssh-client.js';
import { Slots } from './slots.js';
import { clientBudget } from './client-budget.js';

/** Seconds a master idles with no client before it exits (a safety net: Modus exits its masters itself). */
export const CONTROL_PERSIST_S = 600;
const DEFAULT_CONNECT_TIMEOUT_S = 15;
const DEFAULT_ALIVE_INTERVAL_S = 15;
const DEFAULT_ALIVE_COUNT = 3;

/** What a plain connection can tell about a ProxyJump failure that a master could not. */
const JUMP_DIAGNOSES = new Set(['refused', 'timeout', 'unreachable', 'unresolved', 'host-key-unknown', 'host-key-changed']);

export interface SshSharedOptions {
  /** `ssh -F FILE` (labs, tests); absent: the user's own ~/.ssh/config. */
  configFile?: string;
  /** StrictHostKeyChecking=accept-new instead of yes (a changed key is refused either way). */
  acceptNewHostKeys?: boolean;
  /** How a new key is accepted, for messages (the CLI's flag, the app's button). */
  acceptHint?: string;
  /** Asks for passwords and passphrases; absent: BatchMode (ssh fails instead of asking). */
  prompter?: SecretPrompter;
  /** Connections set up at once. */
  setupLimit?: number;
  /** false: hosts behind a ProxyJump each connect to the jump host themselves, as OpenSSH does (default: they share a master to it, jump-host.ts). */
  shareJumpHosts?: boolean;
}

/** A master of Modus's that someone else's ssh (an SSH tab) uses: `release` once that ssh has ended. */
export interface LentMaster {
  socket: string;
  release(): void;
}

/** What the hosts of one run (or one app) share: the socket directory, askpass, the setup limit. */
export class SshShared {
  readonly setup: Slots;
  /** Block clients at once, as the open-file limit allows (client-budget.ts), and why a host waits for one. */
  readonly clients: Slots;
  readonly clientsWhy: string;
  readonly configs: EffectiveConfigBatcher;
  private dir: Promise<ControlDir> | null = null;
  private askpass: Promise<AskpassBroker> | null = null;
  private passphrases: SharedPassphrases | null = null;
  private readonly jumps = new Map<string, SshConnection>();
  private readonly connections = new Set<SshConnection>();
  /** Sockets lent out, with how many borrowers each: closing stops these masters instead of ending them. */
  private readonly lent = new Map<string, number>();
  private closing = false;

  constructor(readonly options: SshSharedOptions) {
    this.setup = new Slots(options.setupLimit ?? 8);
    const budget = clientBudget();
    this.clients = new Slots(budget.clients);
    this.clientsWhy = budget.why;
    this.configs = new EffectiveConfigBatcher(options.configFile);
  }

  /** Environment for ssh processes of `label`: askpass (named for the host) when someone can be asked. */
  async env(label: string): Promise<Record<string, string>> {
    const prompter = this.options.prompter;
    if (!prompter) return {};
    this.passphrases ??= askOncePerKey(prompter);
    this.askpass ??= AskpassBroker.create(this.passphrases.prompter);
    return (await this.askpass).env(label);
  }

  /** Drops the key passphrases kept for the other hosts of a run (passphrase-once.ts): the run is over. */
  forgetSecrets(): void {
    this.passphrases?.forget();
  }

  /** The connection to a jump host, one for all the hosts behind it; `path`: the hosts that lead to it (a jump host may have a ProxyJump of its own). */
  jumpConnection(hop: SshDestination, path: readonly string[]): SshConnection {
    const key = JSON.stringify([hop.host, hop.user ?? null, hop.port ?? null]);
    let c = this.jumps.get(key);
    if (!c) {
      c = new SshConnection(hop.host, hop, this, path);
      this.jumps.set(key, c);
    }
    return c;
  }

  controlDir(): Promise<ControlDir> {
    this.dir ??= ControlDir.create();
    return this.dir;
  }

  /** Called by each connection made with this state, so a master can be found by where it goes. */
  register(c: SshConnection): void {
    this.connections.add(c);
  }

  /**
   * Lends the master of a connection of Modus's own to exactly `destination`
   * (the same host, user, port and address, under the same ssh config), if one
   * is up: an SSH tab to that host then rides on it (no second login, no
   * second password). Until released, closing stops the master from taking
   * new sessions and leaves it to end with the borrower's.
   */
  async lendMaster(destination: SshDestination): Promise<LentMaster | null> {
    for (const c of this.connections) {
      const socket = c.ownSocket;
      if (this.closing || socket === null || !sameDestination(c.destination, destination) || !(await socketAlive(socket))) continue;
      if (this.closing) return null;
      this.lent.set(socket, (this.lent.get(socket) ?? 0) + 1);
      let released = false;
      return {
        socket,
        release: () => {
          if (released) return;
          released = true;
          const n = (this.lent.get(socket) ?? 1) - 1;
          if (n > 0) this.lent.set(socket, n);
          else this.lent.delete(socket);
        },
      };
    }
    return null;
  }

  async close(): Promise<void> {
    this.closing = true;
    const dir = this.dir;
    this.dir = null;
    if (dir) await (await dir.catch(() => null))?.close(new Set(this.lent.keys()));
    this.forgetSecrets();
    const askpass = this.askpass;
    this.askpass = null;
    if (askpass) await (await askpass.catch(() => null))?.close();
  }
}

export interface ReadyConnection {
  /** Options for a client over the connection: put before destinationArgs. */
  args: string[];
  env: Record<string, string>;
}

/** A setup that a stopped block's client left without a verdict. */
const STOPPED = Symbol('stopped');
type SetUp = ReadyConnection | { failure: SshFailure } | typeof STOPPED;

/** A fresh run's client sets the connection up: `connection` settles once it has said how that went. */
export interface FirstClientTurn {
  first: FirstClient;
  /** null: the client's block was stopped before it told. */
  connection: Promise<ReadyConnection | { failure: SshFailure } | null>;
}

export class SshConnection {
  private cfg: Promise<EffectiveConfig> | null = null;
  private socket: string | null = null;
  private up: ReadyConnection | null = null;
  private starting: Promise<SetUp> | null = null;

  constructor(
    readonly label: string,
    readonly destination: SshDestination,
    private readonly shared: SshShared,
    /** For a jump host: the hosts whose ProxyJump led here, first the one a block runs on. */
    private readonly jumpPath: readonly string[] = [],
  ) {
    shared.register(this);
  }

  /** The socket of the master Modus set up for this connection, while it is up; null when there is none or the user's own master serves it. */
  get ownSocket(): string | null {
    return this.up ? this.socket : null;
  }

  config(): Promise<EffectiveConfig> {
    this.cfg ??= this.shared.configs.get(this.destination).catch((e: Error) => {
      this.cfg = null;
      throw e;
    });
    return this.cfg;
  }

  /** Environment for ssh processes of this host (askpass, labelled so the prompt names the host). */
  env(): Promise<Record<string, string>> {
    return this.shared.env(this.label);
  }

  /** Options every ssh of this host gets: the config file, strict host keys, no escape character, batch mode when nobody can be asked. */
  baseArgs(cfg: EffectiveConfig): string[] {
    const o = this.shared.options;
    return [
      ...(o.configFile ? ['-F', o.configFile] : []),
      '-e', 'none',
      '-o', `StrictHostKeyChecking=${o.acceptNewHostKeys ? 'accept-new' : 'yes'}`,
      ...(o.prompter ? [] : ['-o', 'BatchMode=yes']),
      ...(cfg.connectTimeout === null ? ['-o', `ConnectTimeout=${DEFAULT_CONNECT_TIMEOUT_S}`] : []),
    ];
  }

  /** The connection, set up if it is not (or no longer) up. */
  async ready(): Promise<ReadyConnection | { failure: SshFailure }> {
    for (;;) {
      const up = await this.current();
      if (up) return up;
      this.starting ??= this.setUp(null);
      const r = await this.starting;
      if (r !== STOPPED) return r;
    }
  }

  /**
   * For a fresh run: the connection when it is up or being set up; otherwise
   * the caller's own client is to set it up (first-client.ts), and
   * `connection` says how that went once the client has told.
   */
  async readyOrFirstClient(): Promise<ReadyConnection | { failure: SshFailure } | FirstClientTurn> {
    for (;;) {
      const up = await this.current();
      if (up) return up;
      if (this.starting) {
        const r = await this.starting;
        if (r !== STOPPED) return r;
        continue;
      }
      let handOut!: (c: FirstClient) => void;
      const handed = new Promise<FirstClient>((resolve) => (handOut = resolve));
      const starting = this.setUp(handOut);
      this.starting = starting;
      const r = await Promise.race([handed, starting]);
      if (r instanceof FirstClient) return { first: r, connection: starting.then((c) => (c === STOPPED ? null : c)) };
      if (r !== STOPPED) return r;
    }
  }

  private async current(): Promise<ReadyConnection | null> {
    if (this.up && (this.socket === null || (await socketAlive(this.socket)))) return this.up;
    this.up = null;
    return null;
  }

  private setUp(handOut: ((c: FirstClient) => void) | null): Promise<SetUp> {
    // The jump host's connection first, outside this host's setup slot: it needs a slot of its own.
    return this.viaJumpHost()
      .then((via) => ('failure' in via ? via : this.shared.setup.use(() => this.start(handOut, via.args))))
      .finally(() => (this.starting = null));
  }

  /** Options that route this host through the shared connection to its jump host (jump-host.ts); none when it has no single-hop ProxyJump. */
  private async viaJumpHost(): Promise<{ args: string[] } | { failure: SshFailure }> {
    const none = { args: [] };
    if (this.shared.options.shareJumpHosts === false) return none;
    const cfg = await this.config().catch(() => null);
    const hop = cfg ? parseJumpHop(cfg.proxyJump) : null;
    if (!cfg || !hop) return none;
    const path = [...this.jumpPath, this.destination.host];
    // A loop of ProxyJumps in ssh config would have each jump host wait for the next one forever.
    if (path.includes(hop.host)) return { failure: { kind: 'other', message: `cannot reach ${this.label}: its ProxyJumps go round in a loop (${[...path, hop.host].join(' → ')}); check the ProxyJump lines of your ssh config` } };
    const jump = await this.shared.jumpConnection(hop, path).ready();
    if ('failure' in jump) return { failure: { kind: jump.failure.kind, message: `cannot reach ${this.label} through its ProxyJump ${cfg.proxyJump}: ${jump.failure.message}` } };
    const command = jumpProxyCommand(sshBinary(), jump.args, hop);
    return command === null ? none : { args: ['-o', 'ProxyJump=none', '-o', `ProxyCommand=${command}`] };
  }

  private async start(handOut: ((c: FirstClient) => void) | null, viaJump: string[]): Promise<SetUp> {
    let cfg: EffectiveConfig;
    try {
      cfg = await this.config();
    } catch (e) {
      return { failure: { kind: 'other', message: (e as Error).message } };
    }
    const base = [...this.baseArgs(cfg), ...viaJump];
    const dest = destinationArgs(this.destination);
    const env = await this.env();
    // The user's own master, when their config multiplexes this host and it is up (ssh -G gives the socket's expanded path).
    if (userMultiplexes(cfg) && (await socketAlive(expandHome(cfg.controlPath)))) {
      this.socket = null;
      this.up = { args: base, env };
      return this.up;
    }
    const dir = await this.shared.controlDir();
    const socket = dir.socketPath();
    const log = join(dir.path, `${socket.slice(dir.path.length + 1)}.log`);
    const keepalive = cfg.serverAliveInterval === 0 ? ['-o', `ServerAliveInterval=${DEFAULT_ALIVE_INTERVAL_S}`, '-o', `ServerAliveCountMax=${DEFAULT_ALIVE_COUNT}`] : [];
    const master = [...base, ...keepalive, '-o', 'ControlMaster=yes', '-o', `ControlPath=${socket}`, '-o', `ControlPersist=${CONTROL_PERSIST_S}`];
    // stderr goes to a file, not a pipe: a ProxyJump child keeps its stderr for the master's whole life.
    const fh = await open(log, 'w', 0o600);
    let code: number | null;
    let stopped = false;
    try {
      if (handOut) {
        const first = new FirstClient(master, env, fh.fd, () => readFile(log, 'utf8').catch(() => ''));
        handOut(first);
        const outcome = await first.outcome;
        code = outcome.proven ? 0 : outcome.code;
        stopped = !outcome.proven && outcome.stopped;
      } else {
        const child = spawnSsh({ args: [...master, '-N', '-f', ...dest], env, stdio: ['ignore', 'ignore', fh.fd] });
        code = await new Promise<number | null>((resolve) => {
          child.once('error', () => resolve(null));
          child.once('exit', (c) => resolve(c));
        });
      }
    } finally {
      await fh.close();
    }
    // A first client that ended after all may still have left its master up (the block failed, not the connection).
    if ((code === 0 || handOut !== null) && (await socketAlive(socket))) {
      this.socket = socket;
      this.up = { args: [...base, '-o', 'ControlMaster=no', '-o', `ControlPath=${socket}`], env };
      return this.up;
    }
    // A block stopped while its client set the connection up: no verdict on the connection, the next block tries again.
    if (stopped) return STOPPED;
    const stderr = await readFile(log, 'utf8').catch(() => '');
    const o = this.shared.options;
    const ctx: FailureContext = {
      label: this.label,
      proxyJump: cfg.proxyJump,
      hostname: cfg.hostname,
      user: cfg.user,
      port: cfg.port,
      batch: !o.prompter,
      ...(o.configFile !== undefined ? { configFile: o.configFile } : {}),
      ...(o.acceptHint ? { acceptHint: o.acceptHint } : {}),
    };
    let failure = classifySshFailure(stderr, ctx);
    if (failure.kind === 'host-key-unknown') {
      const fingerprint = await this.offeredFingerprint(base, dest);
      if (fingerprint) failure = classifySshFailure(stderr, { ...ctx, fingerprint });
    } else if (cfg.proxyJump !== 'none' && (failure.kind === 'closed' || failure.kind === 'other')) {
      // A master sends its ProxyJump's stderr to /dev/null: what the jump host said is seen on a plain connection only (OpenSSH's own ProxyJump: a stream through a shared master does not tell why it was refused).
      const probe = await runSsh([...this.baseArgs(cfg), '-o', 'BatchMode=yes', '-o', 'ControlMaster=no', '-o', 'ControlPath=none', '-N', ...dest], { timeoutMs: 30_000 }).catch(() => null);
      const jump = probe ? classifySshFailure(probe.stderr, ctx) : null;
      if (jump && JUMP_DIAGNOSES.has(jump.kind)) failure = jump;
    }
    return { failure };
  }

  /**
   * The fingerprint of the key the host offers, from a verbose connection that
   * stops where the key is refused (before any authentication: ssh's own order).
   */
  private async offeredFingerprint(base: string[], dest: string[]): Promise<string | undefined> {
    const r = await runSsh([...base, '-v', '-o', 'BatchMode=yes', '-o', 'ControlMaster=no', '-o', 'ControlPath=none', '-N', ...dest], { timeoutMs: 20_000 }).catch(() => null);
    return r ? offeredFingerprints(r.stderr).at(-1) : undefined;
  }
}

function sameDestination(a: SshDestination, b: SshDestination): boolean {
  return a.host === b.host && a.hostname === b.hostname && a.user === b.user && a.port === b.port;
}

function expandHome(path: string): string {
  return path.startsWith('~/') ? `${homedir()}${path.slice(1)}` : path;
}
