// `modus settings` as a user runs it: the real CLI in a child process, with
// its config directory in a scratch directory.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { settingsSchema } from '../../main/settings/settings-schema.js';
import { readSettingsFile } from '../../main/settings/settings-store.js';

const BIN = fileURLToPath(new URL('../../../bin/modus.js', import.meta.url));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function modus(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'settings', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function withConfigDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'modus-cli-settings-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('modus settings --schema prints the settings schema as JSON, exit 0', async () => {
  const r = await modus({}, '--schema');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.deepEqual(JSON.parse(r.stdout), settingsSchema());
  assert.ok(r.stdout.endsWith('}\n'));
});

test('modus settings --path prints the file the app reads, following MODUS_CONFIG_DIR', async () => {
  await withConfigDir(async (dir) => {
    const r = await modus({ MODUS_CONFIG_DIR: dir }, '--path');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${join(dir, 'settings.json')}\n`);
  });
});

test('the README recipe: a schema file next to settings.json and a "$schema" key that points at it; comments are fine', async () => {
  await withConfigDir(async (dir) => {
    const schema = await modus({}, '--schema');
    await writeFile(join(dir, 'settings.schema.json'), schema.stdout);
    const settingsPath = (await modus({ MODUS_CONFIG_DIR: dir }, '--path')).stdout.trim();
    await writeFile(settingsPath, '{\n  "$schema": "./settings.schema.json",\n  // bigger\n  "fontSize": 14,\n}\n');
    const read = readSettingsFile(settingsPath);
    assert.deepEqual(read.problems, []);
    assert.equal(read.settings.fontSize, 14);
  });
});

test('modus settings --help prints the usage, exit 0', async () => {
  const r = await modus({}, '--help');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^usage: modus settings --schema \| --path\n/);
  assert.match(r.stdout, /--schema/);
  assert.match(r.stdout, /--path/);
});

test('unknown options, stray arguments and a missing or doubled choice are usage errors, exit 2', async () => {
  const cases: [string[], string][] = [
    [['--scheme'], 'unknown option --scheme'],
    [['schema'], 'unexpected argument "schema"'],
    [[], 'give --schema or --path'],
    [['--schema', '--path'], 'give one of --schema or --path, not both'],
  ];
  for (const [args, reason] of cases) {
    const r = await modus({}, ...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '', 'nothing on stdout, so `> file` never writes a half schema');
    assert.ok(r.stderr.startsWith(`modus settings: ${reason}\n\nusage: modus settings`), r.stderr);
  }
});
