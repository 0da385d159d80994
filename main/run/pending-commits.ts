// The commits confirmed a notebook's runs left pending on Junos devices,
// derived from its journal (not kept anywhere else, so the app's countdown
// is the same after a reload, a restart, or a `modus run` in a terminal).
//
// Each run of a junos block that changed the device's pending state records
// it in `details.rollbackAt` (engine.ts): the deadline of a commit confirmed
// it left pending, or null when it confirmed one, rolled one back, or found
// that none was pending. The newest such record per host wins; a deadline
// that has passed is no longer pending (the device has rolled it back).

import { readJournal, type JournalRecord } from './journal.js';

export interface PendingCommit {
  /** The host as the notebook names it. */
  host: string;
  /** When the device rolls the commit back unless it is confirmed. */
  rollbackAt: Date;
  /** The code block (0-based, as the journal recorded it) whose run committed it, and its :name. */
  block: number;
  name: string | null;
}

type Recorded = Pick<JournalRecord, 'host' | 'block' | 'name' | 'details'>;

/** What `details.rollbackAt` says: a deadline, null (nothing pending any more), or undefined (the run did not change it). */
function recordedDeadline(r: Recorded): Date | null | undefined {
  const details = r.details;
  if (!details || !('rollbackAt' in details)) return undefined;
  const v = details.rollbackAt;
  if (v === null) return null;
  if (typeof v !== 'string') return undefined;
  const at = new Date(v);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** The pending commits the records leave at `now`, soonest deadline first. Records are in journal (append) order. */
export function pendingCommitsOf(records: Iterable<Recorded>, now: Date): PendingCommit[] {
  const byHost = new Map<string, PendingCommit | null>();
  for (const r of records) {
    const at = recordedDeadline(r);
    if (at === undefined) continue;
    byHost.set(r.host, at === null ? null : { host: r.host, rollbackAt: at, block: r.block, name: r.name });
  }
  return [...byHost.values()]
    .filter((p): p is PendingCommit => p !== null && p.rollbackAt.getTime() > now.getTime())
    .sort((a, b) => a.rollbackAt.getTime() - b.rollbackAt.getTime() || (a.host < b.host ? -1 : 1));
}

/** The pending commits of the notebook at `notebookPath`, from its journal (none without one). */
export async function readPendingCommits(notebookPath: string, now: Date): Promise<PendingCommit[]> {
  return pendingCommitsOf(await readJournal(notebookPath, { output: false }), now);
}
