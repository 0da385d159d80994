// A host that is neither in the inventory nor in the ssh config: the
// message names the files that were read (the --ssh-config file, not
// ~/.ssh/config), and lists each known name once, though a lab's hosts are
// in both its inventory and its ssh config.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadInventory, resolveHosts } from '../../../main/inventory/inventory.js';
import { modus, notebook, scratch } from '../run/helpers.js';

const INVENTORY = 'hosts:\n  h1: { platform: linux }\n  h2: { platform: linux }\ngroups:\n  all: [h1, h2]\n';
const SSH_CONFIG = 'Host h1\n  HostName 198.51.100.1\nHost h2\n  HostName 198.51.100.2\nHost bastion\n  HostName 198.51.100.253\n';

async function lab(): Promise<{ dir: string; config: string; inventory: string }> {
  const dir = await scratch();
  const config = join(dir, 'ssh_config');
  const inventory = join(dir, 'inventory.yaml');
  await writeFile(config, SSH_CONFIG);
  await writeFile(inventory, INVENTORY);
  return { dir, config, inventory };
}

test('the message names the ssh config read and lists each known name once', async () => {
  const { dir, config, inventory } = await lab();
  const loaded = await loadInventory({ notebookPath: join(dir, 'nb.md'), cliInventory: inventory, sshConfigPath: config });
  const [problem] = resolveHosts('zz', loaded.inventory).problems;
  assert.equal(problem!.message, `unknown host zz: not in ${inventory} or ${config}, and not an address; known: h1, h2, all, bastion`);
  const [glob] = resolveHosts('zz*', loaded.inventory).problems;
  assert.equal(glob!.message, `no host matches zz* in ${inventory} or ${config}`);
  const none = await loadInventory({ notebookPath: join(dir, 'nb.md'), cliInventory: inventory, sshConfigPath: null });
  assert.equal(resolveHosts('zz', none.inventory).problems[0]!.message, `unknown host zz: not in ${inventory}, and not an address; known: h1, h2, all`);
});

test('modus run --ssh-config FILE: the refusal names FILE, not ~/.ssh/config', async () => {
  const { dir, config, inventory } = await lab();
  const nb = await notebook(dir, '```sh :host h9\nuptime\n```\n');
  const r = await modus(['run', nb, '--ssh-config', config, '--inventory', inventory], dir);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /unknown host h9: not in inventory\.yaml or ssh_config, and not an address; did you mean h1, h2\? \[unresolvable-host\]/);
  assert.doesNotMatch(r.stderr, /~\/\.ssh\/config/);
  const far = await notebook(dir, '```sh :host zz\nuptime\n```\n', 'far.md');
  const f = await modus(['run', far, '--ssh-config', config, '--inventory', inventory], dir);
  assert.match(f.stderr, /unknown host zz: not in inventory\.yaml or ssh_config, and not an address; known: h1, h2, all, bastion \[unresolvable-host\]/);
});
