// NetconfSession against a scripted in-memory peer: hello, framing choice,
// message ids, one RPC at a time, replies that are not XML, a peer that
// hangs up, stopping an RPC, closing politely.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetconfAbortedError, NetconfClosedError, NetconfProtocolError, NetconfSession } from '../../../main/targets/junos/netconf-session.js';
import { commandRpc, lockRpc } from '../../../main/targets/junos/junos-rpcs.js';
import { junosHello, NC, rpcError, ScriptedPeer, type PeerOptions } from '../../helpers/netconf-peer.js';
import { VirtualClock } from '../../helpers/virtual-clock.js';

const okPeer = (extra: Partial<PeerOptions> = {}): ScriptedPeer =>
  new ScriptedPeer({ answer: (r) => (r.name === 'command' ? `<output>ran ${r.op.textContent}</output>` : '<ok/>'), ...extra });

test('hello: the client offers base:1.0 and base:1.1 in one end-of-message write; the device\'s capabilities and session id are read', async () => {
  const peer = okPeer();
  const s = await NetconfSession.open(peer.channel, { label: 'edge1' });
  const hello = peer.writes[0]!.toString('utf8');
  assert.match(hello, /^<\?xml version="1\.0" encoding="UTF-8"\?><hello xmlns="urn:ietf:params:xml:ns:netconf:base:1\.0">/);
  assert.match(hello, /<capability>urn:ietf:params:netconf:base:1\.0<\/capability><capability>urn:ietf:params:netconf:base:1\.1<\/capability>/);
  assert.ok(hello.endsWith('</hello>]]>]]>'));
  assert.ok(s.capabilities.includes('http://xml.juniper.net/netconf/junos/1.0'));
  assert.equal(s.sessionId, '4242');
  assert.equal(s.framingInUse, 'eom');
  s.destroy();
});

for (const base11 of [false, true]) {
  test(`${base11 ? 'chunked framing when both offer base:1.1' : 'end-of-message framing when the device has no base:1.1'}; one write per message, replies read across 1-byte reads`, async () => {
    const peer = okPeer({ base11, pieceBytes: 1 });
    const s = await NetconfSession.open(peer.channel, { label: 'edge1' });
    assert.equal(s.framingInUse, base11 ? 'chunked' : 'eom');
    const r = await s.rpc(commandRpc('show version', 'text'));
    assert.match(r.text, /ran show version/);
    const written = peer.writes[1]!.toString('utf8');
    if (base11) assert.match(written, /^\n#\d+\n<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1\.0"><command format="text">show version<\/command><\/rpc>\n##\n$/);
    else assert.equal(written, `<rpc message-id="1" xmlns="${NC}"><command format="text">show version</command></rpc>]]>]]>`);
    s.destroy();
  });
}

test('message ids count up, and an RPC is sent only once the one before it was answered', async () => {
  let release!: () => void;
  const firstHeld = new Promise<void>((r) => (release = r));
  const peer = new ScriptedPeer({
    answer: async (r) => {
      if (r.op.textContent === 'first') await firstHeld;
      return `<output>${r.op.textContent}</output>`;
    },
  });
  const s = await NetconfSession.open(peer.channel, { label: 'edge1' });
  const a = s.rpc(commandRpc('first', 'text'));
  const b = s.rpc(commandRpc('second', 'text'));
  await new Promise<void>((resolve) => {
    const wait = (): void => (peer.received.length >= 1 ? resolve() : void setImmediate(wait));
    wait();
  });
  // The second is queued behind the unanswered first.
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  assert.equal(peer.received.length, 1);
  release();
  const [ra, rb] = await Promise.all([a, b]);
  assert.equal(ra.root.getAttribute('message-id'), '1');
  assert.equal(rb.root.getAttribute('message-id'), '2');
  assert.match(rb.text, /second/);
  s.destroy();
});

test('rpc-errors come with the reply (warnings and errors), for the caller to judge', async () => {
  const peer = new ScriptedPeer({ answer: () => rpcError({ message: 'configuration database locked by:\n  jane terminal p1 (pid 4242) on since 2026-11-23 19:00:00 UTC\n  exclusive [edit]', tag: 'lock-denied' }) });
  const s = await NetconfSession.open(peer.channel, { label: 'edge1' });
  const r = await s.rpc(lockRpc());
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0]!.message, /locked by:\n {2}jane terminal p1/);
  s.destroy();
});

test('a reply that is not well-formed XML rejects that RPC with a positioned reason; the session goes on', async () => {
  let n = 0;
  const peer = new ScriptedPeer({
    answer: () => (++n === 1 ? { raw: `<rpc-reply xmlns="${NC}" message-id="1"><output>half</rpc-reply>` } : '<output>fine</output>'),
  });
  const s = await NetconfSession.open(peer.channel, { label: 'edge1' });
  await assert.rejects(s.rpc(commandRpc('show a', 'text')), (e: Error) => e instanceof NetconfProtocolError && /edge1 sent a reply that is not well-formed XML \(.*(line|mismatch).*\)/.test(e.message));
  const r = await s.rpc(commandRpc('show b', 'text'));
  assert.match(r.text, /fine/);
  s.destroy();
});

test('a reply to another message id breaks the session', async () => {
  const peer = new ScriptedPeer({ answer: () => ({ raw: `<rpc-reply xmlns="${NC}" message-id="99"><ok/></rpc-reply>` }) });
  const s = await NetconfSession.open(peer.channel, { label: 'edge1' });
  await assert.rejects(s.rpc(lockRpc()), /answered message 99 while Modus waited for message 1/);
  assert.equal(s.alive, false);
  assert.equal(peer.destroyed, true);
});

test('the device hanging up fails the RPC in flight with ssh\'s reason, and every later one', async () => {
  const peer = new ScriptedPeer({ answer: () => ({ hangUp: 'Connection to 127.0.0.1 closed by remote host.' }) });
  const s = await NetconfSession.open(peer.channel, { label: 'edge1' });
  await assert.rejects(s.rpc(lockRpc()), (e: Error) => e instanceof NetconfClosedError && /the NETCONF session to edge1 ended \(Connection to 127\.0\.0\.1 closed by remote host\.\)/.test(e.message));
  await assert.rejects(s.rpc(lockRpc()), NetconfClosedError);
  assert.equal(s.alive, false);
});

test('stopping an RPC in flight ends the session (NETCONF cannot cancel one)', async () => {
  const peer = new ScriptedPeer({ answer: () => ({ silence: true }) });
  const s = await NetconfSession.open(peer.channel, { label: 'edge1' });
  const stop = new AbortController();
  const p = s.rpc(commandRpc('show slow', 'text'), stop.signal);
  await new Promise<void>((resolve) => {
    const wait = (): void => (peer.received.length >= 1 ? resolve() : void setImmediate(wait));
    wait();
  });
  stop.abort();
  await assert.rejects(p, NetconfAbortedError);
  assert.equal(peer.destroyed, true);
  assert.equal(s.alive, false);
});

test('close: <close-session/> when idle, then the channel is ended', async () => {
  const peer = okPeer();
  const s = await NetconfSession.open(peer.channel, { label: 'edge1' });
  await s.close(60_000);
  assert.deepEqual(peer.names(), ['close-session']);
  assert.equal(peer.destroyed, true);
});

test('close: a device that never answers the close is cut off after the grace time (virtual clock)', async () => {
  const clock = new VirtualClock();
  const peer = new ScriptedPeer({ answer: () => ({ silence: true }) });
  const s = await NetconfSession.open(peer.channel, { label: 'edge1', timers: clock });
  const closing = s.close(5000);
  await new Promise<void>((resolve) => {
    const wait = (): void => (peer.received.length >= 1 ? resolve() : void setImmediate(wait));
    wait();
  });
  assert.equal(peer.destroyed, false);
  clock.runUntil(4999);
  await new Promise((r) => setImmediate(r));
  assert.equal(peer.destroyed, false);
  clock.runUntil(5000);
  await closing;
  assert.equal(peer.destroyed, true);
});

test('a device that does not speak NETCONF (a shell banner) is told as such', async () => {
  const peer = new ScriptedPeer({ hello: 'Last login: today\r\n% ', answer: () => '<ok/>' });
  // The banner has no delimiter: send one so a message arrives.
  const p = NetconfSession.open(peer.channel, { label: 'edge1' });
  peer.sendBytes(Buffer.from(']]>]]>'));
  await assert.rejects(p, (e: Error) => e instanceof NetconfProtocolError && /edge1 is not speaking NETCONF: it did not start with a NETCONF hello/.test(e.message));
  const q = NetconfSession.open(new ScriptedPeer({ hello: `<rpc-reply xmlns="${NC}"/>`, answer: () => '<ok/>' }).channel, { label: 'edge2' });
  await assert.rejects(q, /edge2 is not speaking NETCONF: it did not start with a NETCONF hello \(it sent <rpc-reply> instead\)/);
});

test('the channel ending before the hello gives the channel\'s own reason (a refused subsystem)', async () => {
  const peer = new ScriptedPeer({ hello: '', answer: () => '<ok/>' });
  const p = NetconfSession.open(peer.channel, { label: 'edge1' });
  peer.end('edge1 refused the NETCONF subsystem on port 830');
  await assert.rejects(p, (e: Error) => e instanceof NetconfClosedError && e.message === 'edge1 refused the NETCONF subsystem on port 830');
});

test('a Junos hello with comments before it and a newline after the delimiter', async () => {
  const peer = okPeer({ hello: `${junosHello()}` });
  const s = await NetconfSession.open(peer.channel, { label: 'edge1' });
  peer.sendBytes(Buffer.from('\n'));
  const r = await s.rpc(commandRpc('show x', 'text'));
  assert.match(r.text, /ran show x/);
  s.destroy();
});
