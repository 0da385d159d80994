// A lab of Linux "hosts" for SSH tests and benchmarks (issue 10, "A lab that
// anyone can start"): network namespaces with real sshds, wired by veth pairs
// to bridges in a switch namespace, a bastion in front of the back segment,
// and one veth into the root namespace. See README.md beside this file.
//
// One lab per machine (the names and the root veth are global). The process
// using it holds a lock; another startLab waits for it, and replaces a lab
// whose owner is gone (a crash, or `lab:up`, which exits once it is built).

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { HeldLock } from '../../main/files/file-lock.js';
import { findExecutable } from '../../main/files/find-executable.js';
import { makeClient, regenerateHostKey, restartSshd, runProgram, sshdAvailable, startSshd, stopSshd } from '../helpers/sshd.js';
import type { ClientFiles, ProgramResult, SshdHost } from '../helpers/sshd.js';
import { NODES_DIR, describeHost, labFilePaths, writeLabFiles } from './lab-files.js';
import { lockLab, releaseLab } from './lab-lock.js';
import { ipBatch, mapBounded } from './netns.js';
import { claimDir, defaultLabDir, writeCurrent } from './state.js';
import { removeLab } from './teardown.js';
import type { Removed } from './teardown.js';
import { BASTION, labPlan, SWITCH_NS } from './topology.js';
import type { LabNode, LabPlan } from './topology.js';
import { nodeBatch, rootBatch, switchBatch } from './wiring.js';

export { lockLab } from './lab-lock.js';

/** Key generation and sshd starts are a few processes each; this many at once keeps two cores busy without a burst of hundreds. */
const CONCURRENCY = 16;
const FAULT_TABLE = 'modus_lab_fault';

export interface StartLabOptions {
  hosts: number;
  /** Default MODUS_LAB_DIR, else /tmp/modus-lab. */
  dir?: string;
  /** How long to wait while another live process uses the lab. */
  waitMs?: number;
  /** The lab lock, already taken with lockLab (a test that must see the machine before the lab); the lab releases it. */
  lock?: HeldLock;
}

export interface LabHost {
  name: string;
  ns: string;
  address: string;
  address6: string;
  port: number;
  behindBastion: boolean;
  sshd: SshdHost;
}

export interface Lab {
  dir: string;
  hosts: LabHost[];
  bastion: LabHost;
  /** Client key (plain and with a passphrase), known_hosts and ssh_config for every host and the bastion. */
  client: ClientFiles;
  inventory: string;
  labJson: string;
  bringUpMs: number;
  /** What was removed first (a previous or crashed lab). */
  replaced: Removed;
  host(name: string): LabHost;
  /** Removes the lab; `whileLocked` runs after that and before another process may start a lab (checks that it is all gone). */
  down(o?: { whileLocked?: () => Promise<void> }): Promise<Removed>;
  /** Leaves the lab up but no longer this process's: the next startLab or lab:down takes it over (lab:up ends this way). */
  detach(): Promise<void>;
  /** Stops the host's sshd (connections are refused); `sessions` ends the connections it serves too. */
  stopSshd(name: string, o?: { sessions?: boolean | 'hangup' }): Promise<void>;
  startSshd(name: string): Promise<void>;
  /** Takes the host's cable out: its switch-side veth goes down, the host keeps its address. */
  linkDown(name: string): Promise<void>;
  linkUp(name: string): Promise<void>;
  /** Drops every packet arriving at the host (nft in its namespace): connections time out instead of being refused. */
  dropTraffic(name: string): Promise<void>;
  allowTraffic(name: string): Promise<void>;
  /** New host key, sshd restarted; known_hosts keeps the old one. */
  changeHostKey(name: string): Promise<void>;
  /** Runs argv (no shell) in the host's namespace. */
  exec(name: string, argv: readonly string[], o?: { input?: string; timeoutMs?: number }): Promise<ProgramResult>;
}

let probed: string | null | undefined;

function probe(): string | null {
  const sshd = sshdAvailable();
  if (sshd) return sshd;
  if (!findExecutable('ip')) return 'no ip command (Debian: apt-get install iproute2)';
  // Not an mlab- name, so a lab's teardown never sees it.
  const ns = `modus-probe-${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', ns], { encoding: 'utf8' });
  if (add.status !== 0) return `cannot create a network namespace: ${(add.stderr || add.error?.message || '').trim()}`;
  try {
    for (const link of [['name', 'probe0', 'type', 'veth', 'peer', 'name', 'probe1'], ['name', 'probe2', 'type', 'bridge']]) {
      const r = spawnSync('ip', ['-n', ns, 'link', 'add', ...link], { encoding: 'utf8' });
      if (r.status !== 0) return `cannot create a ${link[3]} in a namespace: ${r.stderr.trim()}`;
    }
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
  return null;
}

/** Why a lab cannot run here (not root, no `ip`, no sshd, namespaces refused), or null when it can. */
export function labAvailable(): string | null {
  if (probed === undefined) probed = probe();
  return probed;
}

/** Why `dropTraffic` cannot work here, or null. */
export function nftAvailable(): string | null {
  return findExecutable('nft') ? null : 'nft is missing (Debian: apt-get install nftables)';
}

let active: RunningLab | null = null;

class RunningLab implements Lab {
  #down = false;

  constructor(
    readonly dir: string,
    readonly plan: LabPlan,
    readonly hosts: LabHost[],
    readonly bastion: LabHost,
    readonly client: ClientFiles,
    readonly bringUpMs: number,
    readonly replaced: Removed,
    readonly lock: HeldLock,
  ) {}

  get inventory(): string {
    return labFilePaths(this.dir).inventory;
  }

  get labJson(): string {
    return labFilePaths(this.dir).labJson;
  }

  host(name: string): LabHost {
    const h = name === BASTION ? this.bastion : this.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`no lab host ${name}; the lab has ${this.hosts.map((x) => x.name).join(', ')} and ${BASTION}`);
    return h;
  }

  #node(name: string): LabNode {
    return name === BASTION ? this.plan.bastion : this.plan.hosts.find((n) => n.name === this.host(name).name)!;
  }

  async down(o: { whileLocked?: () => Promise<void> } = {}): Promise<Removed> {
    if (this.#down) return { namespaces: [], processes: 0, rootLink: false, dirs: [] };
    this.#down = true;
    try {
      const removed = await removeLab([this.dir]);
      await o.whileLocked?.();
      return removed;
    } finally {
      if (active === this) active = null;
      await releaseLab(this.lock);
    }
  }

  async detach(): Promise<void> {
    this.#down = true;
    if (active === this) active = null;
    await releaseLab(this.lock);
  }

  stopSshd(name: string, o: { sessions?: boolean | 'hangup' } = {}): Promise<void> {
    return stopSshd(this.host(name).sshd, o);
  }

  startSshd(name: string): Promise<void> {
    return restartSshd(this.host(name).sshd);
  }

  async #setLinks(name: string, state: 'up' | 'down'): Promise<void> {
    await ipBatch(this.#node(name).legs.map((l) => `link set dev ${l.port} ${state}`), { ns: SWITCH_NS });
  }

  linkDown(name: string): Promise<void> {
    return this.#setLinks(name, 'down');
  }

  linkUp(name: string): Promise<void> {
    return this.#setLinks(name, 'up');
  }

  async #nft(name: string, args: string[], input?: string): Promise<ProgramResult> {
    const missing = nftAvailable();
    if (missing) throw new Error(`cannot drop traffic: ${missing}`);
    return this.exec(name, ['nft', ...args], { input });
  }

  async dropTraffic(name: string): Promise<void> {
    const rules = `table inet ${FAULT_TABLE} {\n  chain input {\n    type filter hook input priority filter; policy accept;\n    iifname != "lo" drop\n  }\n}\n`;
    const r = await this.#nft(name, ['-f', '-'], rules);
    if (r.code !== 0) throw new Error(`nft in ${name}: ${r.stderr.trim()}`);
  }

  async allowTraffic(name: string): Promise<void> {
    const r = await this.#nft(name, ['delete', 'table', 'inet', FAULT_TABLE]);
    if (r.code !== 0 && !/No such file or directory/.test(r.stderr)) throw new Error(`nft in ${name}: ${r.stderr.trim()}`);
  }

  changeHostKey(name: string): Promise<void> {
    return regenerateHostKey(this.host(name).sshd);
  }

  exec(name: string, argv: readonly string[], o: { input?: string; timeoutMs?: number } = {}): Promise<ProgramResult> {
    return runProgram(['ip', 'netns', 'exec', this.host(name).ns, ...argv], { input: o.input, timeoutMs: o.timeoutMs ?? 60_000 });
  }
}

function labHost(n: LabNode, sshd: SshdHost): LabHost {
  return { name: n.name, ns: n.ns, address: n.address, address6: n.address6, port: sshd.port, behindBastion: n.behindBastion, sshd };
}

async function build(dir: string, plan: LabPlan, replaced: Removed, lock: HeldLock, started: number): Promise<RunningLab> {
  await ipBatch(rootBatch(plan));
  await ipBatch(switchBatch(plan), { ns: SWITCH_NS });
  const nodes = [plan.bastion, ...plan.hosts];
  await mapBounded(nodes, CONCURRENCY, (n) => ipBatch(nodeBatch(n), { ns: n.ns }));
  const sshds = await mapBounded(nodes, CONCURRENCY, (n) =>
    startSshd({ dir: join(dir, NODES_DIR, n.name), name: n.name, address: n.address, extraAddresses: [n.address6], port: 22, netns: n.ns, hostname: n.name }),
  );
  const proxyJump = Object.fromEntries(plan.hosts.filter((h) => h.behindBastion).map((h) => [h.name, BASTION]));
  const client = await makeClient(dir, [...sshds.slice(1), sshds[0]!], { proxyJump });
  const bringUpMs = Math.round(performance.now() - started);
  const paths = labFilePaths(dir);
  await writeLabFiles(
    dir,
    {
      dir,
      createdAt: new Date().toISOString(),
      bringUpMs,
      sshConfig: client.sshConfig,
      knownHosts: client.knownHosts,
      key: client.key,
      encryptedKey: client.encryptedKey,
      passphrase: client.passphrase,
      inventory: paths.inventory,
      bastion: describeHost(plan.bastion, sshds[0]!),
      hosts: plan.hosts.map((h, i) => describeHost(h, sshds[i + 1]!)),
    },
    plan.hosts,
    plan.bastion,
    client,
  );
  const hosts = plan.hosts.map((h, i) => labHost(h, sshds[i + 1]!));
  return new RunningLab(dir, plan, hosts, labHost(plan.bastion, sshds[0]!), client, bringUpMs, replaced, lock);
}

/** Replaces any lab not in use by a live process with a fresh one of `hosts` hosts. */
export async function startLab(o: StartLabOptions): Promise<Lab> {
  const why = labAvailable();
  if (why) throw new Error(`no lab here: ${why}`);
  if (active) throw new Error('this process already has a lab up; call lab.down() first');
  const plan = labPlan(o.hosts);
  const dir = o.dir ?? defaultLabDir();
  const lock = o.lock ?? (await lockLab(o));
  try {
    const replaced = await removeLab([dir]);
    const started = performance.now();
    await claimDir(dir);
    await writeCurrent({ dir, hosts: o.hosts, pid: process.pid, startedAt: new Date().toISOString() });
    try {
      active = await build(dir, plan, replaced, lock, started);
      return active;
    } catch (err) {
      await removeLab([dir]).catch(() => undefined);
      throw err;
    }
  } catch (err) {
    await releaseLab(lock);
    throw err;
  }
}

/** Removes the lab (whole, partial or crashed), waiting for a process still using it. */
export async function stopLab(o: { dir?: string; waitMs?: number } = {}): Promise<Removed> {
  const lock = await lockLab(o);
  try {
    return await removeLab([o.dir ?? defaultLabDir()]);
  } finally {
    await releaseLab(lock);
  }
}
