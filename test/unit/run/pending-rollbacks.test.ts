// What `modus run` says at the end about commits confirmed still pending.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanNotebook } from '../../../main/notebook/scan.js';
import { planRun } from '../../../main/run/plan.js';
import { describePendingRollback, pendingRollbacks } from '../../../main/run/pending-rollbacks.js';
import type { RunSummary } from '../../../main/run/engine.js';
import type { HostRunResult } from '../../../main/run/run-host.js';
import type { Inventory } from '../../../main/inventory/inventory.js';
import { rawOutputOf } from '../../../main/run/raw-output.js';

const F = '```';
const AT = new Date('2026-11-23T19:45:02Z');

const inv: Inventory = {
  file: null,
  hosts: new Map([['edge1', { name: 'edge1', platform: 'junos' as const }], ['edge2', { name: 'edge2', platform: 'junos' as const }]]),
  groups: new Map(), sshAliases: [], sshPatterns: [],
};
const nb = [
  `${F}junos :host edge1,edge2 :commit confirmed 5\nset a b\n${F}`,
  `${F}junos :host edge1,edge2\nshow version\n${F}`,
  `${F}junos :host edge1 :commit confirm\n${F}`,
].join('\n\n') + '\n';
const planned = planRun(scanNotebook(nb), { file: 'nb.md', inventory: { inventory: inv, messages: [] } }).blocks;

function host(name: string, pendingRollback?: { at: Date } | null): HostRunResult {
  const now = new Date();
  return { host: name, start: now, end: now, exitCode: 0, status: 'pass', text: '', expectations: [], raw: rawOutputOf(Buffer.alloc(0)), omitted: 0, ...(pendingRollback !== undefined ? { pendingRollback } : {}) };
}

function summary(blocks: [number, HostRunResult[]][]): RunSummary {
  return { blocks: blocks.map(([number, hosts]) => ({ number, status: 'pass', hosts, write: null })), problems: [], ok: true };
}

test('a confirmed commit stays pending until a later block confirms it on that host', () => {
  const all = pendingRollbacks(summary([[1, [host('edge1', { at: AT }), host('edge2', { at: AT })]], [2, [host('edge1'), host('edge2')]], [3, [host('edge1', null)]]]), planned);
  assert.deepEqual(all, [{ host: 'edge2', at: AT, block: 1, confirmBy: null }]);
  assert.equal(describePendingRollback(all[0]!, 'nb.md', new Date(AT.getTime() - 250_000)),
    'edge2: the commit confirmed of block 1 rolls back at 2026-11-23T19:45:02Z (in 4m10s) unless confirmed; no block of this notebook confirms it; add a junos block with :commit confirm for this host, or let it roll back');
});

test('a run that stopped before the confirming block names it and how to run it', () => {
  const [p] = pendingRollbacks(summary([[1, [host('edge1', { at: AT })]]]), planned);
  assert.deepEqual(p!.confirmBy, { block: 3, ran: false });
  assert.match(describePendingRollback(p!, 'nb.md', AT), /block 3 confirms it and has not run: modus run nb\.md --block 3$/);
  assert.match(describePendingRollback(p!, 'nb.md', AT), /\(now due\)/);
});
