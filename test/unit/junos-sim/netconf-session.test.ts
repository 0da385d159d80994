// NETCONF sessions with a simulated device over an in-memory transport: the
// hello, reply shapes (message-id, xmlns:junos, Junos-native results and
// errors), framing negotiation, the standard operations, session end, and
// the faults that act on a session.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../junos-sim/default-config.js';
import { elements, rpcErrors, text, texts, waitFor, xml } from '../../junos-sim/reading-replies.js';
import { CLIENT_HELLO_11, MemorySession, memoryDevice } from './memory-session.js';

const BASE = defaultConfig('r1');

test('the hello comes first: Junos capabilities in both spellings, a session id, no base:1.1 unless enabled', () => {
  const { device } = memoryDevice(BASE);
  const s = new MemorySession(device);
  assert.equal(s.messages.length, 1);
  const hello = s.messages[0]!;
  assert.match(hello, /^<!-- No zombies were killed during the creation of this user interface -->\n<!-- user root, class super-user -->\n<hello /);
  const caps = texts(hello.replace(/^(<!--.*-->\n)+/, ''), 'capability');
  for (const c of [
    'urn:ietf:params:netconf:base:1.0',
    'urn:ietf:params:netconf:capability:candidate:1.0',
    'urn:ietf:params:netconf:capability:confirmed-commit:1.0',
    'urn:ietf:params:netconf:capability:validate:1.0',
    'urn:ietf:params:netconf:capability:url:1.0?scheme=http,ftp,file',
    'urn:ietf:params:xml:ns:netconf:capability:candidate:1.0',
    'urn:ietf:params:xml:ns:netconf:capability:url:1.0?scheme=http,ftp,file',
    'http://xml.juniper.net/netconf/junos/1.0',
    'http://xml.juniper.net/dmi/system/1.0',
  ]) {
    assert.ok(caps.includes(c), c);
  }
  assert.ok(!caps.includes('urn:ietf:params:netconf:base:1.1'));
  assert.equal(text(hello.replace(/^(<!--.*-->\n)+/, ''), 'session-id'), String(s.session.id));
  assert.ok(s.raw[0]!.toString().endsWith('</hello>\n]]>]]>\n'), 'the hello and its delimiter are one write');
});

test('replies echo message-id and the other rpc attributes, carry xmlns:junos; lock answers with an empty reply', async () => {
  const { device } = memoryDevice(BASE);
  const s = new MemorySession(device);
  s.hello();
  const reply = await s.rpc('<lock-configuration/>', ' xmlns:x="urn:x" x:tag="abc" client="modus"');
  assert.match(reply, /^<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:junos="http:\/\/xml\.juniper\.net\/junos\/21\.4R3\/junos" message-id="1" tag="abc" client="modus">\n<\/rpc-reply>$/);
  assert.equal(device.lockHolder(), 'root');
  // A prefixed <rpc> is the same operation.
  const prefixed = s.messages.length;
  s.sendRaw('<nc:rpc xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="p1"><nc:unlock-configuration/></nc:rpc>');
  await waitForMessages(s, prefixed + 1);
  assert.match(s.messages[prefixed]!, /message-id="p1">\n<\/rpc-reply>/);
  assert.equal(device.lockHolder(), null);
});

async function waitForMessages(s: MemorySession, n: number): Promise<void> {
  await waitFor(() => s.messages.length >= n, `${n} messages`);
}

test('chunked framing only when both hellos offer base:1.1', async () => {
  const { device } = memoryDevice(BASE);
  const both = new MemorySession(device, { base11: true });
  assert.match(both.messages[0]!, /urn:ietf:params:netconf:base:1\.1/);
  both.hello(CLIENT_HELLO_11);
  both.chunked();
  const reply = await both.rpc('<get-software-information/>');
  assert.equal(text(reply, 'host-name'), 'r1');
  assert.match(both.raw[both.raw.length - 1]!.toString(), /^\n#\d+\n<rpc-reply[\s\S]*\n##\n$/);

  const old = new MemorySession(device, { base11: true });
  old.hello();
  await old.rpc('<get-software-information/>');
  assert.ok(old.raw[old.raw.length - 1]!.toString().endsWith('</rpc-reply>\n]]>]]>\n'));
});

test('load-configuration: ok, errors with path/bad-element/load-error-count, warnings with ok', async () => {
  const { device } = memoryDevice(BASE);
  const s = new MemorySession(device);
  s.hello();
  const ok = await s.rpc('<load-configuration action="merge" format="text"><configuration-text>system { domain-name example.net; }</configuration-text></load-configuration>');
  assert.equal(elements(xml(ok), 'ok').length, 1);
  const bad = await s.rpc('<load-configuration action="merge" format="text"><configuration-text>protocols {\n lldpp { interface all; }\n}\n</configuration-text></load-configuration>');
  assert.deepEqual(rpcErrors(bad), [['error', 'syntax error', '[edit protocols]', 'lldpp']]);
  assert.equal(text(bad, 'load-error-count'), '1');
  assert.equal(elements(xml(bad), 'ok').length, 0);
  assert.ok(elements(xml(bad), 'load-configuration-results')[0]!.getElementsByTagNameNS('*', 'rpc-error').length === 1, 'errors inside load-configuration-results');
  const warned = await s.rpc('<load-configuration action="set" format="text"><configuration-set>delete protocols ospf area 0.0.0.9</configuration-set></load-configuration>');
  assert.deepEqual(rpcErrors(warned), [['warning', 'statement not found', '[edit protocols ospf]', '']]);
  assert.equal(elements(xml(warned), 'ok').length, 1);
  const rollback = await s.rpc('<load-configuration rollback="0"/>');
  assert.equal(elements(xml(rollback), 'ok').length, 1);
  assert.equal(device.candidateText(), device.activeText());
});

test('get-configuration: text, set, xml, committed vs candidate, compare rollback', async () => {
  const { device } = memoryDevice(BASE);
  const s = new MemorySession(device);
  s.hello();
  await s.rpc('<load-configuration action="set" format="text"><configuration-set>set system host-name r1-new</configuration-set></load-configuration>');
  const candidate = await s.rpc('<get-configuration database="candidate" format="text"/>');
  assert.match(text(candidate, 'configuration-text')!, /^## Last changed: 2026-01-15 09:00:00 UTC\nversion 21\.4R3\.15;\nsystem \{\n {4}host-name r1-new;/);
  const committed = await s.rpc('<get-configuration database="committed" format="set"/>');
  assert.match(text(committed, 'configuration-set')!, /^set system host-name r1$/m);
  const asXml = await s.rpc('<get-configuration database="committed"/>');
  const configuration = elements(xml(asXml), 'configuration')[0]!;
  assert.equal(configuration.getAttribute('junos:changed-localtime'), '2026-01-15 09:00:00 UTC');
  assert.equal(text(configuration, 'host-name'), 'r1');
  assert.deepEqual(texts(elements(configuration, 'interfaces')[0]!, 'name').slice(0, 3), ['ge-0/0/0', '0', '192.0.2.1/31']);
  assert.equal(elements(configuration, 'family')[0]!.getElementsByTagNameNS('*', 'inet').length, 1);
  const filtered = await s.rpc('<get-configuration database="committed"><configuration><interfaces><interface><name>lo0</name></interface></interfaces></configuration></get-configuration>');
  assert.deepEqual(texts(filtered, 'address').length, 1);
  assert.equal(elements(xml(filtered), 'system').length, 0);
  const diff = await s.rpc('<get-configuration compare="rollback" rollback="0" format="text"/>');
  assert.equal(text(diff, 'configuration-output'), '[edit system]\n-  host-name r1;\n+  host-name r1-new;');
  const std = await s.rpc('<get-config><source><running/></source></get-config>');
  assert.equal(text(std, 'host-name'), 'r1');
});

test('commit check and commit: Junos commit-results, errors inside them ending in configuration check-out failed', async () => {
  const { device } = memoryDevice(BASE);
  const s = new MemorySession(device);
  s.hello();
  const checked = await s.rpc('<commit-configuration><check/></commit-configuration>');
  assert.equal(elements(xml(checked), 'commit-check-success').length, 1);
  assert.equal(text(checked, 'name'), 're0');
  await s.rpc('<load-configuration action="set" format="text"><configuration-set>set protocols bgp group rr import MISSING</configuration-set></load-configuration>');
  const failed = await s.rpc('<commit-configuration><check/></commit-configuration>');
  assert.deepEqual(rpcErrors(failed), [
    ['error', 'Policy error: Policy MISSING referenced but not defined', '[edit protocols bgp group rr]', 'import'],
    ['error', 'configuration check-out failed', '', ''],
  ]);
  assert.equal(elements(xml(failed), 'commit-results').length, 1);
  await s.rpc('<discard-changes/>');
  const committed = await s.rpc('<commit-configuration><log>routine</log></commit-configuration>');
  assert.equal(elements(xml(committed), 'commit-success').length, 1);
  assert.equal(device.history()[0]!.log, 'routine');
});

test('commit confirmed: <commit-configuration> timeout in minutes; standard <commit> in seconds, 5 "seconds" rolls back at once', async () => {
  const { device, clock } = memoryDevice(BASE);
  const s = new MemorySession(device);
  s.hello();
  await s.rpc('<commit-configuration><confirmed/><confirm-timeout>3</confirm-timeout></commit-configuration>');
  assert.equal(device.history()[0]!.comment, 'commit confirmed, rollback in 3mins');
  assert.deepEqual(device.pendingConfirm()?.deadline, new Date(clock.now().getTime() + 3 * 60_000));
  await s.rpc('<commit-configuration/>');
  assert.equal(device.pendingConfirm(), null);

  const std = await s.rpc('<commit><confirmed/><confirm-timeout>300</confirm-timeout><persist>p1</persist></commit>');
  assert.equal(elements(xml(std), 'ok').length, 1);
  assert.equal(device.history()[0]!.comment, 'commit confirmed, rollback in 5mins');
  assert.deepEqual(rpcErrors(await s.rpc('<commit><persist-id>wrong</persist-id></commit>')), [['error', 'persist-id wrong does not match the pending confirmed commit', '', 'persist-id']]);
  await s.rpc('<commit><persist-id>p1</persist-id></commit>');
  assert.equal(device.pendingConfirm(), null);

  await s.rpc('<load-configuration action="set" format="text"><configuration-set>set system host-name trap</configuration-set></load-configuration>');
  await s.rpc('<commit><confirmed/><confirm-timeout>5</confirm-timeout></commit>');
  assert.equal(device.history()[1]!.comment, 'commit confirmed, rollback in 0mins');
  assert.equal(device.history()[0]!.comment, 'Commit was not confirmed; automatic rollback complete');
  assert.doesNotMatch(device.activeText(), /trap/);

  assert.deepEqual(rpcErrors(await s.rpc('<commit-configuration><confirmed/><confirm-timeout>0</confirm-timeout></commit-configuration>')), [['error', 'Value 0 is not within range (1..65535)', '', 'confirm-timeout']]);
  const validated = await s.rpc('<validate><source><candidate/></source></validate>');
  assert.equal(elements(xml(validated), 'ok').length, 1);
});

test('private candidates over NETCONF: open, load, commit confirmed refused, commit, close', async () => {
  const { device } = memoryDevice(BASE);
  const s = new MemorySession(device);
  s.hello();
  assert.equal(await s.rpc('<open-configuration><private/></open-configuration>').then((r) => r.includes('</rpc-reply>') && rpcErrors(r).length), 0);
  await s.rpc('<load-configuration action="set" format="text"><configuration-set>set system domain-name private.example</configuration-set></load-configuration>');
  assert.doesNotMatch(device.candidateText(), /private\.example/);
  assert.deepEqual(rpcErrors(await s.rpc('<commit-configuration><confirmed/></commit-configuration>'))[0]?.[1], "'commit confirmed' is not supported in private mode");
  await s.rpc('<commit-configuration/>');
  assert.match(device.activeText(), /domain-name private\.example;/);
  await s.rpc('<close-configuration/>');
});

test('operational commands: text in <output> (show configuration in configuration-output), XML as is', async () => {
  const { device } = memoryDevice(BASE);
  const s = new MemorySession(device);
  s.hello();
  const version = await s.rpc('<command format="text">show version</command>');
  assert.match(text(version, 'output')!, /^Hostname: r1\nModel: vmx\nJunos: 21\.4R3\.15/);
  const config = await s.rpc('<command format="text">show configuration system host-name</command>');
  assert.equal(text(config, 'configuration-output'), 'host-name r1;');
  const bgp = await s.rpc('<command format="xml">show bgp summary</command>');
  const info = elements(xml(bgp), 'bgp-information')[0]!;
  assert.equal(info.namespaceURI, 'http://xml.juniper.net/junos/21.4R3/junos-routing');
  assert.equal(text(info, 'peer-state'), 'Established');
  const bad = await s.rpc('<command format="text">show bgp nonsense</command>');
  assert.deepEqual(rpcErrors(bad), [['error', 'syntax error, expecting <command>', '', 'nonsense']]);
  const rpcForm = await s.rpc('<get-bgp-neighbor-information><neighbor-address>10.255.0.254</neighbor-address></get-bgp-neighbor-information>');
  assert.equal(text(rpcForm, 'peer-address'), '10.255.0.254+179');
});

test('unknown, unsupported and malformed requests get rpc-errors; the session goes on', async () => {
  const { device } = memoryDevice(BASE);
  const s = new MemorySession(device);
  s.hello();
  assert.deepEqual(rpcErrors(await s.rpc('<get-frobnicator/>')), [['error', 'syntax error', '', 'get-frobnicator']]);
  assert.deepEqual(rpcErrors(await s.rpc('<edit-config/>')), [['error', '<edit-config> is not supported by the Junos simulator', '', 'edit-config']]);
  const before = s.messages.length;
  s.sendRaw('<rpc message-id="9"><unclosed></rpc>');
  await waitForMessages(s, before + 1);
  assert.match(rpcErrors(s.messages[before]!)[0]![1], /^malformed XML: /);
  assert.equal(text(await s.rpc('<get-software-information/>'), 'junos-version'), '21.4R3.15');
});

test('close-session: <ok/>, the session-end comment, the transport closes, the lock and its changes go', async () => {
  const { device } = memoryDevice(BASE);
  const s = new MemorySession(device);
  s.hello();
  await s.rpc('<lock-configuration/>');
  await s.rpc('<load-configuration action="set" format="text"><configuration-set>set system host-name unfinished</configuration-set></load-configuration>');
  const reply = await s.rpc('<close-session/>');
  assert.equal(elements(xml(reply), 'ok').length, 1);
  await waitFor(() => s.closed && device.sessions().length === 0, 'the session to end');
  assert.match(s.raw[s.raw.length - 1]!.toString(), /^<!-- session end at 2026-01-15 09:00:00 UTC -->\n$/);
  assert.equal(device.lockHolder(), null);
  assert.doesNotMatch(device.candidateText(), /unfinished/);
});

test('kill-session ends another session and releases its lock', async () => {
  const { device } = memoryDevice(BASE);
  const holder = new MemorySession(device, { user: 'alice' });
  holder.hello();
  await holder.rpc('<lock-configuration/>');
  const admin = new MemorySession(device, { user: 'bob' });
  admin.hello();
  assert.match(rpcErrors(await admin.rpc('<lock-configuration/>'))[0]![1], /^configuration database locked by:\n {2}alice using netconf/);
  assert.equal(elements(xml(await admin.rpc(`<kill-session><session-id>${holder.session.id}</session-id></kill-session>`)), 'ok').length, 1);
  assert.equal(holder.closed, true);
  assert.equal(rpcErrors(await admin.rpc('<lock-configuration/>')).length, 0);
  assert.equal(rpcErrors(await admin.rpc(`<kill-session><session-id>${admin.session.id}</session-id></kill-session>`))[0]![1], 'cannot kill the current session');
});

test('faults on a session: drop after N RPCs, one malformed reply, slow replies (real time)', async () => {
  const { device } = memoryDevice(BASE);
  device.fault({ kind: 'drop-after', rpcs: 2 });
  const s = new MemorySession(device);
  s.hello();
  await s.rpc('<get-software-information/>');
  await s.rpc('<lock-configuration/>');
  const third = await s.rpc('<get-software-information/>');
  assert.equal(third, '');
  assert.equal(s.closed, true);
  assert.equal(device.transcript().at(-1)!.dropped, true);
  await waitFor(() => device.lockHolder() === null, 'the dropped session to release its lock');
  device.clearFaults();

  device.fault({ kind: 'malformed-reply' });
  const m = new MemorySession(device);
  m.hello();
  const broken = await m.rpc('<get-software-information/>');
  assert.throws(() => xml(broken));
  const fine = await m.rpc('<get-software-information/>');
  assert.equal(text(fine, 'host-name'), 'r1', 'only the next reply is spoiled');

  device.fault({ kind: 'slow', msPerRpc: 20 });
  const slow = new MemorySession(device);
  slow.hello();
  const late = slow.rpc('<get-software-information/>');
  assert.equal(slow.messages.length, 1, 'no reply yet: it waits on the real clock');
  assert.equal(text(await late, 'host-name'), 'r1');
});

test('the transcript records each RPC with its reply, session and user', async () => {
  const { device } = memoryDevice(BASE);
  const s = new MemorySession(device, { user: 'netops' });
  s.hello();
  await s.rpc('<get-software-information/>');
  const [entry] = device.transcript();
  assert.match(entry!.rpc, /<get-software-information\/>/);
  assert.match(entry!.reply, /<software-information>/);
  assert.equal(entry!.user, 'netops');
  assert.equal(entry!.session, s.session.id);
});
