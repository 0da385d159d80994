// A fan-out under a low open-file limit (a container or a service started
// with `ulimit -Hn 1024`; Node raises the soft limit to the hard one, so only
// the hard one counts). Each running ssh client holds three pipes in Modus:
// before, the hosts past the limit made Modus fail to start ssh, the 'error'
// nobody listened to ended it, and the results of the hosts that had run were
// lost. Now the hosts past what the limit allows wait for a client to end,
// and the run says so once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODUS, notebook, resultsBodies, scratch, type Finished } from '../run/helpers.js';
import { fixtureForFile } from './fixture.js';

const ssh = fixtureForFile();
const skip = ssh.skip ?? false;

const HOSTS = 12;
/**
 * The hard limit the run gets: enough for Node to load Modus (it reads many
 * modules at once: below about 45 it cannot start at all), too few for 12
 * clients at once (about 30 files open before the first client, three per client).
 */
const LIMIT = 56;

/** `modus ARGS` with the open-file limit, soft and hard, at `limit`. */
function modusWithLimit(limit: number, args: string[], cwd: string): Promise<Finished> {
  const quoted = [process.execPath, MODUS, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const child = spawn('/bin/bash', ['-c', `ulimit -n ${limit} && ulimit -Hn ${limit} && exec ${quoted}`], { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

test(`a block on ${HOSTS} hosts under a hard open-file limit of ${LIMIT}: the hosts past what it allows wait their turn, all run, and the run says why they waited`, { skip }, async () => {
  const dir = await scratch();
  const names = Array.from({ length: HOSTS }, (_, i) => `n${i + 1}`);
  const config = join(dir, 'ssh_config');
  await writeFile(config, [await readFile(ssh.f.client.sshConfig, 'utf8'), ...names.map((n) => ssh.f.alias(n))].join('\n'), { mode: 0o600 });
  const nb = await notebook(dir, `# many hosts\n\n\`\`\`sh :host ${names.join(',')} :parallel ${HOSTS}\necho ran on the host\n\`\`\`\n`);
  const r = await modusWithLimit(LIMIT, ['run', nb, '--ssh-config', config], dir);
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^\[1\] waiting for (the one ssh client|one of the \d+ ssh clients) the open-file limit allows at once \(ulimit -n 56; raise it to run more hosts at once\)$/m);
  assert.equal(r.stdout.match(/waiting for/g)?.length, 1, 'told once, not once per host');
  assert.match(r.stdout, new RegExp(`\\[1\\] all pass: ${HOSTS} pass`));
  const results = resultsBodies(await readFile(nb, 'utf8'));
  assert.equal(results.length, HOSTS);
  for (const [i, res] of results.entries()) {
    assert.match(res.attrs, new RegExp(`:host ${names[i]}\\b.*:status pass`));
    assert.match(res.body, /ran on the host/);
  }
});
