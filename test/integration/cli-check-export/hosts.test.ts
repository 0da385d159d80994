// `modus hosts`: what ssh will really use for each host a notebook names
// (ssh -G with the given ssh_config), where the name came from, and an
// error for a name that resolves nowhere.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modus, notebook, scratch } from '../run/helpers.js';

const SSH_CONFIG = `Host bastion
  HostName 198.51.100.253
  User jump
Host r2
  HostName 203.0.113.2
  User ops
  Port 2202
  ProxyJump bastion
Host *.lab
  User labuser
`;
const INVENTORY = `hosts:
  r1: { address: 198.51.100.1, user: netops, port: 2222 }
  r2: { platform: linux }
  edge1: { platform: junos, address: 2001:db8::1 }
groups:
  core: [r1, r2]
`;

test('modus hosts NOTEBOOK: each host once, in the order the blocks name them, as ssh -G resolves it', async () => {
  const dir = await scratch();
  const sshConfig = join(dir, 'ssh_config');
  await writeFile(sshConfig, SSH_CONFIG);
  await writeFile(join(dir, 'inventory.yaml'), INVENTORY);
  const nb = await notebook(dir, '```sh :host core\nuptime\n```\n\n```sh :host r1,x.lab,198.51.100.9\ntrue\n```\n');
  const r = await modus(['hosts', nb, '--ssh-config', sshConfig, '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
  assert.deepEqual(rows.map((x) => [x.name, x.address, x.user, x.port, x.source, x.proxyJump ?? null, x.blocks]), [
    ['r1', '198.51.100.1', 'netops', 2222, 'inventory', null, [1, 2]],
    ['r2', '203.0.113.2', 'ops', 2202, 'inventory', 'bastion', [1]],
    ['x.lab', 'x.lab', 'labuser', 22, 'ssh config', null, [2]],
    ['198.51.100.9', '198.51.100.9', process.env.USER ?? 'root', 22, 'address', null, [2]],
  ]);
  const table = await modus(['hosts', nb, '--ssh-config', sshConfig], dir);
  assert.match(table.stdout, /^NAME +ADDRESS +USER +PORT +PLATFORM +FROM +VIA\n/);
  assert.match(table.stdout, /\nr2 +203\.0\.113\.2 +ops +2202 +linux +inventory +bastion\n/);
});

test('modus hosts with no notebook lists the inventory and the concrete ssh config aliases; an unknown name in a notebook exits 1', async () => {
  const dir = await scratch();
  const sshConfig = join(dir, 'ssh_config');
  await writeFile(sshConfig, SSH_CONFIG);
  await writeFile(join(dir, 'inventory.yaml'), INVENTORY);
  const all = await modus(['hosts', '--ssh-config', sshConfig, '--json'], dir);
  assert.equal(all.code, 0, all.stderr);
  assert.deepEqual((JSON.parse(all.stdout) as { name: string }[]).map((x) => x.name), ['r1', 'r2', 'edge1', 'bastion']);
  const nb = await notebook(dir, '```sh :host r9\ntrue\n```\n');
  const bad = await modus(['hosts', nb, '--ssh-config', sshConfig], dir);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /nb\.md:1:\d+ unknown host r9/);
});

test('modus hosts shows a Junos device as the run reaches it: its name with the inventory address as HostName, and the NETCONF port', async () => {
  const dir = await scratch();
  const sshConfig = join(dir, 'ssh_config');
  // The run connects to `edge1` with -o HostName=ADDRESS, so these settings for the name apply although the inventory gives an address.
  await writeFile(sshConfig, 'Host bastion\n  HostName 198.51.100.253\n  User jump\nHost edge1\n  User netops\n  ProxyJump bastion\nHost edge2\n  User ops2\n  Port 8300\n');
  await writeFile(join(dir, 'inventory.yaml'), 'hosts:\n  edge1: { address: 198.51.100.9, platform: junos }\n  edge2: { address: 198.51.100.10, platform: junos }\n  edge3: { address: 198.51.100.11, platform: junos, user: admin, port: 2830 }\n');
  const nb = await notebook(dir, '```junos :host edge1,edge2,edge3\nshow version\n```\n');
  const r = await modus(['hosts', nb, '--ssh-config', sshConfig, '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
  assert.deepEqual(rows.map((x) => [x.name, x.address, x.user, x.port, x.platform, x.proxyJump ?? null]), [
    // NETCONF's own port when neither the inventory nor the ssh config gives one.
    ['edge1', '198.51.100.9', 'netops', 830, 'junos', 'bastion'],
    // A Port the ssh config sets for the name is the NETCONF port (a lab's forwarded port).
    ['edge2', '198.51.100.10', 'ops2', 8300, 'junos', null],
    ['edge3', '198.51.100.11', 'admin', 2830, 'junos', null],
  ]);
  const table = await modus(['hosts', nb, '--ssh-config', sshConfig], dir);
  assert.match(table.stdout, /\nedge1 +198\.51\.100\.9 +netops +830 +junos +inventory +bastion\n/);
});
