// Faults on real hosts of the netns lab, through `modus run`: a host whose
// packets are dropped (connection timeout), a bastion that is down (the host
// behind it), sshd killed in the middle of a run, the host's cable pulled in
// the middle of a run. Each such host ends with status error and a message
// saying what happened, its partial output kept; the other hosts carry on;
// the notebook stays valid.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { labAvailable, nftAvailable, startLab, type Lab } from '../../lab/lab.js';
import { journalLines, modusDetached, notebook, resultsBodies, scratch } from '../run/helpers.js';

const skip = labAvailable() ?? nftAvailable();
if (skip) console.log(`skipped: ${skip}`);
let lab: Lab;
let config: string;

before(async () => {
  if (skip) return;
  lab = await startLab({ hosts: 4 });
  // Fast failure detection for the test; a user's own ssh_config decides this for real runs.
  config = join(lab.dir, 'ssh_config.faults');
  await writeFile(config, `${await readFile(lab.client.sshConfig, 'utf8')}\nHost *\n  ConnectTimeout 2\n  ServerAliveInterval 1\n  ServerAliveCountMax 2\n`);
});
after(async () => {
  await lab?.down();
});


async function until(check: () => Promise<boolean>, what: string, deadlineMs = 60_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

/** The block directories Modus's bootstrap made on the lab's hosts (they share this machine's /tmp) whose files mention `token`. */
async function blockDirsWith(token: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of (await readdir('/tmp')).filter((n) => /^modus\.[A-Za-z0-9]{10}$/.test(n))) {
    const files = await readdir(join('/tmp', name)).catch(() => []);
    for (const file of files) {
      const path = join('/tmp', name, file);
      // Regular files only: a session's directory holds a FIFO, which a read would wait on forever.
      if ((await lstat(path).catch(() => null))?.isFile() && (await readFile(path, 'utf8').catch(() => '')).includes(token)) found.push(join('/tmp', name));
    }
  }
  return found;
}

function byHost(text: string): Map<string, { attrs: string; body: string }> {
  return new Map(resultsBodies(text).map((r) => [/:host (\S+)/.exec(r.attrs)![1]!, r]));
}

test('a host that drops packets times out, a host behind a bastion that is down says so; the others pass', { skip: skip ?? false }, async () => {
  const dir = await scratch();
  const nb = await notebook(dir, '```sh :host h1,h2,h3,h4\necho "up on $(hostname)"\n```\n');
  await lab.dropTraffic('h1');
  await lab.stopSshd('bastion');
  try {
    const r = await modusDetached(['run', nb, '--ssh-config', config, '--inventory', lab.inventory], dir);
    assert.equal(r.code, 1, r.stderr);
    const res = byHost(await readFile(nb, 'utf8'));
    assert.deepEqual([...res.keys()], ['h1', 'h2', 'h3', 'h4']);
    assert.match(res.get('h1')!.body, /modus: cannot connect to h1 \(198\.51\.100\.1 port 22\): the connection timed out/);
    assert.match(res.get('h3')!.body, /modus: cannot reach h3 through its ProxyJump bastion: cannot connect to bastion \(198\.51\.100\.253 port 22\): connection refused; is sshd running there, and on that port\?/);
    for (const h of ['h2', 'h4']) assert.equal(res.get(h)!.body, `up on ${h}`);
    assert.match(r.stdout, /\[1\] error: 2 pass, 2 error: h1 \(the connection timed out\), h3 \(via bastion: connection refused\)\n/);
  } finally {
    await lab.allowTraffic('h1');
    await lab.startSshd('bastion');
  }
});

test('sshd killed and the cable pulled in the middle of a run: partial output kept, status error, the other host finishes', { skip: skip ?? false }, async () => {
  const dir = await scratch();
  const token = `${process.pid}-${Date.now()}`;
  const started = (h: string): string => `/tmp/modus-lab-started-${token}-${h}`;
  const go = `/tmp/modus-lab-go-${token}`;
  const nb = await notebook(
    dir,
    `\`\`\`sh :host h1,h2,h4\necho "started on $(hostname)"\ntouch /tmp/modus-lab-started-${token}-$(hostname)\nwhile [ ! -e ${go} ]; do sleep 0.05; done\necho "finished on $(hostname)"\n\`\`\`\n`,
  );
  const running = modusDetached(['run', nb, '--ssh-config', config, '--inventory', lab.inventory], dir);
  try {
    await until(async () => (await exists(started('h1'))) && (await exists(started('h2'))) && (await exists(started('h4'))), 'the block to start on every host');
    // As when sshd dies on a real host: the connections drop, the shells get the hangup, the blocks run on.
    await lab.stopSshd('h1', { sessions: 'hangup' });
    await lab.linkDown('h2');
    await until(async () => (await journalLines(dir)).filter((j) => j.host === 'h1' || j.host === 'h2').length === 2, 'h1 and h2 to end');
    await writeFile(go, '');
    const r = await running;
    assert.equal(r.code, 1, r.stderr);
    const res = byHost(await readFile(nb, 'utf8'));
    for (const h of ['h1', 'h2']) {
      assert.match(res.get(h)!.attrs, /:status error/);
      assert.match(res.get(h)!.body, new RegExp(`^started on ${h}\\nmodus: the connection to ${h} was lost while the block ran \\(.+\\); the block may still be running there`));
    }
    assert.equal(res.get('h4')!.body, 'started on h4\nfinished on h4');
    assert.match(res.get('h4')!.attrs, /:status pass/);
    // The blocks cut off from Modus end on their hosts, and leave no directory behind.
    await until(async () => (await blockDirsWith(token)).length === 0, 'the block directories on h1 and h2 (/tmp/modus.*) to be removed');
  } finally {
    await writeFile(go, '');
    await running;
    await lab.linkUp('h2');
    await lab.startSshd('h1');
    await Promise.all(['h1', 'h2', 'h4'].map((h) => rm(started(h), { force: true })));
    await rm(go, { force: true });
  }
});
