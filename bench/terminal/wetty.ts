// wetty (npm), the comparison: installed on demand into the bench cache (it
// is not a dependency of Modus) and started on 127.0.0.1. Run as root with
// its ssh host left at localhost, wetty spawns `--command` in a local pty
// instead of going through ssh or login(1); otherwise it would need an sshd.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../test/helpers/browser.js';
import type { BenchBrowser, BenchPage } from './cdp.js';
import { VIEWPORT } from './modus-page.js';
import { withMainThreadLoad } from './main-thread.js';
import { installProbe, timeCat, waitForCursorLine } from './probes.js';

export const WETTY_VERSION = '3.2.0';
/** Generous: on a busy machine a page and its first shell can take many seconds. */
const STARTUP_TIMEOUT_MS = 60_000;

export interface WettyServer {
  url: string;
  version: string;
  stop(): Promise<void>;
  /** What wetty printed (for failure messages). */
  log(): string;
}

/** Returns wetty's entry point, installing wetty into `cacheDir/wetty` first if needed. */
export function ensureWetty(cacheDir: string, say: (line: string) => void): string {
  const prefix = join(cacheDir, 'wetty');
  const entry = join(prefix, 'node_modules', 'wetty', 'build', 'main.js');
  if (existsSync(entry)) return entry;
  mkdirSync(prefix, { recursive: true });
  if (!existsSync(join(prefix, 'package.json'))) writeFileSync(join(prefix, 'package.json'), '{ "name": "modus-bench-wetty", "private": true }\n');
  say(`installing wetty@${WETTY_VERSION} into ${prefix} (once; node-pty may compile)…`);
  const result = spawnSync('npm', ['install', '--prefix', prefix, `wetty@${WETTY_VERSION}`, '--no-audit', '--no-fund', '--loglevel', 'error'], {
    encoding: 'utf8',
    timeout: 10 * 60_000,
  });
  if (result.status !== 0 || !existsSync(entry)) {
    throw new Error(`npm install wetty@${WETTY_VERSION} failed (exit ${result.status}${result.error ? `, ${result.error.message}` : ''}): ${(result.stderr ?? '').trim().split('\n').slice(-5).join(' | ')}`);
  }
  return entry;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wetty exited with code ${child.exitCode}: ${log().trim().split('\n').slice(-5).join(' | ')}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`wetty did not answer on ${url} within ${timeoutMs} ms: ${log().trim().split('\n').slice(-5).join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts wetty with `bash` as its command, in `home`. */
export async function startWetty(entry: string, home: string): Promise<WettyServer> {
  if (process.getuid?.() !== 0) {
    throw new Error('wetty spawns a local shell only when it runs as root (otherwise it wants ssh or login); this bench is not root');
  }
  const port = await freePort();
  const child = spawn(process.execPath, [entry, '--host', '127.0.0.1', '--port', String(port), '--command', 'bash', '--log-level', 'warn'], {
    cwd: home,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, SHELL: '/bin/bash', LANG: 'C.UTF-8', TERM: 'xterm-256color' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (output += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (output += s));
  const url = `http://127.0.0.1:${port}/`;
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  try {
    await waitForHttp(url, child, () => output, 20_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, version: WETTY_VERSION, stop, log: () => output };
}

interface WettyGlobals {
  wetty_term?: {
    cols: number;
    rows: number;
    focus(): void;
    buffer: { active: { length: number; getLine(y: number): { translateToString(trimRight: boolean): string } | undefined } };
  };
  document: { querySelector(selector: string): unknown };
}

/** The last few non-empty lines of wetty's terminal, for failure messages. */
function screenTail(page: BenchPage): Promise<string> {
  return page
    .evaluate(() => {
      const term = (globalThis as unknown as WettyGlobals).wetty_term;
      if (!term) return '(no window.wetty_term)';
      const lines: string[] = [];
      for (let y = 0; y < term.buffer.active.length; y++) lines.push(term.buffer.active.getLine(y)?.translateToString(true) ?? '');
      return lines.filter((l) => l !== '').slice(-5).join('\n');
    })
    .catch((e: Error) => `(page unreadable: ${e.message})`);
}

export interface WettyFigures {
  ms: number;
  /** Share of the cat's time the page's main thread was busy (0–1). */
  busy: number;
  /** CPU seconds per process kind during the cat. */
  cpu: [string, number][];
  renderer: string;
  cols: number;
  rows: number;
}

/** Opens wetty in `browser`, sets a short prompt and times `cat file` like the Modus run. */
export async function measureWetty(
  browser: BenchBrowser,
  cacheDir: string,
  file: string,
  catTimeoutMs: number,
  say: (line: string) => void,
  accountCpu: <T>(action: () => Promise<T>) => Promise<{ result: T; cpu: [string, number][] }>,
): Promise<WettyFigures> {
  const entry = ensureWetty(cacheDir, say);
  const home = mkdtempSync(join(tmpdir(), 'modus-bench-wetty-'));
  const wetty = await startWetty(entry, home);
  const page = await browser.newPage(VIEWPORT);
  try {
    const step = async (what: string, action: () => Promise<unknown>): Promise<void> => {
      try {
        await action();
      } catch (e) {
        throw new Error(`wetty: ${what} failed: ${(e as Error).message.split('\n')[0]}; its screen ends with: ${JSON.stringify(await screenTail(page))}; its log: ${wetty.log().trim().split('\n').slice(-3).join(' | ')}`);
      }
    };
    await page.goto(wetty.url);
    await step('waiting for window.wetty_term', () => page.waitForFunction(() => (globalThis as unknown as WettyGlobals).wetty_term !== undefined, undefined, { timeout: STARTUP_TIMEOUT_MS }));
    // wetty writes an empty line when its socket logs in, which may land after bash's first prompt: look at the last line with text.
    await step('waiting for the first prompt', () =>
      page.waitForFunction(
        () => {
          const buffer = (globalThis as unknown as WettyGlobals).wetty_term!.buffer.active;
          for (let y = buffer.length - 1; y >= 0; y--) {
            const line = buffer.getLine(y)?.translateToString(true) ?? '';
            if (line !== '') return /[$#] ?$/.test(line);
          }
          return false;
        },
        undefined,
        { timeout: STARTUP_TIMEOUT_MS, polling: 100 },
      ),
    );
    await page.evaluate(() => (globalThis as unknown as WettyGlobals).wetty_term!.focus());
    await run(page, "PS1='$ '; clear");
    await step('waiting for the short prompt', () => waitForCursorLine(page, 'wetty', /^\$ ?$/));
    await installProbe(page, 'wetty');
    const shape = await page.evaluate(() => {
      const g = globalThis as unknown as WettyGlobals;
      return { cols: g.wetty_term!.cols, rows: g.wetty_term!.rows, webgl: g.document.querySelector('.xterm-screen canvas') !== null };
    });
    say(`wetty ${WETTY_VERSION}: cat through wetty (${shape.cols}×${shape.rows}, ${shape.webgl ? 'webgl' : 'dom'} renderer)…`);
    const {
      result: { result: ms, busy },
      cpu,
    } = await accountCpu(() => withMainThreadLoad(page, () => timeCat(page, file, catTimeoutMs)));
    return { ms, busy, cpu, renderer: shape.webgl ? 'webgl' : 'dom', cols: shape.cols, rows: shape.rows };
  } finally {
    await page.close();
    await wetty.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
