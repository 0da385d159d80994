// JunosTarget's workflow against a scripted device (protocol level; the
// integration tests run the real CLI against the simulator over sshd): the
// RPCs it sends in which order, what it shows, and what it never does (load
// without the lock, discard someone else's candidate, commit an empty diff,
// leave the lock behind).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JunosTarget, type JunosLink } from '../../../main/targets/junos/junos-target.js';
import type { JunosWork, RunIO, ScriptOutcome } from '../../../main/targets/target.js';
import { rpcError, ScriptedPeer, type Answer, type ReceivedRpc } from '../../helpers/netconf-peer.js';

const NOW = new Date('2026-11-23T19:40:02.250Z');

interface Device {
  /** What `show | compare` answers. */
  diff: string;
  lockError?: string;
  loadErrors?: string;
  checkErrors?: string;
  commitErrors?: string;
  /** Newest first: comment of each commit in the history. */
  history: { comment?: string; log?: string }[];
  /** Extra answers by RPC name. */
  answers?: Record<string, (r: ReceivedRpc) => Answer>;
}

function device(d: Partial<Device> = {}): Device {
  return { diff: '\n[edit system]\n+  host-name edge2;\n', history: [{ log: 'initial' }], ...d };
}

function answerFor(dev: Device) {
  return (r: ReceivedRpc): Answer => {
    const name = r.name === 'command' && r.op.textContent === 'show system commit' ? 'get-commit-information' : r.name;
    const custom = dev.answers?.[name];
    if (custom) return custom(r);
    switch (name) {
      case 'get-commit-information':
        return `<commit-information>${dev.history.map((h, i) => `<commit-history><sequence-number>${i}</sequence-number><user>netops</user><client>netconf</client><date-time junos:seconds="${1795462800 - i * 600}">2026-11-23 19:40:00 UTC</date-time>${h.comment ? `<comment>${h.comment}</comment>` : ''}${h.log ? `<log>${h.log}</log>` : ''}</commit-history>`).join('')}</commit-information>`;
      case 'lock-configuration':
        return dev.lockError ? rpcError({ message: dev.lockError, tag: 'lock-denied' }) : '';
      case 'unlock-configuration':
      case 'open-configuration':
      case 'close-configuration':
        return '';
      case 'load-configuration':
        if (r.op.getAttribute('rollback') !== null) return '<load-configuration-results><ok/></load-configuration-results>';
        return dev.loadErrors ? `<load-configuration-results>${dev.loadErrors}<load-error-count>1</load-error-count></load-configuration-results>` : '<load-configuration-results><ok/></load-configuration-results>';
      case 'get-configuration':
        return `<configuration-information><configuration-output>${dev.diff}</configuration-output></configuration-information>`;
      case 'commit-configuration': {
        const check = [...childNames(r)].includes('check');
        const errs = check ? dev.checkErrors : dev.commitErrors;
        if (errs) return `<commit-results>${errs}</commit-results>`;
        return `<commit-results><routing-engine><name>re0</name>${check ? '<commit-check-success/>' : '<commit-success/>'}</routing-engine></commit-results>`;
      }
      case 'command':
        return `<output>\nout of ${r.op.textContent}\n</output>`;
      default:
        return '<ok/>';
    }
  };
}

function childNames(r: ReceivedRpc): string[] {
  const out: string[] = [];
  for (let n = r.op.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push((n as unknown as { localName: string }).localName);
  return out;
}

/** A target over scripted peers (a new one per session), and what it sent. */
function harness(dev: Device) {
  const peers: ScriptedPeer[] = [];
  const link: JunosLink = {
    open: async () => {
      const p = new ScriptedPeer({ answer: answerFor(dev) });
      peers.push(p);
      return p.channel;
    },
    user: async () => 'netops',
  };
  const target = new JunosTarget('edge1', link, { now: () => NOW });
  const rpcs = (): string[] => peers.flatMap((p) => p.received.map((r) => (r.name === 'command' && r.op.textContent === 'show system commit' ? 'get-commit-information' : r.name)));
  return { target, peers, rpcs, dev };
}

async function run(target: JunosTarget, junos: JunosWork, signal = new AbortController().signal, onChunk?: (text: string) => void): Promise<{ outcome: ScriptOutcome; text: string }> {
  let text = '';
  const io: RunIO = {
    signal,
    onData: (b) => {
      const t = Buffer.from(b).toString('utf8');
      text += t;
      onChunk?.(t);
    },
  };
  const outcome = await target.run({ language: 'junos', script: '', junos }, io);
  return { outcome, text };
}

const change = (commit: Extract<JunosWork, { kind: 'config' }>['commit'], extra: Partial<Extract<JunosWork, { kind: 'config' }>> = {}): JunosWork => ({
  kind: 'config',
  load: { format: 'text', action: 'merge', text: 'system { host-name edge2; }' },
  commit,
  private: false,
  log: 'modus: nb.md block 3',
  ...extra,
});

test('op commands: one RPC each, in order, each under the command as the CLI shows it', async () => {
  const h = harness(device());
  const { outcome, text } = await run(h.target, { kind: 'op', commands: ['show version', 'show system uptime'], format: 'text' });
  assert.equal(outcome.kind, 'exited');
  assert.equal(outcome.kind === 'exited' && outcome.exitCode, 0);
  assert.equal(text, 'netops@edge1> show version\nout of show version\n\nnetops@edge1> show system uptime\nout of show system uptime\n');
  assert.deepEqual(h.rpcs(), ['command', 'command']);
  assert.equal(h.peers[0]!.received[0]!.op.getAttribute('format'), 'text');
});

test('op commands: the first refused command ends the block, with what the device said', async () => {
  const h = harness(device({ answers: { command: (r) => (r.op.textContent === 'show foo' ? rpcError({ message: 'syntax error, expecting <command>', bad: 'foo', path: '[edit]' }) : '<output>ok</output>') } }));
  const { outcome, text } = await run(h.target, { kind: 'op', commands: ['show version', 'show foo', 'show bar'], format: 'text' });
  assert.equal(outcome.kind === 'exited' && outcome.exitCode, 1);
  assert.match(outcome.details?.message ?? '', /"show foo" failed: syntax error, expecting <command> at 'foo'/);
  assert.match(text, /netops@edge1> show foo\n\[edit\]\n {2}'foo'\n {4}syntax error, expecting <command>\n$/);
  assert.equal(h.rpcs().length, 2);
});

test('op commands with :format xml: the XML shown and every reply handed over for XPath', async () => {
  const h = harness(device({ answers: { command: () => '<software-information><host-name>edge1</host-name></software-information>' } }));
  const { outcome, text } = await run(h.target, { kind: 'op', commands: ['show version'], format: 'xml' });
  assert.equal(h.peers[0]!.received[0]!.op.getAttribute('format'), 'xml');
  assert.match(text, /netops@edge1> show version\n<software-information xmlns="urn:ietf:params:xml:ns:netconf:base:1\.0"><host-name>edge1<\/host-name><\/software-information>\n/);
  assert.equal(outcome.details?.xml?.length, 1);
  assert.match(outcome.details!.xml![0]!, /<rpc-reply/);
});

test(':commit check: history, lock, load, diff, check, roll back, unlock; the diff and verdict shown; nothing committed', async () => {
  const h = harness(device());
  const { outcome, text } = await run(h.target, change({ mode: 'check' }));
  assert.equal(outcome.kind === 'exited' && outcome.exitCode, 0);
  assert.deepEqual(h.rpcs(), ['get-commit-information', 'lock-configuration', 'load-configuration', 'get-configuration', 'commit-configuration', 'load-configuration', 'unlock-configuration']);
  const load = h.peers[0]!.received[2]!;
  assert.equal(load.op.getAttribute('action'), 'merge');
  assert.equal(load.op.getAttribute('format'), 'text');
  assert.equal(h.peers[0]!.received[5]!.op.getAttribute('rollback'), '0');
  assert.equal(text, [
    'netops@edge1> configure exclusive',
    'netops@edge1# load merge terminal',
    'load complete',
    'netops@edge1# show | compare',
    '[edit system]',
    '+  host-name edge2;',
    'netops@edge1# commit check',
    'configuration check succeeds',
    'netops@edge1# rollback 0',
    'load complete',
    'modus: checked only (:commit check): the candidate was rolled back; nothing changed on edge1',
    'netops@edge1# exit',
    'Exiting configuration mode',
    '',
  ].join('\n'));
});

test(':commit confirmed N: commit-configuration with confirm-timeout in MINUTES and the log; the deadline recorded', async () => {
  const h = harness(device());
  const { outcome, text } = await run(h.target, change({ mode: 'confirmed', minutes: 5 }));
  assert.equal(outcome.kind === 'exited' && outcome.exitCode, 0);
  const commits = h.peers[0]!.received.filter((r) => r.name === 'commit-configuration');
  assert.equal(commits.length, 2);
  assert.match(commits[1]!.text, /<commit-configuration><confirmed\/><confirm-timeout>5<\/confirm-timeout><log>modus: nb\.md block 3<\/log><\/commit-configuration>/);
  assert.doesNotMatch(h.peers[0]!.received.map((r) => r.text).join(''), /<commit>|<commit\//);
  assert.deepEqual(outcome.details?.pendingRollback, { at: new Date(NOW.getTime() + 5 * 60_000) });
  assert.match(text, /netops@edge1# commit confirmed 5 comment "modus: nb\.md block 3"\ncommit confirmed will be automatically rolled back in 5 minutes unless confirmed\ncommit complete\nmodus: edge1 rolls this commit back at 2026-11-23T19:45:02Z unless it is confirmed/);
  assert.equal(h.rpcs().at(-1), 'unlock-configuration');
});

test(':commit now: a plain commit with the log; no rollback of the candidate after it', async () => {
  const h = harness(device());
  const { outcome } = await run(h.target, change({ mode: 'now' }));
  assert.equal(outcome.kind === 'exited' && outcome.exitCode, 0);
  assert.deepEqual(h.rpcs(), ['get-commit-information', 'lock-configuration', 'load-configuration', 'get-configuration', 'commit-configuration', 'commit-configuration', 'unlock-configuration']);
  assert.match(h.peers[0]!.received[5]!.text, /<commit-configuration><log>modus: nb\.md block 3<\/log><\/commit-configuration>/);
  assert.equal(outcome.details?.pendingRollback, undefined);
});

test('an empty diff is "no change": discarded, unlocked, nothing committed or checked', async () => {
  const h = harness(device({ diff: '\n' }));
  const { outcome, text } = await run(h.target, change({ mode: 'now' }));
  assert.equal(outcome.kind === 'exited' && outcome.exitCode, 0);
  assert.ok(!h.rpcs().includes('commit-configuration'));
  assert.deepEqual(h.rpcs().slice(-2), ['load-configuration', 'unlock-configuration']);
  assert.match(text, /modus: no change: edge1 already has this configuration; nothing was committed/);
});

test('a load with errors: shown with path and statement, rolled back under the lock, unlocked; fail', async () => {
  const h = harness(device({ loadErrors: rpcError({ message: 'syntax error', path: '[edit protocols]', bad: 'lldpx' }) }));
  const { outcome, text } = await run(h.target, change({ mode: 'confirmed', minutes: 5 }));
  assert.equal(outcome.kind === 'exited' && outcome.exitCode, 1);
  assert.equal(outcome.details?.message, "the configuration did not load on edge1: syntax error at 'lldpx' in [edit protocols]; nothing was changed (the candidate was rolled back)");
  assert.deepEqual(h.rpcs(), ['get-commit-information', 'lock-configuration', 'load-configuration', 'load-configuration', 'unlock-configuration']);
  assert.match(text, /load merge terminal\n\[edit protocols\]\n {2}'lldpx'\n {4}syntax error\nnetops@edge1# rollback 0/);
});

test('a failed commit check: errors with their edit paths, rolled back, unlocked, never committed', async () => {
  const h = harness(device({ checkErrors: `${rpcError({ message: 'Error in neighbor 203.0.113.9 of group rr:\npeer-as must be configured', path: '[edit protocols bgp group rr]', bad: 'neighbor 203.0.113.9' })}${rpcError({ message: 'configuration check-out failed' })}` }));
  const { outcome, text } = await run(h.target, change({ mode: 'now' }));
  assert.equal(outcome.kind === 'exited' && outcome.exitCode, 1);
  assert.match(outcome.details?.message ?? '', /^commit check failed on edge1: Error in neighbor 203\.0\.113\.9 of group rr: peer-as must be configured at 'neighbor 203\.0\.113\.9' in \[edit protocols bgp group rr\]; configuration check-out failed; nothing was changed/);
  assert.equal(h.rpcs().filter((n) => n === 'commit-configuration').length, 1);
  assert.deepEqual(h.rpcs().slice(-2), ['load-configuration', 'unlock-configuration']);
  assert.match(text, /error: configuration check-out failed/);
});

test('a lock held by someone else: who holds it, and nothing loaded, discarded or unlocked', async () => {
  const h = harness(device({ lockError: 'configuration database locked by:\n  jane terminal p1 (pid 4242) on since 2026-11-23 19:00:00 UTC\n  exclusive [edit]' }));
  const { outcome, text } = await run(h.target, change({ mode: 'now' }));
  assert.equal(outcome.kind, 'failed');
  assert.match(outcome.kind === 'failed' ? outcome.message : '', /the configuration of edge1 is locked by someone else \(configuration database locked by: jane terminal p1 \(pid 4242\) on since 2026-11-23 19:00:00 UTC exclusive \[edit\]\)/);
  assert.match(outcome.kind === 'failed' ? outcome.message : '', /loaded nothing and discarded nothing/);
  assert.deepEqual(h.rpcs(), ['get-commit-information', 'lock-configuration']);
  assert.match(text, /jane terminal p1/);
});

test('a candidate someone else modified: the lock fails, nothing is discarded, :private suggested', async () => {
  const h = harness(device({ lockError: 'configuration database modified' }));
  const { outcome } = await run(h.target, change({ mode: 'check' }));
  assert.equal(outcome.kind, 'failed');
  assert.match(outcome.kind === 'failed' ? outcome.message : '', /uncommitted changes by another session \(configuration database modified\), so Modus did not lock it, load anything or discard them.*:private/);
  assert.deepEqual(h.rpcs(), ['get-commit-information', 'lock-configuration']);
});

test(':private: open-configuration private and close-configuration instead of lock and unlock', async () => {
  const h = harness(device());
  await run(h.target, change({ mode: 'now' }, { private: true }));
  assert.deepEqual(h.rpcs(), ['get-commit-information', 'open-configuration', 'load-configuration', 'get-configuration', 'commit-configuration', 'commit-configuration', 'close-configuration']);
  assert.match(h.peers[0]!.received[1]!.text, /<open-configuration><private\/><\/open-configuration>/);
});

test('set-style and rollback loads: action set with configuration-set; load-configuration rollback="N"', async () => {
  const h = harness(device());
  await run(h.target, change({ mode: 'check' }, { load: { format: 'set', text: 'set system host-name edge2' } }));
  const setLoad = h.peers[0]!.received.find((r) => r.name === 'load-configuration')!;
  assert.match(setLoad.text, /<load-configuration action="set" format="text"><configuration-set>set system host-name edge2<\/configuration-set><\/load-configuration>/);
  const h2 = harness(device());
  const { text } = await run(h2.target, change({ mode: 'check' }, { load: { format: 'rollback', index: 1 } }));
  assert.equal(h2.peers[0]!.received.find((r) => r.name === 'load-configuration')!.op.getAttribute('rollback'), '1');
  assert.match(text, /netops@edge1# rollback 1\nload complete/);
});

test('a check-only block while a commit confirmed is pending is refused before the lock (a check would confirm it)', async () => {
  const h = harness(device({ history: [{ comment: 'commit confirmed, rollback in 5mins', log: 'modus: nb.md block 3' }, {}] }));
  const { outcome } = await run(h.target, change({ mode: 'check' }));
  assert.equal(outcome.kind, 'failed');
  assert.match(outcome.kind === 'failed' ? outcome.message : '', /a commit confirmed is pending on edge1 \(committed by netops at 2026-11-23 19:40:00 UTC, "modus: nb\.md block 3"; it rolls back at 2026-11-23T19:45:00Z\), and Junos takes a commit check as its confirmation/);
  assert.deepEqual(h.rpcs(), ['get-commit-information']);
});

test(':commit confirm: a plain commit with the log under the lock, pending cleared', async () => {
  const h = harness(device({ diff: '\n', history: [{ comment: 'commit confirmed, rollback in 5mins', log: 'modus: nb.md block 3' }] }));
  const { outcome, text } = await run(h.target, { kind: 'confirm', log: 'modus: nb.md block 5' });
  assert.equal(outcome.kind === 'exited' && outcome.exitCode, 0);
  assert.deepEqual(h.rpcs(), ['get-commit-information', 'lock-configuration', 'get-configuration', 'commit-configuration', 'unlock-configuration']);
  assert.match(h.peers[0]!.received[3]!.text, /<commit-configuration><log>modus: nb\.md block 5<\/log><\/commit-configuration>/);
  assert.equal(outcome.details?.pendingRollback, null);
  assert.match(text, /modus: confirmed: edge1 keeps the commit confirmed of 2026-11-23 19:40:00 UTC \(modus: nb\.md block 3\)/);
});

test(':commit confirm with nothing pending (already rolled back): a clear failure, nothing locked or committed', async () => {
  const h = harness(device({ history: [{ comment: 'automatic rollback' }, { comment: 'commit confirmed, rollback in 5mins' }] }));
  const { outcome } = await run(h.target, { kind: 'confirm', log: 'modus: nb.md block 5' });
  assert.equal(outcome.kind === 'exited' && outcome.exitCode, 1);
  assert.match(outcome.details?.message ?? '', /^nothing to confirm on edge1: no commit confirmed is pending: it was already rolled back automatically/);
  assert.deepEqual(h.rpcs(), ['get-commit-information']);
});

test('one NETCONF session for every block of the run; configuration blocks take turns', async () => {
  let inLock = 0;
  let maxInLock = 0;
  const dev = device({
    answers: {
      'lock-configuration': () => {
        inLock++;
        maxInLock = Math.max(maxInLock, inLock);
        return '';
      },
      'unlock-configuration': () => {
        inLock--;
        return '';
      },
    },
  });
  const h = harness(dev);
  await Promise.all([run(h.target, change({ mode: 'check' })), run(h.target, change({ mode: 'check' })), run(h.target, { kind: 'op', commands: ['show version'], format: 'text' })]);
  assert.equal(h.peers.length, 1);
  assert.equal(maxInLock, 1);
  assert.equal(h.rpcs().filter((n) => n === 'lock-configuration').length, 2);
});

test('a stop while the change is loaded closes the session: the device releases the lock and discards it, and the outcome says so', async () => {
  const stop = new AbortController();
  const dev = device({ answers: { 'get-configuration': () => ({ silence: true }) } });
  const h = harness(dev);
  const running = run(h.target, change({ mode: 'confirmed', minutes: 5 }), stop.signal, (t) => {
    if (t.includes('show | compare')) setImmediate(() => stop.abort('timeout'));
  });
  const { outcome } = await running;
  assert.equal(outcome.kind, 'aborted');
  assert.match(outcome.details?.message ?? '', /the NETCONF session to edge1 was closed, which releases the configuration lock and discards the uncommitted change: nothing changed on the device/);
  assert.equal(h.peers[0]!.destroyed, true);
  assert.ok(!h.rpcs().includes('commit-configuration'));
  // The next block gets a new session.
  await run(h.target, { kind: 'op', commands: ['show version'], format: 'text' });
  assert.equal(h.peers.length, 2);
});

test('the connection lost right after a commit confirmed: the outcome says it is committed and when it rolls back', async () => {
  const dev = device({ answers: { 'unlock-configuration': () => ({ hangUp: 'Connection to 127.0.0.1 closed by remote host.' }) } });
  const h = harness(dev);
  const { outcome } = await run(h.target, change({ mode: 'confirmed', minutes: 5 }));
  assert.equal(outcome.kind, 'failed');
  assert.match(outcome.kind === 'failed' ? outcome.message : '', /the NETCONF session to edge1 ended \(Connection to 127\.0\.0\.1 closed by remote host\.\); the commit had been made; edge1 rolls it back at 2026-11-23T19:45:02Z unless it is confirmed/);
  assert.deepEqual(outcome.details?.pendingRollback, { at: new Date(NOW.getTime() + 5 * 60_000) });
});

test('the connection lost while the commit confirmed is in flight: it may have happened, and if so when it rolls back', async () => {
  const dev = device({ answers: { 'commit-configuration': (r) => (r.text.includes('<check/>') ? '<commit-results><routing-engine><commit-check-success/></routing-engine></commit-results>' : { hangUp: 'Broken pipe' }) } });
  const h = harness(dev);
  const { outcome } = await run(h.target, change({ mode: 'confirmed', minutes: 10 }));
  assert.equal(outcome.kind, 'failed');
  assert.match(outcome.kind === 'failed' ? outcome.message : '', /the commit was sent and not answered, so it may have happened \(check show system commit\); if it did, edge1 rolls it back at 2026-11-23T19:50:02Z unless it is confirmed/);
});

test('a reply that is not XML fails the block and the next block gets a new session', async () => {
  let first = true;
  const dev = device({ answers: { command: () => (first ? ((first = false), { raw: '<rpc-reply message-id="1"><output>x</rpc-reply>' }) : '<output>ok</output>') } });
  const h = harness(dev);
  const { outcome } = await run(h.target, { kind: 'op', commands: ['show version'], format: 'text' });
  assert.equal(outcome.kind, 'failed');
  assert.match(outcome.kind === 'failed' ? outcome.message : '', /edge1 sent a reply that is not well-formed XML/);
  const again = await run(h.target, { kind: 'op', commands: ['show version'], format: 'text' });
  assert.equal(again.outcome.kind, 'exited');
  assert.equal(h.peers.length, 2);
});

test('a block that is not junos, or junos work missing, is refused before connecting', async () => {
  const h = harness(device());
  const io: RunIO = { signal: new AbortController().signal, onData: () => undefined };
  const a = await h.target.run({ language: 'sh', script: 'uname' }, io);
  assert.match(a.kind === 'failed' ? a.message : '', /edge1 is a Junos device: it runs junos blocks only, not sh/);
  const b = await h.target.run({ language: 'junos', script: 'show version' }, io);
  assert.equal(b.kind, 'failed');
  assert.equal(h.peers.length, 0);
});

test('a device that cannot be reached: the link\'s sentence is the outcome', async () => {
  const target = new JunosTarget('edge1', { open: async () => ({ failure: 'cannot connect to edge1 (127.0.0.1 port 830): connection refused' }), user: async () => null });
  const { outcome } = await run(target, { kind: 'op', commands: ['show version'], format: 'text' });
  assert.deepEqual(outcome, { kind: 'failed', message: 'cannot connect to edge1 (127.0.0.1 port 830): connection refused' });
});

test('dispose closes the session politely', async () => {
  const h = harness(device());
  await run(h.target, { kind: 'op', commands: ['show version'], format: 'text' });
  await h.target.dispose();
  assert.equal(h.rpcs().at(-1), 'close-session');
  assert.equal(h.peers[0]!.destroyed, true);
});

test('after a commit confirmed, a new connection of its own proves the management path', async () => {
  const dev = device();
  const peers: ScriptedPeer[] = [];
  let fresh = 0;
  const link: JunosLink = {
    open: async () => {
      const p = new ScriptedPeer({ answer: answerFor(dev) });
      peers.push(p);
      return p.channel;
    },
    openFresh: async () => {
      fresh++;
      const p = new ScriptedPeer({ answer: answerFor(dev) });
      peers.push(p);
      return p.channel;
    },
    user: async () => 'netops',
  };
  const target = new JunosTarget('edge1', link, { now: () => NOW });
  const { outcome, text } = await run(target, change({ mode: 'confirmed', minutes: 5 }));
  assert.equal(outcome.kind === 'exited' && outcome.exitCode, 0);
  assert.equal(fresh, 1);
  assert.deepEqual(peers[1]!.names(), ['close-session']);
  assert.match(text, /modus: a new NETCONF connection to edge1, made after the commit, works: the management path is intact\n$/);
  // Not for a check or a plain commit.
  await run(target, change({ mode: 'check' }));
  await run(target, change({ mode: 'now' }));
  assert.equal(fresh, 1);
});

test('a new connection that fails after a commit confirmed fails the block: do not confirm; it rolls back', async () => {
  const h = harness(device());
  const target = new JunosTarget('edge1', {
    open: async () => {
      const p = new ScriptedPeer({ answer: answerFor(h.dev) });
      h.peers.push(p);
      return p.channel;
    },
    openFresh: async () => ({ failure: 'cannot connect to edge1 (127.0.0.1 port 830): the connection timed out' }),
    user: async () => null,
  }, { now: () => NOW });
  const { outcome, text } = await run(target, change({ mode: 'confirmed', minutes: 5 }));
  assert.equal(outcome.kind === 'exited' && outcome.exitCode, 1);
  assert.deepEqual(outcome.details?.pendingRollback, { at: new Date(NOW.getTime() + 5 * 60_000) });
  assert.equal(outcome.details?.message, 'a new NETCONF connection to edge1, made after the commit, failed (cannot connect to edge1 (127.0.0.1 port 830): the connection timed out): the change may have cut the management path; edge1 rolls the commit back at 2026-11-23T19:45:02Z unless it is confirmed: find out why before confirming it');
  assert.match(text, /modus: a new NETCONF connection to edge1, made after the commit, failed/);
});

test('after the session ended, blocks starting together share the one new session', async () => {
  const h = harness(device());
  await run(h.target, { kind: 'op', commands: ['show version'], format: 'text' });
  h.peers[0]!.end('Connection closed by remote host');
  await new Promise((r) => setImmediate(r));
  await Promise.all([1, 2, 3].map(() => run(h.target, { kind: 'op', commands: ['show version'], format: 'text' })));
  assert.equal(h.peers.length, 2);
  assert.equal(h.peers[1]!.names().length, 3);
});
