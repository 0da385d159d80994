// show configuration [path…] [| display set]: the active configuration, or
// the part of it below a path, as the CLI prints it.

import { junosDate } from './clock.js';
import { findPath } from './config-edit.js';
import { resolve } from './config-path.js';
import { printCurly, printSet } from './config-print.js';
import { ROOT } from './config-schema.js';
import { isBlock, newRoot, type ConfigNode } from './config-tree.js';
import { configurationXml } from './config-xml.js';
import type { OpContext, OpOutput } from './op-types.js';
import { fail } from './rpc-error.js';

/** A tree holding only the statements on the way to `chain`'s last one (for XML). */
function pathOnly(chain: readonly ConfigNode[]): ConfigNode {
  const root = newRoot();
  let parent = root;
  chain.forEach((n, i) => {
    const copy: ConfigNode = i === chain.length - 1 ? n : { ...n, children: [] };
    parent.children.push(copy);
    parent = copy;
  });
  return root;
}

export function showConfiguration(ctx: OpContext, path: string[], displaySet: boolean): OpOutput {
  const active = ctx.state.active;
  const last = ctx.state.history[0]!;
  const changed = { seconds: Math.floor(last.at.getTime() / 1000), localtime: junosDate(last.at) };
  if (path.length === 0) {
    const text = displaySet ? printSet(active.children) : `## Last commit: ${junosDate(last.at)} by ${last.user}\n${printCurly(active)}`;
    return { text: text.replace(/\n$/, ''), xml: configurationXml(active, changed), textWrapper: 'configuration-output' };
  }
  const resolved = resolve(ROOT, path, 'lookup', active);
  if (resolved.error) fail('syntax error', { badElement: resolved.error.badElement });
  const found = findPath(active, resolved.steps);
  if (!found) return { text: '', xml: configurationXml(newRoot(), changed), textWrapper: 'configuration-output' };
  const prefix = found.chain.slice(0, -1).flatMap((n) => n.words);
  let text: string;
  if (displaySet) text = isBlock(found.node) ? printSet(found.node.children, [...prefix, ...found.node.words]) : printSet([found.node], prefix);
  else text = isBlock(found.node) ? printCurly(found.node) : printCurly({ ...newRoot(), children: [found.node] });
  return { text: text.replace(/\n$/, ''), xml: configurationXml(pathOnly(found.chain), changed), textWrapper: 'configuration-output' };
}
