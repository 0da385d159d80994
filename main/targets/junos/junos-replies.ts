// What Junos's replies mean: an operational command's text or XML, the
// outcome of a load or a commit, the diff, and whether a commit confirmed
// is pending (from the commit history). Success has several spellings
// (`<ok/>`, `<load-success/>`, `<commit-success/>`, an empty reply for lock
// and unlock); failure is an rpc-error of severity error, wherever it sits.

import { errorsOnly, type RpcError } from './rpc-error.js';
import { attributeByLocalName, child, childElements, descendants, textOf } from './reply-tree.js';
import { childElements as domChildElements, parseXml, serializeXml, XmlError } from './xml.js';
import type { RpcReply } from './netconf-session.js';

/** The reply's errors (severity error): empty means it worked. */
export const failures = (r: RpcReply): RpcError[] => errorsOnly(r.errors);

/** What a `<command format="text">` printed, as the CLI would show it (no leading blank lines, one final newline). */
export function commandText(reply: RpcReply): string {
  const root = reply.root;
  const container = descendants(root, 'output')[0] ?? descendants(root, 'configuration-output')[0] ?? null;
  let text: string;
  if (container) {
    text = textOf(container);
  } else {
    // Anything else the device answered with, rpc-errors left out (they are shown on their own).
    text = childElements(root).filter((e) => e.localName !== 'rpc-error' && e.localName !== 'ok').map(textOf).join('');
  }
  return tidy(text);
}

/**
 * What a `<command format="xml">` returned: the reply's content as the device
 * sent it (rpc-errors are shown on their own). Serialised from a DOM of the
 * reply, built here only: a serialiser keeps the namespaces each element
 * needs (`junos:style` under the reply's `xmlns:junos`).
 */
export function commandXml(reply: RpcReply): string {
  let root;
  try {
    root = parseXml(reply.text.trimStart()).documentElement!;
  } catch (e) {
    // The reply was read once already; this is a second parser disagreeing with the first.
    if (e instanceof XmlError) throw new Error(`the reply cannot be shown as XML: ${e.message}`);
    throw e;
  }
  const parts = domChildElements(root).filter((e) => e.localName !== 'rpc-error').map((e) => serializeXml(e));
  return parts.length === 0 ? '' : `${parts.join('\n')}\n`;
}

/**
 * Some commands report failure as bare text rather than an rpc-error
 * (`error: device asdf not found`): the first line of their output says so.
 */
export function textualError(text: string): string | null {
  const first = text.split('\n').find((l) => l.trim() !== '');
  return first !== undefined && /^\s*error:/.test(first) ? first.trim().replace(/^error:\s*/, '') : null;
}

/** The `show | compare` text; '' when the candidate equals the active configuration. */
export function diffText(reply: RpcReply): string {
  const out = descendants(reply.root, 'configuration-output')[0];
  const text = out ? textOf(out) : '';
  return text.trim() === '' ? '' : tidy(text);
}

/** A load's error count when the device gave one (`<load-error-count>`). */
export function loadErrorCount(reply: RpcReply): number {
  const n = descendants(reply.root, 'load-error-count')[0];
  const v = n ? Number(textOf(n).trim()) : 0;
  return Number.isFinite(v) ? v : 0;
}

/** One entry of `show system commit`, newest first. */
export interface CommitEntry {
  sequence: number | null;
  user: string;
  client: string;
  /** As the device prints it (`2026-11-23 19:40:02 UTC`). */
  dateText: string;
  /** From `junos:seconds` when given. */
  date: Date | null;
  comment: string;
  log: string;
}

export function commitHistory(reply: RpcReply): CommitEntry[] {
  return descendants(reply.root, 'commit-history').map((h) => {
    const t = (name: string): string => textOf(child(h, name)).trim();
    const dt = child(h, 'date-time');
    const seconds = dt ? attributeByLocalName(dt, 'seconds') : null;
    const seq = Number(t('sequence-number'));
    return {
      sequence: t('sequence-number') !== '' && Number.isInteger(seq) ? seq : null,
      user: t('user'),
      client: t('client'),
      dateText: t('date-time'),
      date: seconds !== null && /^\d+$/.test(seconds) ? new Date(Number(seconds) * 1000) : null,
      comment: t('comment'),
      log: t('log'),
    };
  });
}

/** A commit confirmed that the device will roll back unless confirmed. */
export interface PendingConfirm {
  entry: CommitEntry;
  minutes: number;
  /** When the device rolls it back, when the entry's time is known. */
  deadline: Date | null;
}

const PENDING = /commit confirmed, rollback in (\d+)\s*min/i;

/**
 * The pending commit confirmed, from the commit history: the newest commit
 * is a confirmed one (Junos comments it `commit confirmed, rollback in
 * Nmins`); any later commit, a confirmation or the automatic rollback, is
 * newer than it.
 */
export function pendingConfirm(history: readonly CommitEntry[]): PendingConfirm | null {
  const newest = history[0];
  if (!newest) return null;
  const m = PENDING.exec(newest.comment) ?? PENDING.exec(newest.log);
  if (!m) return null;
  const minutes = Number(m[1]);
  return { entry: newest, minutes, deadline: newest.date ? new Date(newest.date.getTime() + minutes * 60_000) : null };
}

/**
 * How many of the newest commits are commits confirmed in a row: a commit
 * confirmed sent while one is pending extends it, and the device's rollback
 * goes back to before the first, which is `rollback N` with this N.
 */
export function confirmedSeries(history: readonly CommitEntry[]): number {
  let n = 0;
  while (n < history.length && (PENDING.test(history[n]!.comment) || PENDING.test(history[n]!.log))) n++;
  return n;
}

/** True when the newest commit is Junos's automatic rollback of an unconfirmed commit. */
export function rolledBackAutomatically(history: readonly CommitEntry[]): CommitEntry | null {
  const newest = history[0];
  if (!newest) return null;
  return /automatic rollback|not confirmed/i.test(`${newest.comment} ${newest.log} ${newest.client}`) ? newest : null;
}

function tidy(text: string): string {
  const trimmed = text.replace(/^(?:[ \t]*\r?\n)+/, '').replace(/\s+$/, '');
  return trimmed === '' ? '' : `${trimmed}\n`;
}
