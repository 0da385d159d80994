// CPU seconds spent by each kind of process while something ran: Chromium's
// processes through CDP SystemInfo.getProcessInfo (cumulative cpuTime per
// process), and this bench's child Node processes (modus serve, wetty) from
// /proc/<pid>/stat, without their shells. On a small machine this shows who competes for the cores.

import { readdirSync, readFileSync } from 'node:fs';
import type { BenchBrowser } from './cdp.js';

/** Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream kernel. */
const TICKS_PER_SECOND = 100;

type Sample = Map<string, number>;

function childNodeProcesses(): Map<number, string> {
  const found = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.some((a) => a.endsWith('bin/modus.js'))) found.set(Number(entry), 'modus serve');
      else if (cmdline.some((a) => a.includes('wetty'))) found.set(Number(entry), 'wetty server');
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function processSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command: state(0) ppid(1) … utime(11) stime(12). The shell and cat are not included (still running or not reaped by this process).
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

async function sample(browser: BenchBrowser): Promise<Sample> {
  const totals: Sample = new Map();
  const add = (kind: string, seconds: number): void => {
    totals.set(kind, (totals.get(kind) ?? 0) + seconds);
  };
  for (const p of await browser.processInfo()) add(`chromium ${p.type}`, p.cpuTime);
  for (const [pid, kind] of childNodeProcesses()) add(kind, processSeconds(pid));
  return totals;
}

/** Runs `action`; returns its result and the CPU seconds per process kind it cost (largest first). */
export async function withCpuTimes<T>(browser: BenchBrowser, action: () => Promise<T>): Promise<{ result: T; cpu: [string, number][] }> {
  const before = await sample(browser);
  const result = await action();
  const after = await sample(browser);
  const cpu: [string, number][] = [...after]
    .map(([kind, seconds]): [string, number] => [kind, seconds - (before.get(kind) ?? 0)])
    .filter(([, seconds]) => seconds >= 0.05)
    .sort((a, b) => b[1] - a[1]);
  return { result, cpu };
}

export function formatCpu(cpu: [string, number][]): string {
  return cpu.map(([kind, seconds]) => `${kind.replace('chromium ', '')} ${seconds.toFixed(1)}`).join(', ');
}
