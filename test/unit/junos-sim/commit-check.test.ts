// Each commit-check validator of the Junos simulator: what it catches, the
// edit path and element it names, and that valid (or inactive) statements
// pass.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commitCheck, type CheckError } from '../../junos-sim/commit-check.js';
import { parseCurly } from '../../junos-sim/config-parse.js';
import { newRoot } from '../../junos-sim/config-tree.js';
import { applySetCommands } from '../../junos-sim/set-commands.js';
import { defaultConfig } from '../../junos-sim/default-config.js';
import { EDGE_ROUTER } from './sample-configs.js';

function check(setLines: string[], base = ''): { path: string; element?: string; message: string }[] {
  const r = parseCurly(base);
  assert.deepEqual(r.errors, []);
  const tree = base ? r.tree : newRoot();
  assert.deepEqual(
    applySetCommands(tree, setLines.join('\n')).filter((p) => p.severity === 'error'),
    [],
  );
  return commitCheck(tree).map((e: CheckError) => ({ path: e.path.join(' '), element: e.element, message: e.message }));
}

const IBGP = ['set routing-options autonomous-system 64512', 'set protocols bgp group rr type internal', 'set protocols bgp group rr neighbor 10.0.0.1'];

test('the sample configurations pass', () => {
  assert.deepEqual(check([], EDGE_ROUTER), []);
  assert.deepEqual(check([], defaultConfig('r1')), []);
  assert.deepEqual(check(IBGP), []);
});

test('a policy referenced by BGP, OSPF or the forwarding table but not defined', () => {
  assert.deepEqual(check([...IBGP, 'set protocols bgp group rr export NHS', 'set protocols bgp group rr neighbor 10.0.0.1 import IN', 'set routing-options forwarding-table export LB', 'set protocols ospf export OSPF-OUT']), [
    { path: 'routing-options forwarding-table', element: 'export', message: 'Policy error: Policy LB referenced but not defined' },
    { path: 'protocols bgp group rr', element: 'export', message: 'Policy error: Policy NHS referenced but not defined' },
    { path: 'protocols bgp group rr neighbor 10.0.0.1', element: 'import', message: 'Policy error: Policy IN referenced but not defined' },
    { path: 'protocols ospf', element: 'export', message: 'Policy error: Policy OSPF-OUT referenced but not defined' },
  ]);
  assert.deepEqual(check([...IBGP, 'set protocols bgp group rr export NHS', 'set policy-options policy-statement NHS then next-hop self']), []);
  // An add-path prefix-policy and a VRF export are policy references too.
  assert.equal(check([...IBGP, 'set protocols bgp group rr family inet unicast add-path send path-count 2', 'set protocols bgp group rr family inet unicast add-path send prefix-policy AP'])[0]?.message, 'Policy error: Policy AP referenced but not defined');
  assert.equal(check(['set routing-instances V instance-type vrf', 'set routing-instances V vrf-export V-OUT'])[0]?.path, 'routing-instances V');
});

test('a BGP group without type', () => {
  assert.deepEqual(check(['set routing-options autonomous-system 64512', 'set protocols bgp group g neighbor 192.0.2.1 peer-as 64500']), [{ path: 'protocols bgp group g', element: 'type', message: "Missing mandatory statement: 'type'" }]);
  assert.deepEqual(check(['set protocols bgp type external', 'set protocols bgp group g neighbor 192.0.2.1 peer-as 64500']), [], 'type at the bgp level is inherited');
});

test('a neighbor of an external group without peer-as', () => {
  assert.deepEqual(check(['set protocols bgp group ext type external', 'set protocols bgp group ext neighbor 192.0.2.1', 'set protocols bgp group ext neighbor 192.0.2.3 peer-as 64501']), [
    { path: 'protocols bgp group ext neighbor 192.0.2.1', element: 'peer-as', message: 'Error in neighbor 192.0.2.1 of group ext: peer AS number must be configured for an external peer' },
  ]);
  assert.deepEqual(check(['set protocols bgp group ext type external', 'set protocols bgp group ext peer-as 64500', 'set protocols bgp group ext neighbor 192.0.2.1']), []);
});

test('add-path without send or receive, or send without path-count', () => {
  assert.deepEqual(check([...IBGP, 'set protocols bgp group rr family inet unicast add-path']), [{ path: 'protocols bgp group rr family inet unicast add-path', element: 'add-path', message: 'add-path: at least one of send or receive must be configured' }]);
  assert.deepEqual(check([...IBGP, 'set protocols bgp group rr family inet unicast add-path send multipath']), [{ path: 'protocols bgp group rr family inet unicast add-path send', element: 'path-count', message: "Missing mandatory statement: 'path-count'" }]);
  assert.deepEqual(check([...IBGP, 'set protocols bgp group rr family inet unicast add-path receive']), []);
});

test('a prefix-list referenced by a policy or a filter but not defined', () => {
  assert.deepEqual(check(['set policy-options policy-statement P term t from prefix-list NOPE', 'set policy-options policy-statement P term t then accept']), [
    { path: 'policy-options policy-statement P term t from', element: 'prefix-list', message: 'Policy error: prefix-list NOPE referenced but not defined' },
  ]);
  assert.deepEqual(check(['set firewall family inet filter F term t from source-prefix-list MGMT', 'set firewall family inet filter F term t then accept']), [
    { path: 'firewall family inet filter F term t from source-prefix-list', element: 'MGMT', message: "Referenced prefix-list 'MGMT' is not defined" },
  ]);
  assert.deepEqual(check(['set policy-options prefix-list MGMT 192.0.2.0/24', 'set firewall family inet filter F term t from source-prefix-list MGMT', 'set firewall family inet filter F term t then accept']), []);
});

test('a community referenced but not defined', () => {
  assert.deepEqual(
    check(['set policy-options policy-statement P term t from community C1', 'set policy-options policy-statement P term t then community add C2', 'set policy-options policy-statement P term t then accept', 'set policy-options community C1 members 64500:1']),
    [{ path: 'policy-options policy-statement P term t then', element: 'community', message: 'Policy error: community C2 referenced but not defined' }],
  );
});

test('a firewall filter or policer referenced but not defined', () => {
  assert.deepEqual(check(['set interfaces ge-0/0/0 unit 0 family inet filter input F-IN', 'set interfaces ge-0/0/0 unit 0 family inet address 192.0.2.1/31']), [
    { path: 'interfaces ge-0/0/0 unit 0 family inet filter', element: 'input', message: "Referenced filter 'F-IN' is not defined" },
  ]);
  assert.deepEqual(check(['set interfaces ge-0/0/0 unit 0 family inet filter input F-IN', 'set firewall filter F-IN term t then accept']), [], 'firewall filter (no family) is family inet');
  assert.deepEqual(check(['set interfaces ge-0/0/0 unit 0 family inet6 filter input F6', 'set firewall family inet filter F6 term t then accept'])[0]?.message, "Referenced filter 'F6' is not defined", 'an inet filter is no inet6 filter');
  assert.deepEqual(check(['set firewall family inet filter F term t then policer P1', 'set firewall family inet filter F term t then accept']), [{ path: 'firewall family inet filter F term t then', element: 'policer', message: "Referenced policer 'P1' is not defined" }]);
});

test('a protocol on a unit that lacks the family it needs', () => {
  assert.deepEqual(check(['set interfaces ge-0/0/1 unit 0 family inet6 address 2001:db8::1/64', 'set protocols ospf area 0 interface ge-0/0/1.0', 'set protocols mpls interface ge-0/0/1.0', 'set protocols ospf3 area 0 interface ge-0/0/1.0']), [
    { path: 'protocols mpls interface ge-0/0/1.0', element: 'ge-0/0/1.0', message: 'interface ge-0/0/1.0 is not configured with family mpls' },
    { path: 'protocols ospf area 0 interface ge-0/0/1.0', element: 'ge-0/0/1.0', message: 'interface ge-0/0/1.0 is not configured with family inet' },
  ]);
  assert.deepEqual(check(['set protocols ospf area 0 interface ge-0/0/9.0', 'set protocols mpls interface all']), [], 'units that are not configured, and "all", are not checked');
});

test('inactive statements are not checked', () => {
  assert.deepEqual(check([...IBGP, 'set protocols bgp group bad neighbor 192.0.2.1', 'set protocols bgp group bad export NOPE', 'deactivate protocols bgp group bad']), []);
});
