// Shared by the `modus run` integration tests: a scratch directory, the real
// CLI as a child process, and byte-level checks of the notebook file.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp-dir.js';

/** Every form formatDuration writes (`12ms`, `3.4s`, `1m02s`, `1h05m`): a loaded machine may take minutes. */
export const DURATION = '(?:\\d+ms|\\d+\\.\\ds|\\d+m\\d\\ds|\\d+h\\d\\dm)';

export const REPO = join(import.meta.dirname, '..', '..', '..', '..');
export const MODUS = join(REPO, 'bin', 'modus.js');

export async function scratch(): Promise<string> {
  return tempDir('modus-run-test-');
}

export async function notebook(dir: string, text: string | Buffer, name = 'nb.md'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startModus(args: string[], cwd: string, env?: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(process.execPath, [MODUS, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env } : {}) });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

export function modus(args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Finished> {
  return startModus(args, cwd, env).done;
}

/**
 * The CLI in a session of its own: no controlling terminal, as in CI, so
 * ssh runs in batch mode and never prompts on the terminal of whoever runs
 * the tests.
 */
export function startModusDetached(args: string[], cwd: string, env?: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(process.execPath, [MODUS, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...(env ? { env } : {}) });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

export function modusDetached(args: string[], cwd: string): Promise<Finished> {
  return startModusDetached(args, cwd).done;
}

export async function journalLines(dir: string, name = 'nb.md'): Promise<Record<string, unknown>[]> {
  let text: string;
  try {
    text = await readFile(join(dir, '.modus', 'journal', `${name}.jsonl`), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The results block bodies of the notebook text, in order. */
export function resultsBodies(text: string): { attrs: string; body: string }[] {
  const out: { attrs: string; body: string }[] = [];
  const re = /^(`{3,}|~{3,})results ([^\r\n]*)\r?\n(?:([\s\S]*?)\r?\n)??\1\r?$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ attrs: m[2]!, body: m[3] ?? '' });
  return out;
}
