// `modus run` with :host blocks against a real sshd on 127.0.0.1 reached
// under several ssh_config aliases (as many hosts): results per host in
// inventory order, a failing host does not stop the others, the summary
// line, timeouts that leave nothing on the host, and hostile names.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runProgram } from '../../helpers/sshd.js';
import { DURATION, journalLines, modusDetached, notebook, resultsBodies, scratch } from '../run/helpers.js';
import { fixtureForFile } from './fixture.js';

let config: string;
const ssh = fixtureForFile(async (f) => {
  const aliases = ['a1', 'a2', 'a3'].map((a) => f.alias(a)).join('\n');
  // A host whose sshd is not there: a port nothing listens on.
  const down = f.alias('down').replace(/Port \d+/, 'Port 1');
  config = join(f.dir, 'ssh_config.cli');
  await writeFile(config, `${await readFile(f.client.sshConfig, 'utf8')}\n${aliases}\n${down}\n`);
});
const skip = ssh.skip;


const INVENTORY = `hosts:
  a1: { platform: linux }
  a2: { platform: linux }
  down: { platform: linux }
  a3: { platform: linux }
groups:
  lab: [a1, a2, down, a3]
`;

test('a block on a group runs on every host; one host down gives error there, the others pass, and the summary says who', { skip: skip ?? false }, async () => {
  const dir = await scratch();
  await writeFile(join(dir, 'inventory.yaml'), INVENTORY);
  const nb = await notebook(dir, '# fan-out\n\n```sh :host lab\necho "hello from $(hostname) as $(id -un)"\n```\n\n```sh\necho not reached\n```\n');
  const r = await modusDetached(['run', nb, '--ssh-config', config], dir);
  assert.equal(r.code, 1, r.stderr);
  const text = await readFile(nb, 'utf8');
  const results = resultsBodies(text);
  assert.deepEqual(results.map((x) => /:host (\S+)/.exec(x.attrs)?.[1]), ['a1', 'a2', 'down', 'a3'], 'one results block per host, in inventory order');
  for (const i of [0, 1, 3]) {
    assert.match(results[i]!.attrs, /:exit 0 :status pass/);
    assert.match(results[i]!.body, /hello from \S+ as root/);
  }
  assert.match(results[2]!.attrs, /:status error/);
  assert.match(results[2]!.body, /modus: cannot connect to down \(127\.0\.0\.1 port 1\): connection refused/);
  assert.match(r.stdout, /\[1\] error: 3 pass, 1 error: down \(connection refused\)/);
  assert.doesNotMatch(text, /not reached\n```results/, 'the run stops after the block that did not pass');
  assert.match(r.stdout, /1 block not run/);
  const journal = await journalLines(dir);
  assert.deepEqual(journal.map((j) => j.host).sort(), ['a1', 'a2', 'a3', 'down'], 'one journal record per host');
});

test('--keep-going runs the next block after a host failed; :session keeps state per host', { skip: skip ?? false }, async () => {
  const dir = await scratch();
  await writeFile(join(dir, 'inventory.yaml'), INVENTORY);
  const nb = await notebook(
    dir,
    '```sh :host a1,a2 :session s\ncd /tmp; N=$(hostname)-set\n```\n\n```sh :host down\ntrue\n```\n\n```sh :host a1,a2 :session s\necho "$N in $(pwd)"\n```\n',
  );
  const r = await modusDetached(['run', nb, '--ssh-config', config, '--keep-going'], dir);
  assert.equal(r.code, 1);
  const results = resultsBodies(await readFile(nb, 'utf8'));
  assert.equal(results.length, 5);
  assert.match(results[3]!.body, /^\S+-set in \/tmp$/);
  assert.match(results[4]!.body, /^\S+-set in \/tmp$/);
});

test('a :timeout stops the block on the host: status timeout, its partial output kept, and nothing of it left running', { skip: skip ?? false }, async () => {
  const dir = await scratch();
  const token = `modus-cli-timeout-${process.pid}`;
  const nb = await notebook(dir, `\`\`\`sh :host a1 :timeout 3s\necho started\nsh -c 'trap "" HUP TERM; sleep 600' ${token}\n\`\`\`\n`);
  const r = await modusDetached(['run', nb, '--ssh-config', config], dir);
  assert.equal(r.code, 1);
  const [res] = resultsBodies(await readFile(nb, 'utf8'));
  assert.match(res!.attrs, new RegExp(`:host a1 :at \\S+ :took ${DURATION} :status timeout`));
  assert.match(res!.body, /^started\nmodus: timed out after 3\.0s and was stopped$/);
  const left = await runProgram(['pgrep', '-f', token]);
  assert.equal(left.stdout.trim(), '', 'nothing of the block runs on the host');
});

test('hostile names in :host or the inventory stop the run before anything runs; the file is untouched', { skip: skip ?? false }, async () => {
  for (const [inventory, hostArg] of [
    [INVENTORY, '-oProxyCommand=touch${IFS}/tmp/pwned'],
    [INVENTORY, 'a1;id'],
    ['hosts:\n  evil: { address: "-oProxyCommand=touch /tmp/pwned" }\n', 'evil'],
    ['hosts:\n  evil: { user: "$(id)" }\n', 'evil'],
    ['hosts: [oops\n', 'a1'],
  ] as const) {
    const dir = await scratch();
    await writeFile(join(dir, 'inventory.yaml'), inventory);
    const text = `\`\`\`sh\ntouch ran\n\`\`\`\n\n\`\`\`sh :host ${hostArg}\ntrue\n\`\`\`\n`;
    const nb = await notebook(dir, text);
    const r = await modusDetached(['run', nb, '--ssh-config', config], dir);
    assert.equal(r.code, 2, `${hostArg}: ${r.stderr}`);
    assert.match(r.stderr, /nothing was run/);
    assert.equal(await readFile(nb, 'utf8'), text);
    await assert.rejects(readFile(join(dir, 'ran')));
  }
});
