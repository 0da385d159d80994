// After a run: the commit confirmed it left pending on each Junos device,
// when the device rolls it back, and which block of the notebook would
// confirm it (or that none does), so `modus run` can end by saying so. A
// later commit on the same device (a `:commit confirm` block, or any plain
// commit: Junos takes it as the confirmation) clears it.

import type { RunSummary } from './engine.js';
import type { PlannedBlock } from './plan.js';

export interface PendingRollback {
  host: string;
  at: Date;
  /** The block whose commit confirmed is pending. */
  block: number;
  /** The first later block that would confirm it on this host, and whether it ran (and then failed, or the host is still pending). */
  confirmBy: { block: number; ran: boolean } | null;
}

/** Blocks that confirm a pending commit confirmed on a host: `:commit confirm`, or a change committed plainly. */
function confirms(p: PlannedBlock): boolean {
  const w = p.junos;
  return w !== undefined && (w.kind === 'confirm' || (w.kind === 'config' && w.commit.mode === 'now'));
}

export function pendingRollbacks(summary: RunSummary, planned: readonly PlannedBlock[]): PendingRollback[] {
  const pending = new Map<string, { at: Date; block: number }>();
  for (const b of [...summary.blocks].sort((x, y) => x.number - y.number)) {
    for (const h of b.hosts) {
      if (h.pendingRollback === undefined) continue;
      if (h.pendingRollback === null) pending.delete(h.host);
      else pending.set(h.host, { at: h.pendingRollback.at, block: b.number });
    }
  }
  const ran = new Set(summary.blocks.map((b) => b.number));
  return [...pending].map(([host, p]) => {
    const later = planned.find((q) => q.number > p.block && confirms(q) && q.hosts.some((h) => h.label === host));
    return { host, at: p.at, block: p.block, confirmBy: later ? { block: later.number, ran: ran.has(later.number) } : null };
  });
}

/** One line per host, for the end of `modus run`. */
export function describePendingRollback(p: PendingRollback, notebook: string, now: Date): string {
  const left = p.at.getTime() - now.getTime();
  const when = `${p.at.toISOString().replace(/\.\d{3}Z$/, 'Z')} (${left > 0 ? `in ${minutesSeconds(left)}` : 'now due'})`;
  let by: string;
  if (!p.confirmBy) by = 'no block of this notebook confirms it; add a junos block with :commit confirm for this host, or let it roll back';
  else if (p.confirmBy.ran) by = `block ${p.confirmBy.block} was to confirm it and did not; see its results`;
  else by = `block ${p.confirmBy.block} confirms it and has not run: modus run ${notebook} --block ${p.confirmBy.block}`;
  return `${p.host}: the commit confirmed of block ${p.block} rolls back at ${when} unless confirmed; ${by}`;
}

function minutesSeconds(ms: number): string {
  const s = Math.ceil(ms / 1000);
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
