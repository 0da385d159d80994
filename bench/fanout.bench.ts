// `npm run bench:fanout`: `uname -a` on the lab's hosts in one run, Modus
// (`modus run` of a one-block notebook) against parallel-ssh (Debian pssh)
// and `ansible all -m command` (Debian ansible), with the same hosts, keys,
// ssh_config and concurrency; cold (no connection up) and warm (the user's
// ControlMaster sockets up, as ControlPersist leaves them), with raw OpenSSH
// over those masters as the floor. Then Modus alone on 200 hosts: wall time,
// peak memory and peak process count. Ratios are against measurements of
// the same run. Needs root (the netns lab); pssh and ansible are optional.

import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findExecutable } from '../main/files/find-executable.js';
import { labAvailable, startLab, type Lab } from '../test/lab/lab.js';

const MODUS = fileURLToPath(new URL('../../bin/modus.js', import.meta.url));
const CONCURRENCY = 32;
const HOSTS = Number(process.env.BENCH_FANOUT_HOSTS ?? 50);
const BIG = Number(process.env.BENCH_FANOUT_BIG ?? 200);
/** Rounds of the 50-host runs, alternating tools; the best of each is kept (this machine's load varies by 10–20 % between rounds). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Rounds of the 200-host run (unsampled), one in each of the first cold rounds, so both sizes see the same drift of the machine's load. */
const BIG_ROUNDS = Math.max(1, Math.min(ROUNDS, Number(process.env.BENCH_BIG_ROUNDS ?? 3)));

interface Timed {
  ms: number;
  code: number | null;
  out: string;
}

function timed(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<Timed> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, out }));
  });
}

async function eachLimited<T>(items: T[], limit: number, fn: (t: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/**
 * Modus's ssh processes (every one of the bench has -F CONFIG; a master a
 * first client forked off is named after its socket in Modus's control
 * directory) and their total PSS. A process's command line is read once,
 * when it is first seen: reading all of them on every poll cost a third of
 * a core with the lab up, taken from the run being measured.
 */
class SshProcessSampler {
  private readonly ours = new Map<string, boolean>();

  constructor(private readonly needles: string[]) {}

  sample(): { count: number; pssBytes: number } {
    let count = 0;
    let pssBytes = 0;
    const seen = new Set<string>();
    for (const pid of readdirSync('/proc')) {
      if (pid.charCodeAt(0) > 57) continue;
      seen.add(pid);
      let ours = this.ours.get(pid);
      if (ours === undefined) {
        let cmdline = '';
        try {
          cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
        } catch {
          // gone
        }
        ours = this.needles.some((n) => cmdline.includes(n));
        this.ours.set(pid, ours);
      }
      if (!ours) continue;
      try {
        // PSS: a page shared by n processes counts 1/n in each (RSS would count libcrypto's pages once per ssh).
        const pss = /^Pss:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1'));
        pssBytes += Number(pss?.[1] ?? 0) * 1024;
        count++;
      } catch {
        // gone
      }
    }
    for (const pid of this.ours.keys()) if (!seen.has(pid)) this.ours.delete(pid);
    return { count, pssBytes };
  }
}

interface ModusRun extends Timed {
  peakProcesses: number;
  peakSshPssBytes: number;
  peakModusRssBytes: number;
}

/**
 * `sample`: poll /proc for the peak process count and memory, every 100 ms.
 * Only a 200-host run of its own does, whose time is no round's: polling
 * costs CPU that the run it measures pays and no other tool's does (at
 * 25 ms, reading every process's command line, it took 6 % of a core per 72
 * processes: 0.4–0.5 with the lab up).
 */
async function modusRun(dir: string, hosts: string[], config: string, inventory: string, sample = false): Promise<ModusRun> {
  const nb = join(dir, `fanout-${hosts.length}.md`);
  await writeFile(nb, `# uname on ${hosts.length} hosts\n\n\`\`\`sh :host ${hosts.join(',')} :parallel ${CONCURRENCY}\nuname -a\n\`\`\`\n`);
  const started = performance.now();
  const child = spawn(process.execPath, [MODUS, 'run', nb, '--ssh-config', config, '--inventory', inventory, '--jobs', String(CONCURRENCY)], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  let peakProcesses = 0;
  let peakSshPssBytes = 0;
  let peakModusRssBytes = 0;
  const sampler = new SshProcessSampler([config, `/${child.pid}-ssh-`]);
  const poll = setInterval(() => {
    if (!sample) return;
    const p = sampler.sample();
    peakProcesses = Math.max(peakProcesses, p.count + 1);
    peakSshPssBytes = Math.max(peakSshPssBytes, p.pssBytes);
    try {
      const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakModusRssBytes = Math.max(peakModusRssBytes, Number(m[1]) * 1024);
    } catch {
      // ended
    }
  }, sample ? 100 : 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(poll);
  const text = await readFile(nb, 'utf8');
  const passed = (text.match(/:status pass/g) ?? []).length;
  if (passed !== hosts.length) throw new Error(`modus run: ${passed} of ${hosts.length} hosts passed (exit ${code}):\n${out.slice(-2000)}`);
  return { ms: performance.now() - started, code, out, peakProcesses, peakSshPssBytes, peakModusRssBytes };
}

function fmt(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

async function main(): Promise<void> {
  const why = labAvailable();
  if (why) {
    console.log(`skipped: ${why}`);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'modus-bench-fanout-'));
  let lab: Lab | null = null;
  try {
    lab = await startLab({ hosts: Math.max(HOSTS, BIG) });
    console.log(`lab: ${lab.hosts.length} hosts up in ${fmt(lab.bringUpMs)}`);
    const names = lab.hosts.slice(0, HOSTS).map((h) => h.name);
    const cold = lab.client.sshConfig;
    const sockets = join(dir, 'cm');
    await mkdir(sockets, { mode: 0o700 });
    const warm = join(dir, 'ssh_config.warm');
    await writeFile(warm, `${await readFile(cold, 'utf8')}\nHost *\n  ControlMaster auto\n  ControlPath ${sockets}/%C\n  ControlPersist 300\n`);
    const hostsFile = join(dir, 'hosts.txt');
    await writeFile(hostsFile, names.map((n) => `${n}\n`).join(''));
    const rows: [string, number][] = [];

    // Rounds alternate, so neither tool gets the cooler or the warmer machine: the better of each is kept.
    const pssh = findExecutable('parallel-ssh');
    if (!pssh) console.log('parallel-ssh: not installed (apt-get install pssh); skipped');
    const psshRun = async (config: string): Promise<number> => {
      const r = await timed([pssh!, '-h', hostsFile, '-p', String(CONCURRENCY), '-x', `-F ${config}`, '-t', '60', '-i', 'uname -a']);
      if (r.code !== 0) throw new Error(`parallel-ssh failed: ${r.out.slice(-1000)}`);
      return r.ms;
    };
    const modusColds: number[] = [];
    const psshColds: number[] = [];
    const bigNames = lab.hosts.slice(0, BIG).map((h) => h.name);
    const bigs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (pssh) psshColds.push(await psshRun(cold));
      modusColds.push((await modusRun(dir, names, cold, lab.inventory)).ms);
      if (round < BIG_ROUNDS) bigs.push((await modusRun(dir, bigNames, cold, lab.inventory)).ms);
    }
    const modusCold = Math.min(...modusColds);
    const psshCold = pssh ? Math.min(...psshColds) : null;
    rows.push(['modus cold', modusCold]);
    if (psshCold !== null) rows.push(['parallel-ssh cold', psshCold]);

    const ansible = findExecutable('ansible');
    let ansibleCold: number | null = null;
    if (ansible) {
      const inv = join(dir, 'ansible.ini');
      await writeFile(inv, `[lab]\n${names.join('\n')}\n\n[lab:vars]\nansible_user=root\nansible_python_interpreter=/usr/bin/python3\nansible_ssh_common_args=-F ${cold}\n`);
      const env = { ...process.env, ANSIBLE_HOST_KEY_CHECKING: 'True', ANSIBLE_SSH_CONTROL_PATH_DIR: join(dir, 'ansible-cp'), ANSIBLE_LOCAL_TEMP: join(dir, 'ansible-tmp'), ANSIBLE_NOCOLOR: '1' };
      const r = await timed([ansible, 'lab', '-i', inv, '-m', 'command', '-a', 'uname -a', '-f', String(CONCURRENCY)], env);
      if (r.code !== 0) throw new Error(`ansible failed: ${r.out.slice(-1500)}`);
      ansibleCold = r.ms;
      rows.push(['ansible cold', r.ms]);
    } else console.log('ansible: not installed (apt-get install ansible); skipped');

    // Warm: the user's masters up (as ControlPersist leaves them after a first use).
    await eachLimited(names, CONCURRENCY, async (n) => {
      const r = await timed(['ssh', '-F', warm, '-fN', n]);
      if (r.code !== 0) throw new Error(`master for ${n}: ${r.out}`);
    });
    const raws: number[] = [];
    const modusWarms: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const rawStart = performance.now();
      await eachLimited(names, CONCURRENCY, async (n) => {
        const r = await timed(['ssh', '-F', warm, n, 'uname -a']);
        if (r.code !== 0) throw new Error(`ssh ${n}: ${r.out}`);
      });
      raws.push(performance.now() - rawStart);
      modusWarms.push((await modusRun(dir, names, warm, lab.inventory)).ms);
    }
    const raw = Math.min(...raws);
    const modusWarm = Math.min(...modusWarms);
    rows.push(['raw ssh over masters', raw]);
    rows.push(['modus warm', modusWarm]);
    if (pssh) rows.push(['parallel-ssh warm', await psshRun(warm)]);
    await eachLimited(names, CONCURRENCY, (n) => timed(['ssh', '-F', warm, '-O', 'exit', n]));

    // The peaks come from a run of their own: sampling /proc costs CPU that the run it watches pays, so its time is not one of the rounds.
    const peaks = await modusRun(dir, bigNames, cold, lab.inventory, true);

    console.log(`\nuname -a on ${HOSTS} lab hosts, concurrency ${CONCURRENCY}`);
    for (const [what, ms] of rows) console.log(`  ${what.padEnd(24)} ${fmt(ms)}`);
    const baseCold = modusCold;
    console.log('\nratios (target)');
    if (psshCold !== null) console.log(`  modus cold / pssh cold        ${(baseCold / psshCold).toFixed(2)}  (<= 1)`);
    console.log(`  modus warm / raw over masters ${(modusWarm / raw).toFixed(2)}  (<= 1.2)`);
    if (ansibleCold !== null) console.log(`  ansible cold / modus cold     ${(ansibleCold / baseCold).toFixed(1)}  (>= 8)`);
    // What bounds the ansible ratio on this machine: no tool bound by the same ssh logins beats pssh by much.
    if (ansibleCold !== null && psshCold !== null) console.log(`  ansible cold / pssh cold      ${(ansibleCold / psshCold).toFixed(1)}  (the issue's reference machine: 8.4)`);
    // The best round of each is what the targets are read on; the medians say how far the machine's noise moves them.
    const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    console.log(`  medians of the rounds: cold / pssh ${psshColds.length ? (median(modusColds) / median(psshColds)).toFixed(2) : '-'}, warm / raw ${(median(modusWarms) / median(raws)).toFixed(2)}`);
    const big = Math.min(...bigs);
    console.log(`\nmodus on ${BIG} hosts: ${fmt(big)}, ${(big / baseCold).toFixed(2)}x the time of ${HOSTS} (<= 4.5; medians ${(median(bigs) / median(modusColds)).toFixed(2)}); rounds ${bigs.map(fmt).join(', ')}`);
    console.log(`  rounds of ${HOSTS} hosts: modus cold ${modusColds.map(fmt).join(', ')}; pssh ${psshColds.map(fmt).join(', ')}; raw warm ${raws.map(fmt).join(', ')}; modus warm ${modusWarms.map(fmt).join(', ')}`);
    console.log(`  peak (a sampled run of its own, ${fmt(peaks.ms)}): ${peaks.peakProcesses} processes (modus and its ssh clients and masters), modus RSS ${(peaks.peakModusRssBytes / 2 ** 20).toFixed(0)} MiB, ssh processes ${(peaks.peakSshPssBytes / 2 ** 20).toFixed(0)} MiB (PSS: shared pages counted once)`);
  } finally {
    await lab?.down();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
