// A renderer stand-in for tests: connects to a hub, collects what it says,
// acknowledges terminal output (or not), and waits for conditions.
import { writeFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { createHub, type Hub, type HubConnection, type HubOptions } from '../../../main/host/hub.js';
import type { HostMessage } from '../../../main/protocol.js';
import { tempDir } from '../../helpers/temp-dir.js';

export interface TerminalView {
  chunks: Buffer[];
  received: number;
  acknowledged: number;
  exit: { exitCode: number; signal: number | null } | null;
  cwds: string[];
  created: Extract<HostMessage, { type: 'term.created' }> | null;
}

export class TestRenderer {
  readonly hub: Hub;
  readonly connection: HubConnection;
  readonly messages: HostMessage[] = [];
  readonly terminals = new Map<number, TerminalView>();
  readonly logs: string[] = [];
  /** When true, every term.data is acknowledged on arrival (xterm parsing instantly). */
  autoAck = true;
  #changeListeners = new Set<() => void>();
  #messageListeners = new Set<(msg: HostMessage) => void>();
  #nextId = 1;

  constructor(options: Partial<HubOptions> & { settings?: object } = {}) {
    const configDir = options.configDir ?? tempDir('modus-it-');
    if (options.settings) writeFileSync(join(configDir, 'settings.json'), JSON.stringify(options.settings));
    this.hub = createHub({ host: 'web', log: (l) => this.logs.push(l), ...options, configDir });
    this.connection = this.hub.connect((msg) => this.#onMessage(msg));
  }

  #view(id: number): TerminalView {
    let v = this.terminals.get(id);
    if (!v) {
      v = { chunks: [], received: 0, acknowledged: 0, exit: null, cwds: [], created: null };
      this.terminals.set(id, v);
    }
    return v;
  }

  /** Calls `listener` with every host message, before conditions are checked again. */
  listen(listener: (msg: HostMessage) => void): void {
    this.#messageListeners.add(listener);
  }

  #onMessage(msg: HostMessage): void {
    this.messages.push(msg);
    for (const l of this.#messageListeners) l(msg);
    switch (msg.type) {
      case 'term.data': {
        const v = this.#view(msg.id);
        v.chunks.push(Buffer.from(msg.data));
        v.received += msg.data.byteLength;
        if (this.autoAck) this.ack(msg.id, msg.data.byteLength);
        break;
      }
      case 'term.created':
        this.#view(msg.id).created = msg;
        break;
      case 'term.exit':
        this.#view(msg.id).exit = { exitCode: msg.exitCode, signal: msg.signal };
        break;
      case 'term.cwd':
        this.#view(msg.id).cwds.push(msg.cwd);
        break;
    }
    for (const l of this.#changeListeners) l();
  }

  ack(id: number, bytes: number): void {
    this.#view(id).acknowledged += bytes;
    this.connection.receive({ type: 'term.ack', id, bytes });
  }

  /** Acknowledges everything received so far. */
  ackAll(id: number): void {
    const v = this.#view(id);
    const owed = v.received - v.acknowledged;
    if (owed > 0) this.ack(id, owed);
  }

  create(options: { cols?: number; rows?: number; cwd?: string | null } = {}): number {
    const id = this.#nextId++;
    this.#view(id);
    this.connection.receive({ type: 'term.create', id, options: { cols: options.cols ?? 80, rows: options.rows ?? 24, cwd: options.cwd ?? null } });
    return id;
  }

  /** Opens an SSH tab to `host` (the renderer's term.create with `ssh`). */
  createSsh(host: string, options: { cols?: number; rows?: number } = {}): number {
    const id = this.#nextId++;
    this.#view(id);
    this.connection.receive({ type: 'term.create', id, options: { cols: options.cols ?? 80, rows: options.rows ?? 24, cwd: null, ssh: { host } } });
    return id;
  }

  type(id: number, data: string): void {
    this.connection.receive({ type: 'term.input', id, data });
  }

  output(id: number): Buffer {
    return Buffer.concat(this.#view(id).chunks);
  }

  /** The last `bytes` bytes of output, without joining all of it (cheap to call after every message). */
  tail(id: number, bytes: number): Buffer {
    const chunks = this.#view(id).chunks;
    const picked: Buffer[] = [];
    let have = 0;
    for (let i = chunks.length - 1; i >= 0 && have < bytes; i--) {
      picked.unshift(chunks[i]!);
      have += chunks[i]!.length;
    }
    const joined = Buffer.concat(picked);
    return joined.subarray(Math.max(0, joined.length - bytes));
  }

  text(id: number): string {
    return this.output(id).toString('utf8');
  }

  /** Resolves once `condition` holds, re-checked after every message and every 50 ms (for outside state such as /proc). */
  waitFor<T>(condition: () => T | false | null | undefined, what: string, timeoutMs = 60_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const value = condition();
        if (value === false || value === null || value === undefined) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      const poll = setInterval(check, 50);
      const cleanup = (): void => {
        clearTimeout(timer);
        clearInterval(poll);
        this.#changeListeners.delete(listener);
      };
      const listener = (): void => void check();
      if (check()) return;
      this.#changeListeners.add(listener);
    });
  }

  waitForText(id: number, pattern: string | RegExp, timeoutMs?: number): Promise<string> {
    return this.waitFor(() => {
      const t = this.text(id);
      return (typeof pattern === 'string' ? t.includes(pattern) : pattern.test(t)) ? t : false;
    }, `${String(pattern)} in terminal ${id}`, timeoutMs);
  }

  #closed = false;

  /** Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.connection.close();
    await this.hub.close();
  }
}

/** A TestRenderer that is closed (its shells hung up) when the test ends, pass or fail. */
export function rendererFor(t: TestContext, options: ConstructorParameters<typeof TestRenderer>[0] = {}): TestRenderer {
  const r = new TestRenderer(options);
  t.after(() => r.close());
  return r;
}

/** The pid of a direct child of `parent` running `command`, from /proc. */
export function childPid(parent: number, command: string): number | null {
  return childPids(parent, command)[0] ?? null;
}

/** The pids of the direct children of `parent` running `command`. */
export function childPids(parent: number, command: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      if (ppid === parent && comm === command && !/\) Z /.test(stat)) pids.push(Number(entry));
    } catch {
      // the process went away while we looked
    }
  }
  return pids;
}

export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat); // a zombie has exited
  } catch {
    return false;
  }
}
