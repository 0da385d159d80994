// Creating and finding the statements a resolved path names.

import type { Step } from './config-path.js';
import { findChild, insertChild, type ConfigNode } from './config-tree.js';

export function nodeFromStep(step: Step): ConfigNode {
  return {
    words: [...step.words],
    kind: step.kind,
    values: [...step.values],
    children: [],
    spec: step.spec,
    block: step.block,
    named: step.named,
  };
}

/** Makes every statement on the path exist (the `set` semantics) and returns the last one. */
export function ensurePath(root: ConfigNode, steps: readonly Step[]): ConfigNode {
  let parent = root;
  for (const step of steps) {
    const existing = findChild(parent, step.words.join(' '));
    if (!existing) {
      const made = nodeFromStep(step);
      insertChild(parent, made);
      parent = made;
      continue;
    }
    if (existing.kind === 'flag' && (step.kind === 'container' || step.kind === 'list')) {
      existing.kind = step.kind;
      existing.block = step.block;
    }
    if (step.kind === 'leaf' || (step.kind === 'list' && step.values.length > 0)) existing.values = [...step.values];
    if (step.kind === 'leaf-list') for (const v of step.values) if (!existing.values.includes(v)) existing.values.push(v);
    parent = existing;
  }
  return parent;
}

export interface Found {
  node: ConfigNode;
  parent: ConfigNode;
  /** The statements from the root down to node. */
  chain: ConfigNode[];
}

/** The statement the path names, if it exists. */
export function findPath(root: ConfigNode, steps: readonly Step[]): Found | null {
  let parent = root;
  const chain: ConfigNode[] = [];
  for (let i = 0; i < steps.length; i += 1) {
    const found = findChild(parent, steps[i]!.words.join(' '));
    if (!found) return null;
    chain.push(found);
    if (i === steps.length - 1) return { node: found, parent, chain };
    parent = found;
  }
  return null;
}
