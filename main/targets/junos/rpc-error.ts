// `<rpc-error>`: how a NETCONF server says something went wrong, or warns.
// Junos puts them at the top of a reply or inside a result
// (`<load-configuration-results>`, `<commit-results>`), several at a time,
// warnings next to success (`statement not found` when deleting what is not
// there; licence warnings on commit). Warnings are shown, never failures;
// every error is kept (not just the first) with its edit path and the
// statement it is about.

import { child, descendants, textOf, type ReplyElement } from './reply-tree.js';

export interface RpcError {
  severity: 'error' | 'warning';
  /** `error-type`: transport, rpc, protocol or application. */
  type: string;
  /** `error-tag`: operation-failed, invalid-value, lock-denied… */
  tag: string;
  /** `error-path`: where in the configuration (`[edit protocols bgp]`), when given. */
  path: string | null;
  /** `error-info/bad-element`: the statement or word it is about, when given. */
  badElement: string | null;
  /** `error-message`, trimmed. */
  message: string;
}

/** Every rpc-error at or under `el`, in document order. */
export function rpcErrorsIn(el: ReplyElement): RpcError[] {
  const found = el.localName === 'rpc-error' ? [el] : descendants(el, 'rpc-error');
  return found.map(parseRpcError);
}

export function parseRpcError(el: ReplyElement): RpcError {
  const text = (name: string): string => textOf(child(el, name)).trim();
  const info = child(el, 'error-info');
  const bad = info ? textOf(child(info, 'bad-element')).trim() : '';
  const path = text('error-path');
  return {
    severity: text('error-severity') === 'warning' ? 'warning' : 'error',
    type: text('error-type'),
    tag: text('error-tag'),
    path: path === '' ? null : path,
    badElement: bad === '' ? null : bad,
    message: text('error-message') || (text('error-tag') ? `${text('error-tag')} (the device gave no message)` : 'the device gave no message'),
  };
}

export const errorsOnly = (all: readonly RpcError[]): RpcError[] => all.filter((e) => e.severity === 'error');
export const warningsOnly = (all: readonly RpcError[]): RpcError[] => all.filter((e) => e.severity === 'warning');

/**
 * As the Junos CLI shows it: the edit path, the statement, then the message
 * indented under them; or `error: …` / `warning: …` when it is about no
 * statement.
 */
export function formatRpcError(e: RpcError): string {
  if (e.path === null && e.badElement === null) return `${e.severity}: ${e.message}`;
  const lines: string[] = [];
  if (e.path !== null) lines.push(e.path);
  if (e.badElement !== null) lines.push(`  '${e.badElement}'`);
  lines.push(`    ${e.severity === 'warning' ? 'warning: ' : ''}${e.message}`);
  return lines.join('\n');
}

/** One line, for a verdict: `syntax error at 'lldpx' in [edit protocols]` (Junos's multi-line messages joined). */
export function summarizeRpcError(e: RpcError): string {
  const message = e.message.replace(/\s*\n\s*/g, ' ');
  return `${message}${e.badElement !== null ? ` at '${e.badElement}'` : ''}${e.path !== null ? ` in ${e.path}` : ''}`;
}

/** The errors of a reply as one sentence for a verdict (every one, not only the first). */
export function summarizeRpcErrors(errors: readonly RpcError[]): string {
  return errors.map(summarizeRpcError).join('; ');
}
