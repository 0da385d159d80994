// A stand-in for the OpenSSH client, for tests that watch how Modus drives
// ssh without a network: a test puts a `ssh` that runs this script first on
// PATH. It answers `ssh -G` with a plain configuration, runs the remote
// command on this machine (sh -c, PATH from FAKE_SSH_REMOTE_PATH first, where
// a test puts stand-ins such as an `stty` that accepts a pipe), plays a
// ControlMaster with a Unix socket of its own, and ends it on `-O exit`.
//
// A connection setup (ControlMaster=yes, what Modus's setup slots bound)
// checks in under FAKE_SSH_GATE: `started/HOST`, then waits until the test
// makes `release/HOST`, then `ended/HOST`; `state.json` holds how many setups
// are under way and the most there ever were, updated under a mkdir lock so
// two setups never count over each other. A setup holds until it is released,
// so the count is a state the test controls, not a race it hopes to see.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

/** What `state.json` says. */
export interface GateState {
  /** Setups under way now. */
  now: number;
  /** The most setups ever under way at once. */
  peak: number;
}

interface Invocation {
  options: Map<string, string>;
  flags: Set<string>;
  host: string;
  command: string;
}

/** Options that take a value (ssh's own list, the ones Modus passes). */
const WITH_VALUE = new Set(['-o', '-p', '-l', '-F', '-O', '-e', '-i', '-J', '-S', '-E']);

function parse(argv: string[]): Invocation {
  const options = new Map<string, string>();
  const flags = new Set<string>();
  let i = 0;
  for (; i < argv.length && argv[i] !== '--'; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-')) break;
    if (WITH_VALUE.has(a)) {
      const v = argv[++i] ?? '';
      if (a === '-o') {
        const eq = v.indexOf('=');
        options.set(v.slice(0, eq).toLowerCase(), v.slice(eq + 1));
      } else options.set(a, v);
    } else flags.add(a);
  }
  if (argv[i] === '--') i++;
  return { options, flags, host: argv[i] ?? '', command: argv.slice(i + 1).join(' ') };
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Changes the gate's counts under its lock (mkdir is atomic: one setup at a time gets it). */
function updateState(gate: string, delta: number): void {
  const lock = join(gate, 'lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      sleepSync(1);
    }
  }
  try {
    const file = join(gate, 'state.json');
    const state: GateState = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as GateState) : { now: 0, peak: 0 };
    state.now += delta;
    state.peak = Math.max(state.peak, state.now);
    // Written aside and renamed: the test reads it without the lock.
    writeFileSync(`${file}.tmp`, JSON.stringify(state));
    renameSync(`${file}.tmp`, file);
  } finally {
    rmdirSync(lock);
  }
}

function mark(gate: string, what: 'started' | 'ended', host: string): void {
  mkdirSync(join(gate, what), { recursive: true });
  mkdirSync(join(gate, what, host));
}

async function waitForRelease(gate: string, host: string): Promise<void> {
  const released = join(gate, 'release', host);
  while (!existsSync(released)) await new Promise((r) => setTimeout(r, 5));
}

/** The master: listens on the socket until `-O exit`, or until the process that set it up (Modus) is gone. */
function serveMaster(socket: string, owner: number): void {
  const server = createServer((c) => {
    c.on('data', (b: Buffer) => {
      if (!b.toString().includes('exit')) return;
      c.end();
      server.close();
      process.exit(0);
    });
    c.on('error', () => undefined);
  });
  server.listen(socket, () => process.stdout.write('listening\n'));
  const watch = setInterval(() => {
    try {
      process.kill(owner, 0);
    } catch {
      server.close();
      process.exit(0);
    }
  }, 200);
  watch.unref();
  process.on('exit', () => {
    try {
      unlinkSync(socket);
    } catch {
      // gone
    }
  });
}

/** Starts a master in the background and resolves once its socket listens. */
function startMaster(socket: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [process.argv[1]!], {
      env: { ...process.env, FAKE_SSH_MASTER: socket, FAKE_SSH_OWNER: String(process.ppid) },
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
    });
    child.stdout!.once('data', () => {
      // Our end of its stdout goes too (a process never closes its own fd 1): else this client would wait on it forever.
      child.stdout!.destroy();
      child.unref();
      resolve();
    });
    child.once('exit', (code) => reject(new Error(`the fake master exited with ${code}`)));
  });
}

function controlCommand(socket: string): Promise<number> {
  return new Promise((resolve) => {
    const c = connect(socket, () => c.end('exit\n'));
    c.on('close', () => resolve(0));
    c.on('error', () => resolve(255));
  });
}

function runRemote(command: string): Promise<number> {
  const remotePath = process.env.FAKE_SSH_REMOTE_PATH;
  const env = { ...process.env, ...(remotePath ? { PATH: `${remotePath}:${process.env.PATH ?? ''}` } : {}) };
  const child = spawn('/bin/sh', ['-c', command], { stdio: 'inherit', env });
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 255)));
}

function effectiveConfig(inv: Invocation): string {
  return [
    `hostname ${inv.options.get('hostname') ?? inv.host}`,
    `user ${inv.options.get('-l') ?? 'tester'}`,
    `port ${inv.options.get('-p') ?? '22'}`,
    'proxyjump none',
    'controlmaster false',
    'controlpath none',
    'connecttimeout none',
    'serveraliveinterval 0',
    '',
  ].join('\n');
}

async function setUp(inv: Invocation, socket: string): Promise<void> {
  const gate = process.env.FAKE_SSH_GATE;
  if (gate) {
    updateState(gate, +1);
    mark(gate, 'started', inv.host);
    await waitForRelease(gate, inv.host);
  }
  await startMaster(socket);
  if (gate) {
    mark(gate, 'ended', inv.host);
    updateState(gate, -1);
  }
}

async function main(argv: string[]): Promise<number> {
  const inv = parse(argv);
  if (inv.flags.has('-G')) {
    process.stdout.write(effectiveConfig(inv));
    return 0;
  }
  const socket = inv.options.get('controlpath');
  if (inv.options.has('-O')) return socket ? controlCommand(socket) : 255;
  if (socket && inv.options.get('controlmaster') === 'yes') await setUp(inv, socket);
  if (inv.flags.has('-N')) return 0;
  return runRemote(inv.command);
}

const master = process.env.FAKE_SSH_MASTER;
if (master) serveMaster(master, Number(process.env.FAKE_SSH_OWNER));
else void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
