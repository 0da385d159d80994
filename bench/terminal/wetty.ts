// wetty (npm), the comparison: installed on demand into the bench cache (it
// is not a dependency of Modus) and started on 127.0.0.1. Run as root with
// its ssh host left at localhost, wetty spawns `--command` in a local pty
// instead of going through ssh or login(1); otherwise it would need an sshd.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

export const WETTY_VERSION = '3.2.0';

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
