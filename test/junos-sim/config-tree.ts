// The configuration as a tree of statements. A statement is identified among
// its siblings by its words (`unit 0`, `host-name`, `route-filter 10/8
// exact`); leaves carry values. Children are kept in the order Junos prints
// them (schema order, then entries as they came), so printing is a walk.

import { printRank, ROOT, type SchemaNode, type StatementKind, type StatementSpec } from './config-schema.js';

/** Tags that only mean something while loading (`replace:`, `delete:`, `active:`, `unprotect:`). */
export type LoadTag = 'replace' | 'delete' | 'active' | 'unprotect';

export interface ConfigNode {
  /** Identity among siblings: ['system'], ['unit', '0'], ['ge-0/0/0'], ['route-filter', '10.0.0.0/8', 'exact']. */
  words: string[];
  kind: StatementKind;
  /** Leaf: its value words; leaf-list: its values; list entries with entryValues: what follows the name. */
  values: string[];
  children: ConfigNode[];
  /** The statement's definition, when the schema knows it. */
  spec?: StatementSpec;
  /** Container and list: the schema of what is inside. */
  block?: SchemaNode;
  /** A named entry: its first word is a name, not a keyword (`ge-0/0/0`, `192.0.2.53`). */
  named?: boolean;
  inactive?: boolean;
  protect?: boolean;
  /** `/* … *\/` text placed above the statement. */
  annotation?: string;
  /** Only in trees parsed for loading. */
  tags?: Set<LoadTag>;
}

export function newRoot(): ConfigNode {
  return { words: [], kind: 'container', values: [], children: [], block: ROOT };
}

export function keyOf(n: ConfigNode): string {
  return n.words.join(' ');
}

export function isBlock(n: ConfigNode): boolean {
  return n.kind === 'container' || n.kind === 'list';
}

export function cloneTree(n: ConfigNode): ConfigNode {
  return { ...n, words: [...n.words], values: [...n.values], children: n.children.map(cloneTree), tags: n.tags ? new Set(n.tags) : undefined };
}

export function findChild(parent: ConfigNode, key: string): ConfigNode | undefined {
  return parent.children.find((c) => keyOf(c) === key);
}

function rank(parent: ConfigNode, child: ConfigNode): number {
  return printRank(parent.block, child.words[0] ?? '', child.named === true);
}

/** Adds `child` where Junos would print it: after the siblings that print before or with it. */
export function insertChild(parent: ConfigNode, child: ConfigNode): void {
  const r = rank(parent, child);
  let at = parent.children.length;
  while (at > 0 && rank(parent, parent.children[at - 1]!) > r) at -= 1;
  parent.children.splice(at, 0, child);
}

export function removeChild(parent: ConfigNode, child: ConfigNode): void {
  const i = parent.children.indexOf(child);
  if (i >= 0) parent.children.splice(i, 1);
}

/** The tree without inactive statements: what the router actually runs and checks. */
export function activePart(n: ConfigNode): ConfigNode {
  return { ...n, children: n.children.filter((c) => !c.inactive).map(activePart) };
}

// ---- reading helpers for validators and operational commands

/** The descendant reached by following keys (`child(root, 'protocols', 'bgp')`). */
export function child(n: ConfigNode | undefined, ...keys: string[]): ConfigNode | undefined {
  let at = n;
  for (const k of keys) {
    if (!at) return undefined;
    at = findChild(at, k);
  }
  return at;
}

/** Children whose first word is `keyword` (`entries(group, 'neighbor')`). */
export function entries(n: ConfigNode | undefined, keyword: string): ConfigNode[] {
  return n ? n.children.filter((c) => !c.named && c.words[0] === keyword) : [];
}

/** Named entries (interfaces, routing instances). */
export function namedEntries(n: ConfigNode | undefined): ConfigNode[] {
  return n ? n.children.filter((c) => c.named) : [];
}

/** The entry's name: `unit 0` → '0', `ge-0/0/0` → 'ge-0/0/0'. */
export function entryName(n: ConfigNode): string {
  return n.named ? n.words[0]! : (n.words[1] ?? '');
}

export function leafValue(n: ConfigNode | undefined, keyword: string): string | undefined {
  const leaf = n?.children.find((c) => c.words[0] === keyword && (c.kind === 'leaf' || c.kind === 'leaf-list'));
  return leaf ? leaf.values.join(' ') : undefined;
}

export function leafValues(n: ConfigNode | undefined, keyword: string): string[] {
  return n?.children.filter((c) => c.words[0] === keyword && (c.kind === 'leaf' || c.kind === 'leaf-list')).flatMap((c) => c.values) ?? [];
}

export function hasFlag(n: ConfigNode | undefined, keyword: string): boolean {
  return n?.children.some((c) => c.words[0] === keyword) ?? false;
}
