// One `load-configuration` applied to a candidate tree: curly text with an
// action (merge, replace, override, update) or set commands. Returns the new
// candidate and the problems Junos would report. With errors, merge and
// replace keep what parsed (as Junos does: careful clients roll back after a
// failed load); override and update change nothing, since a partial text
// would otherwise become the whole configuration.

import { loadInto, type LoadAction } from './config-load.js';
import { parseCurly, type ConfigError } from './config-parse.js';
import { cloneTree, type ConfigNode } from './config-tree.js';
import { applySetCommands } from './set-commands.js';

export type LoadRequest = { kind: 'text'; action: LoadAction; text: string } | { kind: 'set'; text: string } | { kind: 'tree'; action: LoadAction; tree: ConfigNode; errors: ConfigError[] };

export interface LoadOutcome {
  result: ConfigNode;
  problems: ConfigError[];
}

export function loadRequest(candidate: ConfigNode, request: LoadRequest): LoadOutcome {
  if (request.kind === 'set') {
    const result = cloneTree(candidate);
    return { result, problems: applySetCommands(result, request.text) };
  }
  const parsed = request.kind === 'text' ? parseCurly(request.text) : { tree: request.tree, errors: request.errors };
  if (parsed.errors.length > 0 && (request.action === 'override' || request.action === 'update')) return { result: candidate, problems: parsed.errors };
  const { result, warnings } = loadInto(candidate, parsed.tree, request.action);
  return { result, problems: [...parsed.errors, ...warnings] };
}

export function errorCount(problems: readonly ConfigError[]): number {
  return problems.filter((p) => p.severity === 'error').length;
}
