// The tree printed as Junos prints it: `show configuration` (four-space
// indentation, `name { … }`, `leaf value;`, `[ lists ]`, one-line `then
// accept;`, `inactive:` and `protect:` tags, `/* annotations */`,
// `## SECRET-DATA` trailers) and `| display set`.

import { quote, quoteIfNeeded } from './config-path.js';
import { isBlock, type ConfigNode } from './config-tree.js';

const INDENT = '    ';

function valueText(n: ConfigNode, value: string): string {
  return n.spec?.secret ? quote(value) : quoteIfNeeded(value);
}

/** The statement without its block or `;`: `unit 0`, `host-name r1`, `import [ A B ]`. */
export function statementText(n: ConfigNode): string {
  const words = n.words.map(quoteIfNeeded);
  if (n.kind === 'leaf-list') {
    const values = n.values.map((v) => valueText(n, v));
    return values.length === 1 ? `${words.join(' ')} ${values[0]}` : `${words.join(' ')} [ ${values.join(' ')} ]`;
  }
  return [...words, ...n.values.map((v) => valueText(n, v))].join(' ');
}

function trailer(n: ConfigNode): string {
  return n.spec?.secret ? ' ## SECRET-DATA' : '';
}

function tagPrefix(n: ConfigNode): string {
  return `${n.protect ? 'protect: ' : ''}${n.inactive ? 'inactive: ' : ''}`;
}

/** `then accept;`: a one-liner block whose only statement is simple and untagged. */
function oneLineChild(n: ConfigNode): ConfigNode | null {
  if (!n.spec?.oneLiner || n.children.length !== 1) return null;
  const only = n.children[0]!;
  return isBlock(only) || only.inactive || only.protect || only.annotation !== undefined ? null : only;
}

function printNode(n: ConfigNode, depth: number, out: string[]): void {
  const indent = INDENT.repeat(depth);
  if (n.annotation !== undefined) out.push(`${indent}/* ${n.annotation} */`);
  const head = `${indent}${tagPrefix(n)}${statementText(n)}`;
  if (!isBlock(n)) {
    out.push(`${head};${trailer(n)}`);
    return;
  }
  if (n.children.length === 0) {
    out.push(`${head};`);
    return;
  }
  const only = oneLineChild(n);
  if (only) {
    out.push(`${head} ${statementText(only)};${trailer(only)}`);
    return;
  }
  out.push(`${head} {`);
  for (const c of n.children) printNode(c, depth + 1, out);
  out.push(`${indent}}`);
}

/** Lines of the statements, starting at `depth` levels of indentation. */
export function curlyLines(nodes: readonly ConfigNode[], depth = 0): string[] {
  const out: string[] = [];
  for (const n of nodes) printNode(n, depth, out);
  return out;
}

/** A whole configuration (or a subtree's contents) as text ending in a newline; '' when empty. */
export function printCurly(root: ConfigNode): string {
  const lines = curlyLines(root.children);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function setLines(nodes: readonly ConfigNode[], prefix: readonly string[], out: string[]): void {
  for (const n of nodes) {
    const here = [...prefix, ...n.words.map(quoteIfNeeded)];
    const values = n.values.map((v) => valueText(n, v));
    if (n.kind === 'leaf-list') for (const v of values) out.push(`set ${[...here, v].join(' ')}`);
    else if (n.kind === 'leaf' || n.kind === 'flag' || n.kind === 'multi') out.push(`set ${[...here, ...values].join(' ')}`);
    else if (n.children.length === 0 || values.length > 0) out.push(`set ${[...here, ...values].join(' ')}`);
    if (isBlock(n)) setLines(n.children, here, out);
    if (n.inactive) out.push(`deactivate ${here.join(' ')}`);
    if (n.protect) out.push(`protect ${here.join(' ')}`);
  }
}

/** `| display set`: one command per leaf, with the full path from the top (`prefix`). */
export function printSet(nodes: readonly ConfigNode[], prefix: readonly string[] = []): string {
  const out: string[] = [];
  setLines(nodes, prefix, out);
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
