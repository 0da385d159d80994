// `npm run bench:junos`: the Junos target against the simulator (test/junos-sim,
// run as separate processes so it does not share this process's event loop):
//  1. per-RPC cost of NetconfSession against a raw `ssh -s HOST netconf`
//     client that writes each RPC and waits for `]]>]]>` (no parsing), both
//     over the same ControlMaster (Modus's), RPC by RPC in turn, so both see
//     the same load on a shared machine (target: at most 1.2x the raw round
//     trip); and the raw client alone, direct and over its own master;
//  2. a `:commit check` block (lock, load, diff, check, roll back, unlock)
//     on 20 simulated routers at once against one router, wall time of
//     `modus run` (target: at most 3x); with the floor: raw clients sending
//     the same RPCs from this process, one router and 20 at once;
//  3. the same 20-router check with ncclient (Debian's python3-ncclient,
//     /usr/bin/python3), one thread per device.
// Best of ROUNDS rounds; every figure is measured in this run. Needs root
// (the simulator's sshd).

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SshShared } from '../main/targets/ssh/ssh-connection.js';
import { SshNetconfLink } from '../main/targets/junos/ssh-link.js';
import { NetconfSession } from '../main/targets/junos/netconf-session.js';
import { junosSimAvailable } from '../test/junos-sim/harness.js';

const MODUS = fileURLToPath(new URL('../../bin/modus.js', import.meta.url));
const SIM_CLI = fileURLToPath(new URL('../test/junos-sim/sim-cli.js', import.meta.url));
const ROUTERS = Number(process.env.BENCH_JUNOS_ROUTERS ?? 20);
const RPCS = Number(process.env.BENCH_JUNOS_RPCS ?? 300);
const ROUNDS = Number(process.env.BENCH_JUNOS_ROUNDS ?? 3);
const PYTHON = '/usr/bin/python3';
const RPC = '<get-software-information/>';
const EOM = ']]>]]>';
const HELLO = '<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>';
const CHANGE = 'system {\n    location {\n        building "bench";\n    }\n}\n';

interface Sim {
  sshConfig: string;
  inventory: string;
  stop(): Promise<void>;
}

/**
 * One sshd listens on at most 16 ports (OpenSSH's MAX_LISTEN_SOCKS), and the
 * simulator gives each device a port of one sshd: more routers take several
 * simulators, whose devices (each named r1…) are renamed r1…rN in one merged
 * ssh_config and inventory.
 */
const PER_SIM = 16;

async function startSims(dir: string, devices: number): Promise<Sim> {
  const sims: Sim[] = [];
  try {
    for (let first = 0; first < devices; first += PER_SIM) sims.push(await startSim(join(dir, `sim${sims.length + 1}`), Math.min(PER_SIM, devices - first)));
  } catch (e) {
    await Promise.all(sims.map((s) => s.stop()));
    throw e;
  }
  const rename = (text: string, offset: number): string => text.replace(/^(Host | {2})r(\d+)(:?)/gm, (_m, lead: string, n: string, colon: string) => `${lead}r${Number(n) + offset}${colon}`);
  let sshConfig = '';
  let inventory = 'hosts:\n';
  for (const [i, s] of sims.entries()) {
    sshConfig += `${rename(await readFile(s.sshConfig, 'utf8'), i * PER_SIM)}\n`;
    inventory += rename(await readFile(s.inventory, 'utf8'), i * PER_SIM).split('\n').filter((l) => /^ {2}r\d+:/.test(l)).join('\n') + '\n';
  }
  const merged = { sshConfig: join(dir, 'ssh_config'), inventory: join(dir, 'inventory.yaml') };
  await writeFile(merged.sshConfig, sshConfig, { mode: 0o600 });
  await writeFile(merged.inventory, inventory);
  return { ...merged, stop: async () => void (await Promise.all(sims.map((s) => s.stop()))) };
}

/** The simulator in its own process (sim-cli.js), up once it prints how to stop it. */
async function startSim(dir: string, devices: number): Promise<Sim> {
  const child = spawn(process.execPath, [SIM_CLI, '--devices', String(devices), '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  await new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (out.includes('Ctrl+C stops it.')) resolve();
    };
    child.stdout.on('data', check);
    child.once('close', (code) => reject(new Error(`the simulator exited (${code}): ${out}`)));
  });
  const path = (label: string): string => new RegExp(`${label}: +(\\S+)`).exec(out)![1]!;
  return {
    sshConfig: path('ssh_config'),
    inventory: path('inventory'),
    stop: () =>
      new Promise((resolve) => {
        child.once('close', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Milliseconds of each of N round trips. */
type Latencies = number[];

/** A minimal NETCONF client over `ssh -s HOST netconf`: writes a message, waits for the next ]]>]]>. No parsing. */
class RawClient {
  private readonly child: ChildProcess;
  private buf = '';
  private delimiters = 0;
  private waiting: (() => void) | null = null;
  private sent = 0;

  constructor(sshArgs: string[], host: string) {
    this.child = spawn('ssh', [...sshArgs, '-T', '-s', '--', host, 'netconf'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (b: Buffer) => {
      this.buf += b.toString('utf8');
      let at: number;
      while ((at = this.buf.indexOf(EOM)) >= 0) {
        this.buf = this.buf.slice(at + EOM.length);
        this.delimiters++;
        this.waiting?.();
      }
    });
  }

  private reply(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.delimiters >= count) {
          this.waiting = null;
          resolve();
        }
      };
      this.waiting = check;
      check();
    });
  }

  hello(): Promise<void> {
    this.child.stdin!.write(HELLO + EOM);
    return this.reply(1);
  }

  /** One RPC; resolves when its reply is in. */
  rpc(body: string): Promise<void> {
    this.sent++;
    this.child.stdin!.write(`<rpc message-id="${this.sent}" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">${body}</rpc>${EOM}`);
    return this.reply(this.sent + 1);
  }

  async close(): Promise<void> {
    this.child.stdin!.end();
    await new Promise((r) => this.child.once('close', r));
  }
}

async function rawRoundTrips(sshArgs: string[], n: number): Promise<Latencies> {
  const c = new RawClient(sshArgs, 'r1');
  await c.hello();
  const latencies: Latencies = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await c.rpc(RPC);
    latencies.push(performance.now() - started);
  }
  await c.close();
  return latencies;
}

/** NetconfSession and a raw client over the same master (Modus's), one RPC each in turn. */
async function interleaved(sshConfig: string, n: number): Promise<{ raw: Latencies; modus: Latencies }> {
  const shared = new SshShared({ configFile: sshConfig });
  const link = new SshNetconfLink('r1', { host: 'r1' }, shared);
  try {
    const channel = await link.open(new AbortController().signal);
    if ('failure' in channel) throw new Error(channel.failure);
    const session = await NetconfSession.open(channel, { label: 'r1' });
    const conn = await link.connection();
    const ready = await conn.ready();
    if ('failure' in ready) throw new Error(ready.failure.message);
    const raw = new RawClient([...ready.args, '-p', String(conn.destination.port)], 'r1');
    await raw.hello();
    const out = { raw: [] as Latencies, modus: [] as Latencies };
    for (let i = 0; i < n; i++) {
      let started = performance.now();
      await raw.rpc(RPC);
      out.raw.push(performance.now() - started);
      started = performance.now();
      await session.rpc(RPC);
      out.modus.push(performance.now() - started);
    }
    await raw.close();
    await session.close(5000);
    return out;
  } finally {
    await shared.close();
  }
}

/** What a :commit check block sends, from raw clients on `routers` routers at once (the floor: no parsing, no process start). */
async function rawCheck(sim: Sim, routers: number): Promise<number> {
  const bodies = [
    '<command format="xml">show system commit</command>',
    '<lock-configuration/>',
    `<load-configuration action="merge" format="text"><configuration-text>${CHANGE}</configuration-text></load-configuration>`,
    '<get-configuration compare="rollback" rollback="0" format="text"/>',
    '<commit-configuration><check/></commit-configuration>',
    '<load-configuration rollback="0"/>',
    '<unlock-configuration/>',
    '<close-session/>',
  ];
  const started = performance.now();
  await Promise.all(Array.from({ length: routers }, async (_, i) => {
    const c = new RawClient(['-F', sim.sshConfig], `r${i + 1}`);
    await c.hello();
    for (const b of bodies) await c.rpc(b);
    await c.close();
  }));
  return performance.now() - started;
}

/** A ControlMaster of the raw client's own, for the multiplexed raw figure. */
async function rawMaster(sshConfig: string, socket: string): Promise<() => Promise<void>> {
  await run('ssh', ['-F', sshConfig, '-o', 'ControlMaster=yes', '-o', `ControlPath=${socket}`, '-o', 'ControlPersist=120', '-N', '-f', 'r1']);
  return async () => void (await run('ssh', ['-o', `ControlPath=${socket}`, '-O', 'exit', 'r1']));
}

function run(cmd: string, args: string[], cwd?: string): Promise<{ ms: number; code: number | null; out: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, out }));
  });
}

async function modusCheck(dir: string, sim: Sim, routers: number): Promise<number> {
  const hosts = Array.from({ length: routers }, (_, i) => `r${i + 1}`).join(',');
  const nb = join(dir, `check-${routers}.md`);
  await writeFile(nb, `# commit check on ${routers}\n\n\`\`\`junos :host ${hosts} :parallel ${routers}\n${CHANGE}\`\`\`\n`);
  const r = await run(process.execPath, [MODUS, 'run', nb, '--ssh-config', sim.sshConfig, '--inventory', sim.inventory, '--jobs', String(routers), '--no-write'], dir);
  if (r.code !== 0) throw new Error(`modus run on ${routers} routers failed: ${r.out}`);
  return r.ms;
}

const NCCLIENT = `
import sys, threading
from ncclient import manager
from ncclient.operations.rpc import RaiseMode
from lxml import etree
ssh_config, change = sys.argv[1], sys.argv[2]
hosts = [a.split('=') for a in sys.argv[3:]]
errors = []
def check(host, port):
    try:
        with manager.connect(host=host, port=int(port), ssh_config=ssh_config, hostkey_verify=True, allow_agent=False, look_for_keys=False,
                             device_params={'name': 'junos'}, timeout=60) as m:
            m.raise_mode = RaiseMode.ERRORS
            m.lock()
            try:
                m.load_configuration(action='merge', format='text', config=change)
                m.compare_configuration(rollback=0)
                m.commit(check=True)
                m.rpc(etree.fromstring('<load-configuration rollback="0"/>'))
            finally:
                m.unlock()
    except Exception as e:
        errors.append('%s: %s' % (host, e))
threads = [threading.Thread(target=check, args=(h, p)) for h, p in hosts]
for t in threads: t.start()
for t in threads: t.join()
if errors:
    print('\\n'.join(errors)); sys.exit(1)
`;

async function ncclientCheck(dir: string, sim: Sim, routers: number): Promise<number> {
  const script = join(dir, 'ncclient-check.py');
  await writeFile(script, NCCLIENT);
  // ncclient takes the port as an argument (830 by default), not from ssh_config.
  const ports = new Map([...(await readFile(sim.inventory, 'utf8')).matchAll(/^ {2}(r\d+): \{[^}]*port: (\d+)/gm)].map((m) => [m[1]!, m[2]!]));
  const hosts = Array.from({ length: routers }, (_, i) => `r${i + 1}=${ports.get(`r${i + 1}`)}`);
  const r = await run(PYTHON, [script, sim.sshConfig, CHANGE, ...hosts]);
  if (r.code !== 0) throw new Error(`ncclient on ${routers} routers failed: ${r.out}`);
  return r.ms;
}

const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`);
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;
const best = (xs: number[]): number => Math.min(...xs);
const median = (xs: Latencies): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mean = (xs: Latencies): number => xs.reduce((a, b) => a + b, 0) / xs.length;

async function main(): Promise<void> {
  const why = junosSimAvailable();
  if (why) {
    console.log(`bench:junos skipped: ${why}`);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'modus-bench-junos-'));
  let serial = 0;
  // Fresh routers for each measurement: a router's state (and the simulator's bookkeeping of who changed its
  // candidate) then never depends on what was measured before it.
  const withSims = async <T>(fn: (sim: Sim) => Promise<T>): Promise<T> => {
    const sim = await startSims(join(dir, `sims-${++serial}`), ROUTERS);
    try {
      return await fn(sim);
    } finally {
      await sim.stop();
    }
  };
  try {
    console.log(`bench:junos: ${ROUTERS} simulated routers (test/junos-sim, ${Math.ceil(ROUTERS / PER_SIM)} simulator process(es) of at most ${PER_SIM}, fresh for each measurement), best of ${ROUNDS} rounds\n`);

    const raw: number[][] = [[], []];
    const rawMux: number[][] = [[], []];
    const turnRaw: number[][] = [[], []];
    const turnModus: number[][] = [[], []];
    const add = (into: number[][], l: Latencies): void => {
      into[0]!.push(median(l));
      into[1]!.push(mean(l));
    };
    await withSims(async (sim) => {
      const socket = join(dir, 'raw-master');
      const stopMaster = await rawMaster(sim.sshConfig, socket);
      try {
        // Warm-up: the first sessions pay for the simulator's and ssh's first use.
        await rawRoundTrips(['-F', sim.sshConfig], 50);
        await interleaved(sim.sshConfig, 50);
        for (let round = 0; round < ROUNDS; round++) {
          const both = await interleaved(sim.sshConfig, RPCS);
          add(turnRaw, both.raw);
          add(turnModus, both.modus);
          add(raw, await rawRoundTrips(['-F', sim.sshConfig], RPCS));
          add(rawMux, await rawRoundTrips(['-F', sim.sshConfig, '-o', 'ControlMaster=no', '-o', `ControlPath=${socket}`], RPCS));
        }
      } finally {
        await stopMaster();
      }
    });
    const line = (label: string, xs: number[][]): string => `${label}median ${fmt(best(xs[0]!))}, mean ${fmt(best(xs[1]!))}`;
    console.log(`1. per RPC (${RPCS} x ${RPC} one after another, after the hello; best round's median and mean)`);
    console.log(line('   raw client, over Modus\'s master:    ', turnRaw));
    console.log(line('   NetconfSession, same master, in turn: ', turnModus));
    console.log(`   NetconfSession / raw: ${ratio(best(turnModus[0]!), best(turnRaw[0]!))} (median), ${ratio(best(turnModus[1]!), best(turnRaw[1]!))} (mean) (target <= 1.2x)`);
    console.log(line('   raw client alone, direct:             ', raw));
    console.log(line('   raw client alone, over its own master:', rawMux));
    console.log('');

    const one: number[] = [];
    const many: number[] = [];
    const floorOne: number[] = [];
    const floorMany: number[] = [];
    const nc: number[] = [];
    const python = existsSync(PYTHON) && (await run(PYTHON, ['-c', 'import ncclient']).then((r) => r.code === 0));
    for (let round = 0; round < ROUNDS; round++) {
      one.push(await withSims((sim) => modusCheck(dir, sim, 1)));
      many.push(await withSims((sim) => modusCheck(dir, sim, ROUTERS)));
      floorOne.push(await withSims((sim) => rawCheck(sim, 1)));
      floorMany.push(await withSims((sim) => rawCheck(sim, ROUTERS)));
      if (python) nc.push(await withSims((sim) => ncclientCheck(dir, sim, ROUTERS)));
    }
    console.log(`2. a :commit check block (lock, load, diff, check, roll back, unlock)`);
    console.log(`   modus run, 1 router:            ${fmt(best(one))}   (process start to exit)`);
    console.log(`   modus run, ${ROUTERS} routers at once:  ${fmt(best(many))}   ${ratio(best(many), best(one))} of one router (target <= 3x)`);
    console.log(`   floor, raw ssh -s clients sending the same RPCs from this process: 1 router ${fmt(best(floorOne))}, ${ROUTERS} at once ${fmt(best(floorMany))} (${ratio(best(floorMany), best(floorOne))})\n`);
    if (python) {
      console.log(`3. the same on ${ROUTERS} routers with ncclient (${PYTHON}, one thread per device, interpreter start included): ${fmt(best(nc))}   Modus ${ratio(best(many), best(nc))} of ncclient`);
    } else {
      console.log(`3. ncclient: skipped (${PYTHON} with ncclient not found; Debian: apt-get install python3-ncclient)`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`bench:junos: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  process.exit(1);
});
