import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterHosts, hostNameProblem } from '../../../renderer/src/workspace/host-filter.js';
import type { ListedHost } from '../../../main/protocol.js';

const host = (name: string, detail = '', source: ListedHost['source'] = 'ssh-config'): ListedHost => ({ name, detail, source });
const HOSTS = [
  host('edge1-rack', '198.51.100.1 · netops', 'inventory'),
  host('core-ams', '203.0.113.9', 'inventory'),
  host('h1', '/home/ann/.ssh/config'),
  host('Lab-H2'),
  host('bastion'),
];
const names = (query: string): string[] => filterHosts(HOSTS, query).map((h) => h.name);

test('an empty query lists every host in the listed order', () => {
  assert.deepEqual(names(''), HOSTS.map((h) => h.name));
  assert.deepEqual(names('   '), HOSTS.map((h) => h.name));
});

test('case-insensitive: prefixes first, then substrings, then subsequences, then the detail; listed order among equals', () => {
  assert.deepEqual(names('H'), ['h1', 'Lab-H2'], 'h1 starts with it, Lab-H2 contains it');
  assert.deepEqual(names('b'), ['bastion', 'Lab-H2'], 'a prefix before a substring, whatever the listed order');
  assert.deepEqual(names('h2'), ['Lab-H2']);
  assert.deepEqual(names('e1r'), ['edge1-rack'], 'a subsequence');
  assert.deepEqual(names('cams'), ['core-ams'], 'a subsequence across the dash');
  assert.deepEqual(names('203.0'), ['core-ams'], 'an address from the detail');
  assert.deepEqual(names('netops'), ['edge1-rack'], 'a user from the detail');
  assert.deepEqual(names('ann'), [], 'not the ssh config path an alias came from');
  assert.deepEqual(names('a'), ['edge1-rack', 'core-ams', 'Lab-H2', 'bastion'].filter((n) => n.toLowerCase().includes('a')));
  assert.deepEqual(names('zz'), []);
  assert.deepEqual(names('1h'), [], 'order matters in a subsequence');
});

test('a typed name is usable when ssh would take it as a host, and says why not otherwise', () => {
  for (const ok of ['h1', 'edge1.example.net', '198.51.100.7', '2001:db8::1', '[2001:db8::1]', 'fe80::1%eth0', 'lab_host']) assert.equal(hostNameProblem(ok), null, ok);
  const bad: [string, RegExp][] = [
    ['', /type a host name/],
    ['-oProxyCommand=x', /cannot start with "-"/],
    ['root@h1', /no user@ here/],
    ['h1;reboot', /letters, digits/],
    ['h 1', /letters, digits/],
    ['$(id)', /letters, digits/],
    ['x'.repeat(256), /at most 255/],
  ];
  for (const [name, reason] of bad) assert.match(hostNameProblem(name) ?? '', reason, name);
});
