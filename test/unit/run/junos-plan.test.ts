// Junos blocks in the plan: platforms (junos blocks on Junos devices only,
// Junos devices run nothing else), the work handed to the target, the commit
// log, and the results hash with the Junos-only arguments.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { scanNotebook } from '../../../main/notebook/scan.js';
import { formatMessage } from '../../../main/notebook/messages.js';
import { planRun } from '../../../main/run/plan.js';
import { ranHash } from '../../../main/run/ran-hash.js';
import type { Inventory, LoadedInventory } from '../../../main/inventory/inventory.js';

const F = '```';

function inventory(): LoadedInventory {
  const inv: Inventory = {
    file: 'inventory.yaml',
    hosts: new Map([
      ['edge1', { name: 'edge1', platform: 'junos' as const, port: 8300 }],
      ['edge2', { name: 'edge2', platform: 'junos' as const }],
      ['r1', { name: 'r1', platform: 'linux' as const }],
      ['r2', { name: 'r2' }],
    ]),
    groups: new Map([['edges', ['edge1', 'edge2']]]),
    sshAliases: [],
    sshPatterns: [],
  };
  return { inventory: inv, messages: [] };
}

function plan(text: string) {
  const p = planRun(scanNotebook(text), { file: 'notebooks/mop.md', inventory: inventory() });
  return { blocks: p.blocks, messages: p.messages.map(formatMessage) };
}

test('junos blocks on Junos devices only; Junos devices run junos blocks only; local is not a Junos device', () => {
  const { messages } = plan(`${F}junos :host r1,r2,edge1\nshow version\n${F}\n\n${F}sh :host edge2\nuname\n${F}\n\n${F}junos :host local\nshow version\n${F}\n`);
  assert.deepEqual(messages, [
    'notebooks/mop.md:1:16 r1 is a linux host in the inventory; junos blocks run on hosts with platform: junos (inventory.yaml: r1: { platform: junos }) [junos-platform]',
    'notebooks/mop.md:1:16 r2 is not a Junos device in the inventory (hosts without a platform are reached as Linux over SSH); junos blocks run on hosts with platform: junos (inventory.yaml: r2: { platform: junos }) [junos-platform]',
    'notebooks/mop.md:5:13 edge2 is a Junos device (platform: junos): it runs junos blocks only, and this is a sh block [junos-platform]',
    'notebooks/mop.md:9:16 junos blocks run on Junos devices over NETCONF, not on local (this machine) [junos-platform]',
  ]);
});

test('the work of each kind of junos block, with a commit log naming the notebook and block', () => {
  const { blocks, messages } = plan([
    `${F}junos :host edges :format xml :expect-xpath "//x"\nshow version\nshow bgp summary\n${F}`,
    `${F}junos :host edges :name change\nset system host-name x\n${F}`,
    `${F}junos :host edges :commit confirmed 5 :action replace\nsystem { host-name x; }\n${F}`,
    `${F}junos :host edges :commit confirm\n${F}`,
    `${F}junos :host edge1 :commit now :private\nrollback 1\n${F}`,
    `${F}junos :host edge1 :commit rollback\n${F}`,
  ].join('\n\n') + '\n');
  assert.deepEqual(messages, []);
  assert.deepEqual(blocks.map((b) => b.junos), [
    { kind: 'op', commands: ['show version', 'show bgp summary'], format: 'xml' },
    { kind: 'config', load: { format: 'set', text: 'set system host-name x' }, commit: { mode: 'check' }, private: false, log: 'modus: mop.md block 2 (change)' },
    { kind: 'config', load: { format: 'text', action: 'replace', text: 'system { host-name x; }' }, commit: { mode: 'confirmed', minutes: 5 }, private: false, log: 'modus: mop.md block 3' },
    { kind: 'confirm', log: 'modus: mop.md block 4' },
    { kind: 'config', load: { format: 'rollback', index: 1 }, commit: { mode: 'now' }, private: true, log: 'modus: mop.md block 5' },
    { kind: 'rollback', log: 'modus: mop.md block 6' },
  ]);
  assert.deepEqual(blocks[0]!.hosts.map((h) => [h.label, h.platform, h.port]), [['edge1', 'junos', 8300], ['edge2', 'junos', undefined]]);
});

test('the results hash: unchanged for blocks without the Junos-only arguments; :private :format :expect-xpath count when given', () => {
  const src = `${F}junos :host edge1\nshow version\n${F}\n`;
  const p = plan(src).blocks[0]!;
  const host = p.hosts[0]!;
  const hash = ranHash({ lang: p.block.lang, script: p.script, args: p.args }, host);
  // What the hash was before these arguments existed (modus-ran/1 input), so existing results do not turn stale.
  const a = p.args;
  const before = createHash('sha256').update(JSON.stringify(['modus-ran/1', 'junos', p.script, a.dir, a.session, a.timeoutMs, [], 0, [], null, null, ['edge1', null, null, 8300, 'junos']])).digest('hex').slice(0, 12);
  assert.equal(hash, before);
  const variants = [
    `${F}junos :host edge1 :format xml\nshow version\n${F}\n`,
    `${F}junos :host edge1 :format xml :expect-xpath //a\nshow version\n${F}\n`,
    `${F}junos :host edge1 :format text\nshow version\n${F}\n`,
  ];
  const hashes = variants.map((v) => {
    const q = plan(v).blocks[0]!;
    return ranHash({ lang: q.block.lang, script: q.script, args: q.args }, q.hosts[0]);
  });
  assert.equal(new Set([hash, ...hashes]).size, 4);
  const priv = plan(`${F}junos :host edge1 :private :commit now\nset a b\n${F}\n`).blocks[0]!;
  const pub = plan(`${F}junos :host edge1 :commit now\nset a b\n${F}\n`).blocks[0]!;
  assert.notEqual(ranHash({ lang: 'junos', script: priv.script, args: priv.args }, priv.hosts[0]), ranHash({ lang: 'junos', script: pub.script, args: pub.args }, pub.hosts[0]));
});
