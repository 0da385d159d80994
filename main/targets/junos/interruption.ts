// How far a change had gone when its run was stopped or its connection
// lost, told truthfully: nothing loaded; loaded but not committed (the
// session's end makes Junos release the lock and discard it); the commit
// sent and not answered (it may have happened); committed. And the commit
// confirmed it may have left, with when the device rolls it back.

import { isoSeconds, type ConfigRun } from './junos-config.js';

/** The commit confirmed a stopped or lost change may have left. */
export function pendingAfter(config: ConfigRun | null): { at: Date } | undefined {
  if (!config) return undefined;
  if (config.rollbackAt) return { at: config.rollbackAt };
  if (config.phase === 'committing' && config.confirmMinutes !== null && config.commitSentAt) {
    return { at: new Date(config.commitSentAt.getTime() + config.confirmMinutes * 60_000) };
  }
  return undefined;
}

function rollbackNote(label: string, config: ConfigRun, prefix: string): string {
  const at = pendingAfter(config)?.at;
  return at ? `; ${prefix}${label} rolls it back at ${isoSeconds(at)} unless it is confirmed` : '';
}

/** Said after "timed out…" or "cancelled": the session was closed, and what that left. */
export function afterStop(label: string, config: ConfigRun | null): string {
  const closed = `the NETCONF session to ${label} was closed`;
  if (!config) return closed;
  switch (config.phase) {
    case 'before':
      return `${closed}; nothing had been loaded or changed`;
    case 'editing':
      return `${closed}, which releases the configuration lock and discards the uncommitted change: nothing changed on the device`;
    case 'committing':
      return `${closed} while ${label} was committing: the commit may have happened (check show system commit)${rollbackNote(label, config, 'if it did, ')}`;
    case 'committed':
      return `${closed} after the commit${rollbackNote(label, config, '')}`;
  }
}

/** Said after "the NETCONF session to … ended (why)". */
export function afterLoss(label: string, config: ConfigRun | null): string {
  if (!config) return '';
  switch (config.phase) {
    case 'before':
      return '; nothing had been loaded or changed';
    case 'editing':
      return '; it had not committed, and Junos discards the uncommitted change and releases the lock when the session ends';
    case 'committing':
      return `; the commit was sent and not answered, so it may have happened (check show system commit)${rollbackNote(label, config, 'if it did, ')}`;
    case 'committed':
      return `; the commit had been made${rollbackNote(label, config, '')}`;
  }
}
