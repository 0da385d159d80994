// The pending commits confirmed the app counts down, derived from the
// journal: the newest record per host wins, null clears, a deadline that
// has passed is gone, and records that say nothing about it change nothing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pendingCommitsOf, readPendingCommits } from '../../../main/run/pending-commits.js';
import { appendJournalRecord } from '../../../main/run/journal.js';

const NOW = new Date('2026-11-23T19:42:00Z');
const rec = (host: string, block: number, rollbackAt?: string | null, name: string | null = null) => ({
  host, block, name, ...(rollbackAt !== undefined ? { details: { rollbackAt } } : {}),
});

test('a commit confirmed stays pending until a later record on that host clears it', () => {
  const records = [
    rec('edge1', 2, '2026-11-23T19:45:02Z', 'change'),
    rec('edge2', 2, '2026-11-23T19:45:03Z', 'change'),
    rec('edge1', 3),
    rec('edge2', 4, null),
  ];
  assert.deepEqual(pendingCommitsOf(records, NOW), [{ host: 'edge1', rollbackAt: new Date('2026-11-23T19:45:02Z'), block: 2, name: 'change' }]);
});

test('a later commit confirmed on the same host replaces the deadline; hosts come soonest first', () => {
  const records = [rec('b', 1, '2026-11-23T19:50:00Z'), rec('a', 1, '2026-11-23T19:44:00Z'), rec('b', 5, '2026-11-23T19:47:00Z')];
  assert.deepEqual(pendingCommitsOf(records, NOW).map((p) => [p.host, p.block, p.rollbackAt.toISOString()]), [
    ['a', 1, '2026-11-23T19:44:00.000Z'],
    ['b', 5, '2026-11-23T19:47:00.000Z'],
  ]);
});

test('a deadline that has passed is not pending (the device rolled it back); an unreadable one is ignored', () => {
  assert.deepEqual(pendingCommitsOf([rec('edge1', 0, '2026-11-23T19:42:00Z')], NOW), []);
  assert.deepEqual(pendingCommitsOf([rec('edge1', 0, '2026-11-23T19:45:00Z'), { host: 'edge1', block: 1, name: null, details: { rollbackAt: 'soon' } }], NOW).length, 1);
});

test('read from a notebook\'s journal as the engine writes it; no journal, nothing pending', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'modus-pending-'));
  const nb = join(dir, 'mop.md');
  await writeFile(nb, '# mop\n');
  assert.deepEqual(await readPendingCommits(nb, NOW), []);
  const base = { lang: 'junos', start: NOW, end: NOW, command: '', output: 'x', exitCode: 0, status: 'pass' as const };
  await appendJournalRecord(nb, { ...base, block: 1, name: 'change', host: 'edge1', details: { rollbackAt: '2026-11-23T19:45:02Z' } });
  await appendJournalRecord(nb, { ...base, block: 2, host: 'edge1' });
  assert.deepEqual(await readPendingCommits(nb, NOW), [{ host: 'edge1', rollbackAt: new Date('2026-11-23T19:45:02Z'), block: 1, name: 'change' }]);
  await appendJournalRecord(nb, { ...base, block: 3, host: 'edge1', details: { rollbackAt: null } });
  assert.deepEqual(await readPendingCommits(nb, NOW), []);
  await rm(dir, { recursive: true });
});
