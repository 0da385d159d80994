// The load actions of `load-configuration` applied to a candidate:
//   merge    — statements are added; a leaf's value replaces the old one;
//              lists of values accumulate.
//   replace  — as merge, but a statement tagged `replace:` replaces the
//              candidate's statement whole.
//   override — the loaded text becomes the whole configuration.
//   update   — the same result as override (Junos only notifies fewer
//              processes; there are none here).
// `delete:` removes a statement in merge and replace; `active:` and
// `unprotect:` clear those flags.

import type { ConfigError } from './config-parse.js';
import { cloneTree, findChild, insertChild, isBlock, keyOf, type ConfigNode } from './config-tree.js';

export type LoadAction = 'merge' | 'replace' | 'override' | 'update';

export const LOAD_ACTIONS: readonly LoadAction[] = ['merge', 'replace', 'override', 'update'];

/** A loaded tree made plain: load tags applied to itself (deleted statements dropped, tags gone). */
export function withoutLoadTags(n: ConfigNode): ConfigNode {
  const copy: ConfigNode = { ...n, words: [...n.words], values: [...n.values], tags: undefined, children: [] };
  if (n.tags?.has('active')) copy.inactive = undefined;
  if (n.tags?.has('unprotect')) copy.protect = undefined;
  copy.children = n.children.filter((c) => !c.tags?.has('delete')).map(withoutLoadTags);
  return copy;
}

function mergeInto(target: ConfigNode, incoming: ConfigNode, action: LoadAction, path: string[], warnings: ConfigError[]): void {
  for (const c of incoming.children) {
    const existing = findChild(target, keyOf(c));
    if (c.tags?.has('delete')) {
      if (existing) target.children.splice(target.children.indexOf(existing), 1);
      else warnings.push({ severity: 'warning', message: 'statement not found', path, badElement: c.words.join(' ') });
      continue;
    }
    if (!existing) {
      insertChild(target, withoutLoadTags(c));
      continue;
    }
    if (action === 'replace' && c.tags?.has('replace')) {
      target.children[target.children.indexOf(existing)] = withoutLoadTags(c);
      continue;
    }
    if (existing.kind === 'flag' && isBlock(c)) {
      existing.kind = c.kind;
      existing.block = c.block;
    }
    if (c.kind === 'leaf' || (c.kind === 'list' && c.values.length > 0)) existing.values = [...c.values];
    if (c.kind === 'leaf-list') for (const v of c.values) if (!existing.values.includes(v)) existing.values.push(v);
    if (c.inactive) existing.inactive = true;
    if (c.tags?.has('active')) existing.inactive = undefined;
    if (c.protect) existing.protect = true;
    if (c.tags?.has('unprotect')) existing.protect = undefined;
    if (c.annotation !== undefined) existing.annotation = c.annotation;
    if (isBlock(c)) mergeInto(existing, c, action, [...path, ...c.words], warnings);
  }
}

/** The candidate after loading `incoming` with `action`; the candidate itself is left alone. */
export function loadInto(candidate: ConfigNode, incoming: ConfigNode, action: LoadAction): { result: ConfigNode; warnings: ConfigError[] } {
  if (action === 'override' || action === 'update') return { result: withoutLoadTags(incoming), warnings: [] };
  const result = cloneTree(candidate);
  const warnings: ConfigError[] = [];
  mergeInto(result, incoming, action, [], warnings);
  return { result, warnings };
}
