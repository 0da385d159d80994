// Memory of a page and of Chromium's processes: V8's heap through CDP
// (Runtime.getHeapUsage also reports ArrayBuffer backing stores, where
// xterm keeps its buffer lines), and resident/proportional set sizes of the
// renderer and GPU processes from /proc, their pids from CDP
// SystemInfo.getProcessInfo.

import { readFileSync } from 'node:fs';
import type { BenchBrowser, BenchPage } from './cdp.js';

export interface PageMemory {
  /** V8 heap in use, bytes. */
  jsHeapUsed: number;
  /** ArrayBuffer backing stores (outside the V8 heap), bytes; null when this Chromium does not report it. */
  backingStores: number | null;
}

export interface ProcessMemory {
  type: string;
  pid: number;
  /** Resident set size, bytes. */
  rss: number;
  /** Proportional set size (shared pages split among sharers), bytes; null when unreadable. */
  pss: number | null;
}

interface HeapUsage {
  usedSize: number;
  totalSize: number;
  backingStorageSize?: number;
}

/** Collects garbage first, so the figure is what is live, not what is waiting for the collector. */
export async function pageMemory(page: BenchPage): Promise<PageMemory> {
  await page.cdp('HeapProfiler.collectGarbage');
  const usage = (await page.cdp('Runtime.getHeapUsage')) as unknown as HeapUsage;
  return { jsHeapUsed: usage.usedSize, backingStores: usage.backingStorageSize ?? null };
}

function kilobytesField(text: string, field: string): number | null {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return match ? Number(match[1]) * 1024 : null;
}

function readProcess(type: string, pid: number): ProcessMemory | null {
  try {
    const rss = kilobytesField(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS');
    if (rss === null) return null;
    let pss: number | null = null;
    try {
      pss = kilobytesField(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss');
    } catch {
      // smaps_rollup needs a newer kernel or more privileges; RSS still tells the story.
    }
    return { type, pid, rss, pss };
  } catch {
    return null; // the process ended between listing and reading
  }
}

/** Renderer and GPU processes of the browser (Chromium runs on this machine, so /proc has them). */
export async function browserProcesses(browser: BenchBrowser): Promise<ProcessMemory[]> {
  return (await browser.processInfo())
    .filter((p) => p.type === 'renderer' || p.type === 'GPU' || p.type === 'gpu-process')
    .map((p) => readProcess(p.type, p.id))
    .filter((p): p is ProcessMemory => p !== null);
}
