// Positioned messages, rendered the way compilers and unified do, so editors
// and terminals can jump to them: `file:line:col reason [rule]`.

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
