// A real OpenSSH sshd for tests (DESIGN "Testing": real parts, not mocks),
// on 127.0.0.1 or inside a network namespace, with everything it reads and
// writes under one directory so a test can start several and remove them
// all. The client side (keys, known_hosts, ssh_config) is made to match, so
// `ssh -F <sshConfig> NAME` works with no prompt and StrictHostKeyChecking.
//
// Readiness is a condition, never a sleep: sshd writes its pid file only
// after its listen sockets are bound, so a live pid in a fresh pid file means
// connections queue; where the address is reachable from here, a TCP connect
// is checked as well.

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect, createServer, isIPv6 } from 'node:net';
import { join, resolve } from 'node:path';
import { processAlive } from '../../main/files/process-alive.js';
import { findExecutable } from '../../main/files/find-executable.js';

/** sshd re-executes itself for every connection, which it only does when started by its absolute path. */
export const SSHD_PATH = '/usr/sbin/sshd';

const READY_DEADLINE_MS = 20_000;
const STOP_DEADLINE_MS = 10_000;
const POLL_MS = 10;
const HOST_KEY = 'ssh_host_ed25519_key';

export interface SshdHost {
  name: string;
  /** The address ssh_config's HostName uses. */
  address: string;
  /** Every address sshd listens on (address first); each one gets a known_hosts entry. */
  addresses: string[];
  port: number;
  /** More ports sshd listens on (SshdOptions.additionalPorts), on every address. */
  additionalPorts: number[];
  dir: string;
  netns?: string;
  hostname?: string;
  configFile: string;
  hostKeyFile: string;
  /** "ssh-ed25519 AAAA…", as known_hosts wants it after the host field. */
  hostPublicKey: string;
  /** SHA256:…, as `ssh-keygen -lf` prints it. Updated by regenerateHostKey. */
  hostKeyFingerprint: string;
  logFile: string;
  pidFile: string;
  authorizedKeys: string;
  /** The listening sshd's pid, or null when it is not running. */
  pid(): number | null;
}

export interface SshdOptions {
  dir: string;
  name: string;
  /** Default 127.0.0.1. */
  address?: string;
  /** More addresses to listen on with the same port (e.g. the host's IPv6 address). */
  extraAddresses?: string[];
  /**
   * More ports to listen on, on every address: a count of free ports to pick
   * (picked again, with the main port, when one turns out to be taken), or
   * the ports themselves. One sshd then serves several "hosts" told apart by
   * the port they reached (the Junos simulator's devices).
   */
  additionalPorts?: number | readonly number[];
  /** Default: a free port on `address` (found by binding port 0); 22 inside a namespace, which we cannot bind from here. */
  port?: number;
  /** Run sshd inside `ip netns exec NETNS`. */
  netns?: string;
  /** Run sshd in a UTS namespace of its own with this host name, so `ssh NAME hostname` tells hosts apart. */
  hostname?: string;
  /**
   * Extra sshd_config lines. sshd keeps the first value it reads for a
   * keyword, so these go before the defaults and override them; lines from
   * the first `Match` on go last, where Match blocks must be.
   */
  extraConfig?: string[];
}

export interface ClientFiles {
  dir: string;
  /** ed25519 private key without a passphrase. */
  key: string;
  /** ed25519 private key protected by `passphrase`. */
  encryptedKey: string;
  passphrase: string;
  knownHosts: string;
  sshConfig: string;
}

export interface ClientOptions {
  /** Host names whose keys are left out of known_hosts (the "unknown host key" case). */
  omitFromKnownHosts?: string[];
  /** Host name → the host name to reach it through. */
  proxyJump?: Record<string, string>;
}

export interface ProgramResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs argv (no shell) to completion; a timeout kills it with SIGKILL and shows as signal. */
export function runProgram(argv: readonly string[], o: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ProgramResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: o.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = o.timeoutMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), o.timeoutMs);
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.input ?? '');
  });
}

async function mustRun(argv: readonly string[]): Promise<string> {
  const r = await runProgram(argv, { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`${argv.join(' ')} failed (${r.code ?? r.signal}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/** Why a real sshd cannot run here, or null when it can. */
export function sshdAvailable(): string | null {
  if (process.getuid?.() !== 0) return 'not root (the test sshd logs in as root)';
  if (!existsSync(SSHD_PATH)) return `no ${SSHD_PATH} (Debian: apt-get install openssh-server)`;
  for (const tool of ['ssh', 'ssh-keygen']) if (!findExecutable(tool)) return `no ${tool} on PATH (Debian: apt-get install openssh-client)`;
  return null;
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(address: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, address, () => {
      const where = server.address();
      server.close(() => (typeof where === 'object' && where ? resolvePromise(where.port) : reject(new Error('no port'))));
    });
  });
}

/** `count` free ports, none equal to `taken` or to each other. */
async function distinctFreePorts(address: string, count: number, taken: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const p = await freePort(address);
    if (p !== taken && !ports.includes(p)) ports.push(p);
  }
  return ports;
}

function canConnect(address: string, port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: address, port });
    socket.once('connect', () => {
      socket.destroy();
      resolvePromise(true);
    });
    socket.once('error', () => resolvePromise(false));
  });
}

function listenOn(address: string, port: number): string {
  return isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`;
}

/** known_hosts names a host by its bare address on port 22 and as [address]:port elsewhere, as ssh looks it up. */
function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

function noSpecials(path: string): string {
  // ssh_config expands %-tokens in these paths and splits on unquoted blanks.
  if (/[%"\n]/.test(path)) throw new Error(`path unusable in ssh_config: ${path}`);
  return `"${path}"`;
}

async function generateKey(path: string, passphrase: string, comment: string): Promise<void> {
  // ssh-keygen asks before overwriting, and with no terminal it takes that as no.
  await rm(path, { force: true });
  await rm(`${path}.pub`, { force: true });
  await mustRun(['ssh-keygen', '-q', '-t', 'ed25519', '-N', passphrase, '-C', comment, '-f', path]);
}

/** What `ssh-keygen -lf` prints, computed here: one process less per host when a lab starts hundreds. */
function fingerprint(base64Blob: string): string {
  return `SHA256:${createHash('sha256').update(Buffer.from(base64Blob, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

async function readHostKey(h: SshdHost): Promise<void> {
  const [type, blob] = (await readFile(`${h.hostKeyFile}.pub`, 'utf8')).trim().split(/\s+/);
  if (!type || !blob) throw new Error(`unreadable public key ${h.hostKeyFile}.pub`);
  h.hostPublicKey = `${type} ${blob}`;
  h.hostKeyFingerprint = fingerprint(blob);
}

function sshdConfig(h: SshdHost, extra: readonly string[]): string {
  const firstMatch = extra.findIndex((l) => /^\s*match\s/i.test(l));
  const overrides = firstMatch < 0 ? extra : extra.slice(0, firstMatch);
  const matches = firstMatch < 0 ? [] : extra.slice(firstMatch);
  return [
    `# test sshd "${h.name}", written by test/helpers/sshd.ts`,
    ...overrides,
    ...[h.port, ...h.additionalPorts].flatMap((port) => h.addresses.map((a) => `ListenAddress ${listenOn(a, port)}`)),
    `HostKey ${h.hostKeyFile}`,
    `PidFile ${h.pidFile}`,
    `AuthorizedKeysFile ${h.authorizedKeys}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // Test directories live under /tmp, which StrictModes refuses.
    'StrictModes no',
    // Fan-out tests open hundreds of connections and sessions at once.
    'MaxStartups 500:30:1000',
    'MaxSessions 100',
    'PrintMotd no',
    'LogLevel VERBOSE',
    ...matches,
    '',
  ].join('\n');
}

function readPid(pidFile: string): number | null {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** A zombie has exited; only its parent (here often pid 1) can make it vanish. */
function running(pid: number): boolean {
  if (!processAlive(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Guards against a pid file outliving its sshd and the pid being reused by something else. */
export function isSshdOf(pid: number, configFile: string): boolean {
  try {
    // sshd rewrites its title into one string: "sshd: /usr/sbin/sshd -f CONF -E LOG [listener] …".
    const words = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split(/[\0 ]/);
    return words.includes(configFile) && words.some((w) => w.endsWith('sshd') || w === 'sshd:');
  } catch {
    return false;
  }
}

function pidFromFile(h: SshdHost): number | null {
  const pid = readPid(h.pidFile);
  return pid !== null && running(pid) && isSshdOf(pid, h.configFile) ? pid : null;
}

/** The pid file first; when it is gone (removed by hand or by a test's cleanup), the process titles. */
function listeningPid(h: SshdHost): number | null {
  return pidFromFile(h) ?? sshdsOf(h.configFile)[0] ?? null;
}

/** Listening sshds started with this config file (their titles say "[listener]"). */
export function sshdsOf(configFile: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'latin1').includes('[listener]') && isSshdOf(pid, configFile) && running(pid)) found.push(pid);
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/** Every process below `pid` (sshd's per-connection children call setsid, so sessions and groups miss them). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // exited while we looked
    }
  }
  const out: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const p = queue.shift()!;
    out.push(p);
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

/** A process's program name (/proc's comm), or null once it is gone. */
function commOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'latin1').trim();
  } catch {
    return null;
  }
}

/** True when a process below `pid` runs the program `comm` (its /proc name). */
export function runsBelow(pid: number, comm: string): boolean {
  return descendants(pid).some((p) => commOf(p) === comm);
}

/** Sends SIGTERM, then SIGKILL past half the deadline, and resolves once none of `pids` runs. */
export async function killAndWait(pids: readonly number[], deadlineMs = STOP_DEADLINE_MS): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    for (const p of pids) {
      try {
        process.kill(p, sig);
      } catch {
        // already gone
      }
    }
  };
  signal('SIGTERM');
  const started = Date.now();
  let killed = false;
  while (pids.some(running)) {
    const waited = Date.now() - started;
    if (!killed && waited > deadlineMs / 2) {
      signal('SIGKILL');
      killed = true;
    }
    if (waited > deadlineMs) throw new Error(`processes ${pids.filter(running).join(', ')} still run ${deadlineMs} ms after SIGKILL`);
    await delay(POLL_MS);
  }
}

async function logSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

async function logSince(file: string, offset: number): Promise<string> {
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const buffer = Buffer.alloc(Math.max(0, size - offset));
      await handle.read(buffer, 0, buffer.length, offset);
      return buffer.toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}

class SshdStartError extends Error {
  constructor(
    message: string,
    readonly addressInUse: boolean,
  ) {
    super(message);
  }
}

async function launch(h: SshdHost): Promise<void> {
  await rm(h.pidFile, { force: true });
  const offset = await logSize(h.logFile);
  let argv = [SSHD_PATH, '-f', h.configFile, '-E', h.logFile];
  // The name travels as $0, never inside the script; the shell's own echo spares a hostname process per host.
  if (h.hostname) argv = ['unshare', '--uts', '--', 'sh', '-c', 'echo "$0" > /proc/sys/kernel/hostname && exec "$@"', h.hostname, ...argv];
  if (h.netns) argv = ['ip', 'netns', 'exec', h.netns, ...argv];
  const r = await runProgram(argv, { timeoutMs: READY_DEADLINE_MS });
  if (r.code !== 0) throw new SshdStartError(`sshd ${h.name} did not start (${r.code ?? r.signal}): ${(r.stderr + (await logSince(h.logFile, offset))).trim()}`, false);
  const started = Date.now();
  for (;;) {
    const log = await logSince(h.logFile, offset);
    const fatal = /^.*fatal:.*$/m.exec(log);
    if (fatal) throw new SshdStartError(`sshd ${h.name} failed: ${log.trim()}`, /Address already in use/.test(log));
    // The pid file only: scanning /proc on every poll of many sshds starting at once is what would take the time.
    const pid = pidFromFile(h);
    if (pid !== null && (h.netns || (await canConnect(h.address, h.port)))) return;
    if (Date.now() - started > READY_DEADLINE_MS) {
      throw new Error(`sshd ${h.name} was not accepting connections on ${listenOn(h.address, h.port)} after ${READY_DEADLINE_MS} ms; its log: ${log.trim() || '(empty)'}`);
    }
    await delay(POLL_MS);
  }
}

/** Starts sshd and resolves once it accepts connections. */
export async function startSshd(o: SshdOptions): Promise<SshdHost> {
  const dir = resolve(o.dir);
  // sshd_config takes paths unquoted, and sshd's process title is how its pid is recognised.
  if (/[\s"%]/.test(dir)) throw new Error(`sshd directory may not contain whitespace, quotes or %: ${dir}`);
  if (o.hostname !== undefined && !/^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/.test(o.hostname)) throw new Error(`not a host name: ${JSON.stringify(o.hostname)}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // sshd refuses to run without its privilege separation directory, which Debian makes only when the service is set up.
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const address = o.address ?? '127.0.0.1';
  const h: SshdHost = {
    name: o.name,
    address,
    addresses: [address, ...(o.extraAddresses ?? [])],
    port: 0,
    additionalPorts: [],
    dir,
    netns: o.netns,
    hostname: o.hostname,
    configFile: join(dir, 'sshd_config'),
    hostKeyFile: join(dir, HOST_KEY),
    hostPublicKey: '',
    hostKeyFingerprint: '',
    logFile: join(dir, 'sshd.log'),
    pidFile: join(dir, 'sshd.pid'),
    authorizedKeys: join(dir, 'authorized_keys'),
    pid: () => listeningPid(h),
  };
  if (!existsSync(h.hostKeyFile)) await generateKey(h.hostKeyFile, '', `${o.name}-host`);
  await readHostKey(h);
  if (!existsSync(h.authorizedKeys)) await writeFile(h.authorizedKeys, '', { mode: 0o600 });
  const pickPort = o.port === undefined && !o.netns;
  const pickAdditional = typeof o.additionalPorts === 'number' && o.additionalPorts > 0;
  for (let attempt = 1; ; attempt += 1) {
    h.port = o.port ?? (o.netns ? 22 : await freePort(address));
    h.additionalPorts = typeof o.additionalPorts === 'number' ? await distinctFreePorts(address, o.additionalPorts, h.port) : [...(o.additionalPorts ?? [])];
    await writeFile(h.configFile, sshdConfig(h, o.extraConfig ?? []), { mode: 0o600 });
    const check = await runProgram([SSHD_PATH, '-t', '-f', h.configFile], { timeoutMs: 30_000 });
    if (check.code !== 0) throw new Error(`sshd_config for ${o.name} is invalid (${h.configFile}): ${check.stderr.trim()}`);
    try {
      await launch(h);
      return h;
    } catch (err) {
      // The free port can be taken between our probe and sshd's bind.
      if (!((pickPort || pickAdditional) && err instanceof SshdStartError && err.addressInUse && attempt < 5)) throw err;
    }
  }
}

/** How long the programs of dropped connections get to end on their own before a teardown kills them. */
const HANGUP_GRACE_MS = 2_000;

/**
 * Stops the listening sshd; idempotent. With `sessions`, the connections it
 * serves drop as when sshd dies on a real host: their sshd processes are
 * killed and the shells get the pty's hangup (Modus's remote scripts clean
 * up on it). `'hangup'` leaves the programs running as a real host would;
 * `true` (a teardown) kills what is still running after a short grace.
 */
export async function stopSshd(h: SshdHost, o: { sessions?: boolean | 'hangup' } = {}): Promise<void> {
  const pid = h.pid();
  if (pid !== null) {
    if (!o.sessions) await killAndWait([pid]);
    else {
      const below = descendants(pid);
      const sshds = below.filter((p) => commOf(p) === 'sshd');
      await killAndWait([pid, ...sshds]);
      if (o.sessions === true) {
        const rest = below.filter((p) => !sshds.includes(p));
        for (const end = Date.now() + HANGUP_GRACE_MS; rest.some(running) && Date.now() < end; ) await delay(POLL_MS);
        await killAndWait(rest.filter(running));
      }
    }
  }
  await rm(h.pidFile, { force: true });
}

/** Stops sshd if it runs and starts it again with the same config, port and key. */
export async function restartSshd(h: SshdHost): Promise<void> {
  await stopSshd(h);
  await launch(h);
}

/** Gives the host a new key (clients' known_hosts now holds a changed one) and restarts sshd with it. */
export async function regenerateHostKey(h: SshdHost): Promise<void> {
  await stopSshd(h);
  await generateKey(h.hostKeyFile, '', `${h.name}-host`);
  await readHostKey(h);
  await launch(h);
}

async function authorize(h: SshdHost, publicKeys: readonly string[]): Promise<void> {
  const existing = (await readFile(h.authorizedKeys, 'utf8').catch(() => '')).split('\n').filter((l) => l.trim() !== '');
  const lines = [...existing, ...publicKeys.filter((k) => !existing.includes(k))];
  await writeFile(h.authorizedKeys, `${lines.join('\n')}\n`, { mode: 0o600 });
}

/** The ssh_config block that reaches `h` under its name (`Host NAME`), optionally through a ProxyJump. */
export function hostBlock(h: Pick<SshdHost, 'name' | 'address' | 'port'>, files: ClientFiles, jump?: string): string {
  return [
    `Host ${h.name}`,
    `  HostName ${h.address}`,
    `  Port ${h.port}`,
    '  User root',
    `  IdentityFile ${noSpecials(files.key)}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${noSpecials(files.knownHosts)}`,
    '  GlobalKnownHostsFile /dev/null',
    '  StrictHostKeyChecking yes',
    ...(jump ? [`  ProxyJump ${jump}`] : []),
    '',
  ].join('\n');
}

/** Writes a client for `hosts`: keys (authorized on every host), known_hosts and an ssh_config with a `Host NAME` each. */
export async function makeClient(dir: string, hosts: readonly SshdHost[], o: ClientOptions = {}): Promise<ClientFiles> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true, mode: 0o700 });
  const files: ClientFiles = {
    dir: root,
    key: join(root, 'id_ed25519'),
    encryptedKey: join(root, 'id_ed25519_passphrase'),
    passphrase: randomBytes(12).toString('hex'),
    knownHosts: join(root, 'known_hosts'),
    sshConfig: join(root, 'ssh_config'),
  };
  await Promise.all([generateKey(files.key, '', 'modus-test-client'), generateKey(files.encryptedKey, files.passphrase, 'modus-test-client-passphrase')]);
  const publicKeys = await Promise.all([files.key, files.encryptedKey].map(async (k) => (await readFile(`${k}.pub`, 'utf8')).trim()));
  await Promise.all(hosts.map((h) => authorize(h, publicKeys)));
  const omitted = new Set(o.omitFromKnownHosts ?? []);
  const known = hosts.filter((h) => !omitted.has(h.name)).flatMap((h) => h.addresses.map((a) => `${knownHostsName(a, h.port)} ${h.hostPublicKey}`));
  await writeFile(files.knownHosts, known.map((l) => `${l}\n`).join(''), { mode: 0o600 });
  const config = hosts.map((h) => hostBlock(h, files, o.proxyJump?.[h.name])).join('\n');
  await writeFile(files.sshConfig, `# written by test/helpers/sshd.ts for ${hosts.map((h) => h.name).join(', ')}\n\n${config}`, { mode: 0o600 });
  return files;
}
