// The Junos RPCs Modus sends, as XML built by the serialiser (never by
// string concatenation: configuration text, commands and commit comments
// come from a notebook). Junos-native operations throughout:
// `commit-configuration` and never the standard `<commit>`, whose
// confirm-timeout is in seconds where Junos's is in minutes (the trap that
// made "rollback in 0mins" an instant rollback in ncclient and Ansible).

import { buildXml, type XmlSpec } from './xml.js';

export type OutputFormat = 'text' | 'xml';
export type TextLoadAction = 'merge' | 'replace' | 'override';

/** An operational command as typed on the CLI (`show bgp summary`). */
export const commandRpc = (command: string, format: OutputFormat): string => buildXml(['command', { format }, command]);

/** `configure exclusive`: fails when another session holds the lock or has changed the candidate. */
export const lockRpc = (): string => buildXml(['lock-configuration']);
export const unlockRpc = (): string => buildXml(['unlock-configuration']);

/** `configure private`: a candidate of this session's own. */
export const openPrivateRpc = (): string => buildXml(['open-configuration', ['private']]);
export const closeConfigurationRpc = (): string => buildXml(['close-configuration']);

/** Curly-brace configuration text, merged, replaced (honouring `replace:` tags) or overriding the whole configuration. */
export const loadTextRpc = (action: TextLoadAction, text: string): string =>
  buildXml(['load-configuration', { action, format: 'text' }, ['configuration-text', text]]);

/** `set`/`delete`/… lines, as `load set terminal`. */
export const loadSetRpc = (text: string): string => buildXml(['load-configuration', { action: 'set', format: 'text' }, ['configuration-set', text]]);

/** Replaces the candidate with rollback N (0 = the active configuration: discards uncommitted changes). Nothing is committed. */
export const rollbackRpc = (index: number): string => {
  if (!Number.isInteger(index) || index < 0 || index > 49) throw new RangeError(`rollback ${index}: Junos keeps rollbacks 0 to 49`);
  return buildXml(['load-configuration', { rollback: String(index) }]);
};

/** `show | compare`: the candidate against the active configuration, as text. */
export const diffRpc = (): string => buildXml(['get-configuration', { compare: 'rollback', rollback: '0', format: 'text' }]);

export const commitCheckRpc = (): string => buildXml(['commit-configuration', ['check']]);

export interface CommitOptions {
  /** Commit comment (`commit comment "…"`), shown by `show system commit`. */
  log: string;
  /** commit confirmed: rolled back after this many MINUTES unless confirmed. */
  confirmMinutes?: number;
}

export function commitRpc(o: CommitOptions): string {
  const spec: XmlSpec = ['commit-configuration'];
  if (o.confirmMinutes !== undefined) {
    if (!Number.isInteger(o.confirmMinutes) || o.confirmMinutes < 1 || o.confirmMinutes > 65535) throw new RangeError(`commit confirmed ${o.confirmMinutes}: minutes must be 1 to 65535`);
    spec.push(['confirmed'], ['confirm-timeout', String(o.confirmMinutes)]);
  }
  spec.push(['log', o.log]);
  return buildXml(spec);
}

/**
 * `show system commit` as XML (`<commit-information>`): the commit history,
 * newest first; a pending commit confirmed says so in its comment. Sent as
 * a `<command>`, which every Junos answers with the XML of the matching RPC
 * (`get-commit-information`).
 */
export const commitHistoryRpc = (): string => commandRpc('show system commit', 'xml');

export const closeSessionRpc = (): string => buildXml(['close-session']);
