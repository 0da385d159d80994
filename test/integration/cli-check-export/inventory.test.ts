import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inventoryFromYaml, loadInventory, resolveHosts } from '../../../main/inventory/inventory.js';
import { invalidNameReason, looksLikeAddress } from '../../../main/inventory/names.js';

const YAML = `hosts:
  edge1: { address: 2001:db8::1, platform: junos, user: netops }
  edge2: { address: 192.0.2.2, platform: junos, port: 2222 }
  r1:    { platform: linux }
groups:
  edges: [edge1, edge2]
  all: [edges, r1]
`;

async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'modus-inventory-'));
}

test('resolves hosts, groups (nested), globs and user@host, in order without duplicates', () => {
  const { inventory, messages } = inventoryFromYaml(YAML, '/lab/inventory.yaml');
  assert.deepEqual(messages, []);
  const r = resolveHosts('all, edge*, admin@r1', inventory);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.hosts, [
    { name: 'edge1', address: '2001:db8::1', platform: 'junos', user: 'netops', source: 'inventory' },
    { name: 'edge2', address: '192.0.2.2', platform: 'junos', port: 2222, source: 'inventory' },
    { name: 'r1', platform: 'linux', source: 'inventory' },
    { name: 'r1', platform: 'linux', user: 'admin', source: 'inventory' },
  ]);
});

test('falls back to ssh config aliases and patterns, then literal addresses', async () => {
  const dir = await scratch();
  const sshConfig = join(dir, 'ssh_config');
  await mkdir(join(dir, 'conf.d'));
  await writeFile(sshConfig, `Host jump bastion\n  HostName 198.51.100.7\nHost *.lab !bad.lab\n  User lab\nInclude ${join(dir, 'conf.d', '*.conf')}\n`);
  await writeFile(join(dir, 'conf.d', 'extra.conf'), 'Host=spine1\n');
  const notebook = join(dir, 'notes.md');
  await writeFile(notebook, '# notes\n');
  const { inventory, messages } = await loadInventory({ notebookPath: notebook, sshConfigPath: sshConfig });
  assert.deepEqual(messages, []);
  assert.equal(inventory.file, null);
  assert.deepEqual(inventory.sshAliases, ['jump', 'bastion', 'spine1']);
  const r = resolveHosts('jump,spine1,r9.lab,198.51.100.9,2001:db8::7,router.example.net,local', inventory);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.hosts.map((h) => `${h.name}:${h.source}`), [
    'jump:ssh-config', 'spine1:ssh-config', 'r9.lab:ssh-config', '198.51.100.9:address', '2001:db8::7:address', 'router.example.net:address', 'local:local',
  ]);
  await rm(dir, { recursive: true });
});

test('an unknown host or group names the near ones', () => {
  const { inventory } = inventoryFromYaml(YAML, '/lab/inventory.yaml');
  const r = resolveHosts('edge3,egdes,zzz*', inventory);
  assert.deepEqual(r.hosts, []);
  assert.match(r.problems[0]!.message, /^unknown host edge3: not in .*inventory\.yaml or ~\/\.ssh\/config, and not an address; did you mean edge1, edge2, edges\?$/);
  assert.match(r.problems[1]!.message, /^unknown host egdes: .*did you mean edges/);
  assert.match(r.problems[2]!.message, /^no host matches zzz\* in .*inventory\.yaml or ~\/\.ssh\/config$/);
});

test('refuses host names and users that could be options or shell syntax', () => {
  const { inventory } = inventoryFromYaml(YAML, '/lab/inventory.yaml');
  const cases: [string, RegExp][] = [
    ['-oProxyCommand=touch /tmp/x', /starts with "-", which ssh would read as an option/],
    ['r1;reboot', /contains ";"/],
    ['$(reboot)', /contains "\$"/],
    ['`id`', /contains "`"/],
    ["r'1", /contains "'"/],
    ['-x@r1', /user "-x" starts with "-"/],
  ];
  for (const [spec, expected] of cases) {
    const r = resolveHosts(spec, inventory);
    assert.deepEqual(r.hosts, [], spec);
    assert.match(r.problems[0]!.message, expected, spec);
  }
  assert.match(invalidNameReason('r1\nr2', 'host name')!, /contains a newline/);
  assert.match(invalidNameReason('r 1', 'host name')!, /contains whitespace/);
  assert.equal(looksLikeAddress('r1'), false, 'a bare word is not taken for a DNS name');
});

test('inventory problems carry file:line:col: YAML syntax, bad values, bad names, cycles', async () => {
  const bad = inventoryFromYaml('hosts:\n  r1: { platform: cisco, port: 70000, colour: red }\n  "-evil": {}\n  r2: { user: "a b" }\ngroups:\n  g: r1\n', '/lab/inv.yaml');
  const lines = bad.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.reason}`);
  assert.deepEqual(lines, [
    '2:19 inventory-bad-value host r1: platform must be one of linux, junos, got "cisco"',
    '2:32 inventory-bad-value host r1: port must be a number from 1 to 65535',
    '2:39 inventory-unknown-key host r1: unknown setting "colour"; known: address, platform, user, port',
    '3:3 invalid-host-name host name "-evil" starts with "-", which ssh would read as an option',
    '4:15 invalid-user host r2: user "a b" contains whitespace; host names and users may not contain whitespace, quotes, backticks, ";", "$" or "\\"',
    '6:6 inventory-shape group g must be a list of host names, like [edge1, edge2]',
  ]);
  const syntax = inventoryFromYaml('hosts:\n  r1: { platform: linux\n', '/lab/inv.yaml');
  assert.equal(syntax.messages[0]!.ruleId, 'inventory-yaml');
  assert.match(syntax.messages[0]!.reason, /^inventory is not valid YAML: /);
  assert.ok(syntax.messages[0]!.line >= 2);

  const cyclic = inventoryFromYaml('groups:\n  a: [b]\n  b: [a]\n', '/lab/inv.yaml');
  const r = resolveHosts('a', cyclic.inventory);
  assert.match(r.problems[0]!.message, /group a contains itself \(a → b → a\)/);
});

test('inventory file order: front matter, then inventory.yaml beside, then --inventory (with a warning when overridden)', async () => {
  const dir = await scratch();
  const notebook = join(dir, 'nb.md');
  await writeFile(notebook, '# nb\n');
  await writeFile(join(dir, 'lab.yaml'), 'hosts:\n  fm1: {}\n');
  await writeFile(join(dir, 'cli.yaml'), 'hosts:\n  cli1: {}\n');
  const viaCli = await loadInventory({ notebookPath: notebook, cliInventory: join(dir, 'cli.yaml'), sshConfigPath: null });
  assert.deepEqual([...viaCli.inventory.hosts.keys()], ['cli1']);
  assert.deepEqual(viaCli.messages, []);

  await writeFile(join(dir, 'inventory.yaml'), 'hosts:\n  beside1: {}\n');
  const beside = await loadInventory({ notebookPath: notebook, cliInventory: join(dir, 'cli.yaml'), sshConfigPath: null });
  assert.deepEqual([...beside.inventory.hosts.keys()], ['beside1']);
  assert.equal(beside.messages[0]!.severity, 'warning');
  assert.match(beside.messages[0]!.reason, /--inventory .*cli\.yaml is not used: the notebook's inventory comes from inventory\.yaml beside the notebook/);

  const declared = await loadInventory({ notebookPath: notebook, declared: './lab.yaml', sshConfigPath: null });
  assert.deepEqual([...declared.inventory.hosts.keys()], ['fm1']);

  const missing = await loadInventory({ notebookPath: notebook, declared: './nope.yaml', sshConfigPath: null });
  assert.equal(missing.messages[0]!.ruleId, 'inventory-missing');
  assert.match(missing.messages[0]!.reason, /inventory file not found \(named by front matter `inventory:`\); create it or fix the path/);
  await rm(dir, { recursive: true });
});

test('what ssh would refuse is refused by the check too: users and addresses with shell characters, names that reach ssh as hosts', () => {
  const inv = inventoryFromYaml('hosts:\n  r1: { user: "a|b" }\n  r2: { address: "127.0.0.1&id" }\n  "web+1": {}\n  "web+2": { address: 198.51.100.2 }\n  "edge+1": { address: 198.51.100.3, platform: junos }\n', '/lab/inv.yaml');
  assert.deepEqual(inv.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.reason}`), [
    '2:15 invalid-user host r1: user "a|b" has characters a user name cannot have (letters, digits, "." "-" "_" "+" "@" only)',
    '3:18 invalid-host-name host r2: host name "127.0.0.1&id" has characters a host name cannot have (letters, digits, "." "-" "_" ":" "%" only)',
  ]);
  // A name goes to ssh when it has no address, or when it is a Junos device's (its address is then ssh's HostName): such a name must be a host name.
  assert.deepEqual(resolveHosts('web+1', inv.inventory).problems.map((p) => p.message), [
    'host web+1: host name "web+1" has characters a host name cannot have (letters, digits, "." "-" "_" ":" "%" only), so ssh cannot be given it; give it an address in the inventory, or rename it',
  ]);
  assert.deepEqual(resolveHosts('edge+1', inv.inventory).problems.map((p) => p.message), [
    'host edge+1: host name "edge+1" has characters a host name cannot have (letters, digits, "." "-" "_" ":" "%" only), so ssh cannot be given it; rename it',
  ]);
  const labelled = resolveHosts('web+2', inv.inventory);
  assert.deepEqual([labelled.problems, labelled.hosts.map((h) => h.address)], [[], ['198.51.100.2']], 'a Linux host with an address goes to its address: its name is a label only');
  // An ssh config with `Host *` takes any name: the name is still no host name.
  const wild = { ...inv.inventory, sshPatterns: [/^.*$/] };
  assert.deepEqual(resolveHosts('h3>x', wild).problems.map((p) => p.message), ['host h3>x: host name "h3>x" has characters a host name cannot have (letters, digits, "." "-" "_" ":" "%" only), so ssh cannot be given it; give it an address in the inventory, or rename it']);
});
