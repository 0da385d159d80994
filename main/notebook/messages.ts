// Positioned messages, rendered the way compilers and unified do, so editors
// and terminals can jump to them: `file:line:col reason [rule]`.

import { MAX_PROBLEMS, PROBLEMS_RULE } from './limits.js';
import type { NotebookMessage, Point } from './types.js';

export function formatMessage(m: NotebookMessage): string {
  const where = `${m.line}:${m.column}`;
  return `${m.file !== undefined ? `${m.file}:` : ''}${where} ${m.reason} [${m.ruleId}]`;
}

export function message(
  at: { line: number; column: number },
  reason: string,
  ruleId: string,
  severity: 'error' | 'warning',
  file?: string,
): NotebookMessage {
  const m: NotebookMessage = { line: at.line, column: at.column, reason, ruleId, severity };
  if (file !== undefined) m.file = file;
  return m;
}

/** Messages in document order (line, then column), errors before warnings at the same place. */
export function sortMessages(messages: NotebookMessage[]): NotebookMessage[] {
  return [...messages].sort((a, b) =>
    a.line - b.line || a.column - b.column || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

export function hasErrors(messages: readonly NotebookMessage[]): boolean {
  return messages.some((m) => m.severity === 'error');
}

/** A point `delta` code units further along the same line. */
export function advancePoint(p: Point, delta: number): Point {
  return { line: p.line, column: p.column + delta, offset: p.offset + delta };
}

/**
 * At most MAX_PROBLEMS messages, in the order given; when there are more,
 * the rest become one last error where the first of them is, so a notebook
 * with a hundred thousand problems prints a readable list.
 */
export function capMessages(messages: NotebookMessage[]): NotebookMessage[] {
  if (messages.length <= MAX_PROBLEMS) return messages;
  const first = messages[MAX_PROBLEMS];
  const out = messages.slice(0, MAX_PROBLEMS);
  // No count: past the limit, problems are not all collected (see variables.ts).
  out.push(message(first, `more than ${MAX_PROBLEMS} problems; the ones from here on are not listed. Fix these and check again`, PROBLEMS_RULE, 'error', first.file));
  return out;
}

/** Appends `more` to `into` without spreading it into arguments (a spread of ~125k elements overflows the stack). */
export function appendAll<T>(into: T[], more: readonly T[]): void {
  for (const m of more) into.push(m);
}
