// Operational commands of the Junos simulator: what they print, their XML,
// abbreviations, pipes, and the errors of commands that are not there.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCommand } from '../../junos-sim/op-commands.js';
import { elements, text, texts, xml } from '../../junos-sim/reading-replies.js';
import { RpcFailure } from '../../junos-sim/rpc-error.js';
import { defaultConfig } from '../../junos-sim/default-config.js';
import type { SimDeviceRuntime } from '../../junos-sim/sim-device.js';
import { memoryDevice } from './memory-session.js';
import { EDGE_ROUTER } from './sample-configs.js';

function run(device: SimDeviceRuntime, line: string): { text: string; xml: string } {
  return runCommand(device.opContext(), line).output;
}

function failure(device: SimDeviceRuntime, line: string): { message: string; bad?: string } {
  try {
    runCommand(device.opContext(), line);
  } catch (err) {
    if (err instanceof RpcFailure) return { message: err.errors[0]!.message, bad: err.errors[0]!.badElement };
    throw err;
  }
  assert.fail(`${line} should fail`);
}

test('show version names the host from the configuration', () => {
  const { device } = memoryDevice(EDGE_ROUTER, 'sim-name');
  const out = run(device, 'show version');
  assert.match(out.text, /^Hostname: edge1\nModel: vmx\nJunos: 21\.4R3\.15\n/);
  assert.equal(text(out.xml, 'host-name'), 'edge1');
  assert.equal(text(out.xml, 'junos-version'), '21.4R3.15');
});

test('abbreviations resolve as in the CLI; unknown and ambiguous words are errors naming the word', () => {
  const { device } = memoryDevice(defaultConfig('r1'));
  assert.equal(run(device, 'sh bgp sum').text, run(device, 'show bgp summary').text);
  assert.equal(run(device, 'show int ter').text, run(device, 'show interfaces terse').text);
  assert.deepEqual(failure(device, 'show bgp summry'), { message: 'syntax error, expecting <command>', bad: 'summry' });
  assert.deepEqual(failure(device, 'shw version'), { message: 'syntax error, expecting <command>', bad: 'shw' });
  assert.deepEqual(failure(device, 'show system'), { message: 'syntax error, expecting <command>', bad: undefined });
  assert.deepEqual(failure(device, 'show version extra'), { message: 'syntax error, expecting <command>', bad: 'extra' });
  assert.deepEqual(failure(device, 'ping 192.0.2.1'), { message: "'ping' is not implemented by the Junos simulator", bad: 'ping' });
});

test('show configuration: whole with its commit line, a path, | display set, a leaf, nothing for an absent path', () => {
  const { device } = memoryDevice(EDGE_ROUTER);
  const whole = run(device, 'show configuration').text;
  assert.match(whole, /^## Last commit: 2026-01-15 09:00:00 UTC by root\nversion 21\.4R3\.15;\n/);
  assert.equal(run(device, 'show configuration protocols lldp').text, 'interface all;\ninterface ge-0/0/1 {\n    disable;\n}');
  assert.equal(run(device, 'show configuration protocols lldp | display set').text, 'set protocols lldp interface all\nset protocols lldp interface ge-0/0/1 disable');
  assert.equal(run(device, 'show configuration system host-name').text, 'host-name edge1;');
  assert.equal(run(device, 'show configuration protocols rip').text, '');
  assert.equal(failure(device, 'show configuration protocolz').bad, 'protocolz');
  const asXml = xml(run(device, 'show configuration interfaces lo0').xml);
  assert.deepEqual(texts(asXml, 'name').slice(0, 2), ['lo0', '0']);
  assert.equal(elements(asXml, 'system').length, 0);
});

test('pipes: match, except, count, last, no-more; display set only for show configuration', () => {
  const { device } = memoryDevice(EDGE_ROUTER);
  assert.equal(run(device, 'show configuration | display set | match "bgp group rr neighbor"').text, 'set protocols bgp group rr neighbor 10.255.0.101 description rr1\nset protocols bgp group rr neighbor 10.255.0.102');
  assert.equal(run(device, 'show configuration protocols lldp | display set | count').text, 'Count: 2 lines');
  assert.equal(run(device, 'show configuration protocols lldp | display set | except disable | no-more').text, 'set protocols lldp interface all');
  assert.equal(run(device, 'show configuration protocols lldp | display set | last 1').text, 'set protocols lldp interface ge-0/0/1 disable');
  assert.equal(failure(device, 'show version | display set').bad, 'set');
  assert.equal(failure(device, 'show version | frobnicate').bad, 'frobnicate');
  assert.equal(runCommand(device.opContext(), 'show version | display xml').forceXml, true);
});

test('show bgp summary: peers from the configuration, Established when their group has a type, ages from the clock', () => {
  const { device, clock } = memoryDevice(EDGE_ROUTER);
  clock.advance(5 * 60_000 + 1_000);
  const out = run(device, 'show bgp summary');
  assert.match(out.text, /^Threading mode: BGP I\/O\nDefault eBGP mode: advertise - accept, receive - accept\nGroups: 2 Peers: 3 Down peers: 0\n/);
  assert.match(out.text, /^10\.255\.0\.101 +64512 +13 +12 +0 +0 +5:01 Establ\n {2}inet\.0: 0\/0\/0\/0$/m);
  assert.match(out.text, /^203\.0\.113\.1 +64496 /m);
  const info = xml(out.xml);
  assert.deepEqual(texts(info, 'peer-address'), ['10.255.0.101', '10.255.0.102', '203.0.113.1']);
  assert.deepEqual(texts(info, 'peer-state'), ['Established', 'Established', 'Established']);
  assert.equal(elements(info, 'elapsed-time')[0]!.getAttribute('junos:seconds'), '301');
  assert.equal(text(info, 'down-peer-count'), '0');
});

test('a neighbor whose group has no type is not Established (and the commit would fail anyway)', () => {
  const { device } = memoryDevice('routing-options { autonomous-system 64512; }\nprotocols { bgp { group g { neighbor 192.0.2.1 { peer-as 64500; } } } }\n');
  const out = run(device, 'show bgp summary');
  assert.match(out.text, /Down peers: 1/);
  assert.match(out.text, /^192\.0\.2\.1 .* Active$/m);
});

test('show bgp neighbor: add-path capabilities from family … add-path, in text and XML', () => {
  const { device } = memoryDevice(EDGE_ROUTER);
  const rr = run(device, 'show bgp neighbor 10.255.0.101');
  assert.match(rr.text, /^Peer: 10\.255\.0\.101\+179 AS 64512 +Local: 10\.255\.0\.1\+57422 AS 64512$/m);
  assert.match(rr.text, /^ {2}Type: Internal +State: Established/m);
  assert.match(rr.text, /^ {2}Export: \[ NEXT-HOP-SELF ANNOUNCE \]$/m);
  assert.match(rr.text, /^ {2}Options: <AddPath>$/m);
  assert.match(rr.text, /^ {2}Peer supports Addpath\n {2}NLRI's for which peer can receive multiple paths: inet-unicast\n {2}NLRI's for which peer can send multiple paths: inet-unicast\n {2}Addpath: send inet-unicast \(path-count 4\), receive inet-unicast$/m);
  const rrXml = xml(rr.xml);
  assert.equal(text(rrXml, 'nlri-type-addpath-send'), 'inet-unicast');
  assert.equal(text(rrXml, 'nlri-type-addpath-receive'), 'inet-unicast');
  assert.equal(text(rrXml, 'addpath-send-path-count'), '4');
  assert.equal(elements(rrXml, 'peer-addpath-not-supported').length, 0);

  const transit = run(device, 'show bgp neighbor 203.0.113.1');
  assert.match(transit.text, /^ {2}Peer does not support Addpath$/m);
  assert.equal(elements(xml(transit.xml), 'peer-addpath-not-supported').length, 1);
  assert.equal(text(transit.xml, 'peer-type'), 'External');
  assert.equal(text(transit.xml, 'import-policy'), 'TRANSIT-IN');

  assert.equal(texts(run(device, 'show bgp neighbor').xml, 'peer-group').length, 3);
  assert.deepEqual(failure(device, 'show bgp neighbor 192.0.2.99'), { message: 'BGP peer 192.0.2.99 not found', bad: '192.0.2.99' });
});

test('add-path on a neighbor replaces the group\'s families for that neighbor', () => {
  const { device } = memoryDevice(`routing-options { autonomous-system 64512; }
protocols { bgp { group rr { type internal; neighbor 10.0.0.1; neighbor 10.0.0.2 { family inet { unicast { add-path { send { path-count 2; } } } } } } } }
`);
  assert.match(run(device, 'show bgp neighbor 10.0.0.1').text, /Peer does not support Addpath/);
  assert.match(run(device, 'show bgp neighbor 10.0.0.2').text, /Addpath: send inet-unicast \(path-count 2\)$/m);
});

test('show interfaces terse: chassis ports and configured ones, families and addresses, disabled ports down; XML padded like Junos', () => {
  const { device } = memoryDevice(EDGE_ROUTER);
  const out = run(device, 'show interfaces terse');
  const lines = out.text.split('\n');
  assert.equal(lines[0], 'Interface               Admin Link Proto    Local                 Remote');
  assert.ok(lines.includes('ge-0/0/1.100            up    up   inet     198.51.100.1/30'));
  assert.ok(lines.includes('                                   inet6    2001:db8:100::1/64'));
  assert.ok(lines.includes('ge-0/0/2                down  down'));
  assert.ok(lines.includes('ge-0/0/3                up    down'), 'an unconfigured port has no link');
  assert.ok(!lines.some((l) => l.startsWith('ge-0/0/1.200')), 'inactive units do not exist');
  const physical = elements(xml(out.xml), 'physical-interface');
  assert.equal(elements(physical[0]!, 'name')[0]!.textContent, '\nge-0/0/0\n');
  assert.equal(run(device, 'show interfaces terse lo0').text.split('\n').length, 4);
});

test('show route summary counts direct, local and static routes', () => {
  const { device } = memoryDevice(EDGE_ROUTER);
  const out = run(device, 'show route summary');
  assert.match(out.text, /^Autonomous system number: 64512\nRouter ID: 10\.255\.0\.1\n\ninet\.0: 8 destinations, 8 routes \(8 active, 0 holddown, 0 hidden\)$/m);
  assert.match(out.text, /^ +Direct: +3 routes, +3 active$/m);
  assert.match(out.text, /^ +Static: +2 routes, +2 active$/m);
  assert.match(out.text, /^ +BGP: +0 routes, +0 active$/m);
  assert.deepEqual(texts(out.xml, 'table-name'), ['inet.0', 'inet6.0']);
});

test('show system commit lists commits newest first with their comments and logs', () => {
  const { device, clock } = memoryDevice(defaultConfig('r1'));
  clock.advance(60_000);
  device.otherUserCommit('bob', 'CHG-7 by hand');
  const out = run(device, 'show system commit');
  assert.equal(out.text, '0   2026-01-15 09:01:00 UTC by bob via cli\n    CHG-7 by hand\n1   2026-01-15 09:00:00 UTC by root via cli');
  assert.deepEqual(texts(out.xml, 'user'), ['bob', 'root']);
  assert.equal(elements(xml(out.xml), 'date-time')[0]!.getAttribute('junos:seconds'), String(Date.UTC(2026, 0, 15, 9, 1) / 1000));
});

test('show system uptime follows the clock', () => {
  const { device, clock } = memoryDevice(defaultConfig('r1'));
  clock.advance(90_061_000);
  assert.match(run(device, 'show system uptime').text, /^System booted: 2026-01-15 09:00:00 UTC \(1 day, 01:01:01 ago\)$/m);
});
