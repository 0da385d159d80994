// `npm run junos-sim` (dist/test/junos-sim/sim-cli.js): the standalone
// simulator prints where its ssh_config and inventory are, serves its
// devices until SIGINT, then stops everything it started.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sshdsOf } from '../../helpers/sshd.js';
import { junosSimAvailable } from '../../junos-sim/harness.js';
import { text, waitFor } from '../../junos-sim/reading-replies.js';
import { SshNetconf } from './ssh-netconf.js';

const CLI = fileURLToPath(new URL('../../junos-sim/sim-cli.js', import.meta.url));
const skip = junosSimAvailable();

test('the standalone simulator serves its devices until SIGINT, then leaves nothing running', { skip: skip ? `skipped: ${skip}` : false }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'modus-junos-cli-'));
  const child = spawn(process.execPath, [CLI, '--devices', '2', '--dir', join(dir, 'sim')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let exit: { code: number | null } | null = null;
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  child.on('close', (code) => (exit = { code }));
  try {
    await waitFor(() => out.includes('Ctrl+C stops it.') || exit !== null, 'the simulator to start', 60_000);
    assert.equal(exit, null, out);
    const sshConfig = /ssh_config: (\S+)/.exec(out)?.[1] ?? '';
    assert.match(out, /^junos-sim: 2 simulated Junos devices on 127\.0\.0\.1, one sshd \(pid \d+\)$/m);
    assert.match(out, /^ {2}r2 {3}port \d+$/m);
    assert.match(readFileSync(/inventory: +(\S+)/.exec(out)![1]!, 'utf8'), /r2: \{ address: 127\.0\.0\.1, port: \d+, platform: junos \}/);
    const c = new SshNetconf(sshConfig, 'r2');
    await c.hello();
    assert.equal(text(await c.rpc('<get-software-information/>'), 'host-name'), 'r2');
    await c.close();

    child.kill('SIGINT');
    await waitFor(() => exit !== null, 'the simulator to stop');
    assert.deepEqual(exit, { code: 0 });
    assert.match(out, /junos-sim: stopped \(SIGINT\)/);
    assert.deepEqual(sshdsOf(join(dir, 'sim', 'sshd', 'sshd_config')), []);
    assert.equal(existsSync(join(dir, 'sim', 'netconf.sock')), false);
  } finally {
    if (exit === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});

test('the standalone simulator refuses bad arguments with its usage', async () => {
  const child = spawn(process.execPath, [CLI, '--devices', 'many'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 1);
  assert.match(err, /--devices takes a number from 1 to 64, not "many"\nusage: sim-cli\.js/);
});
