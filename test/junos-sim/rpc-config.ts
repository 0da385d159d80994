// Configuration RPCs: locks, private candidates, load-configuration,
// get-configuration (text, set, XML, and compare="rollback"), discard, and
// their standard NETCONF counterparts (<lock>, <unlock>, <get-config>,
// <discard-changes>). Lock, unlock and open/close-configuration answer with
// an empty reply on success, as Junos does; the standard ones with <ok/>.

import type { Element } from '@xmldom/xmldom';
import { junosDate } from './clock.js';
import { LOAD_ACTIONS, type LoadAction } from './config-load.js';
import { errorCount, type LoadRequest } from './config-loading.js';
import { printCurly, printSet } from './config-print.js';
import { ROOT, type SchemaNode } from './config-schema.js';
import { findChild, newRoot, type ConfigNode } from './config-tree.js';
import { configurationXml } from './config-xml.js';
import { childElements, firstChild, textOf } from './netconf-message.js';
import type { RpcContext, RpcHandler } from './rpc-context.js';
import { fail, fromConfigError, rpcErrorXml, RpcFailure } from './rpc-error.js';
import { escapeText } from './xml-text.js';

function lockConfiguration(ctx: RpcContext): string {
  ctx.state.lock(ctx.owner);
  return '';
}

function unlockConfiguration(ctx: RpcContext): string {
  ctx.state.unlock(ctx.owner);
  return '';
}

/** <lock><target><candidate/></target></lock>: Junos locks the candidate for either target. */
function standardTarget(op: Element, parent: 'target' | 'source'): string {
  const holder = firstChild(op, parent);
  const which = holder ? childElements(holder)[0]?.localName : undefined;
  if (which !== 'candidate' && which !== 'running') fail(`<${parent}> must name candidate or running`, { type: 'protocol', tag: 'missing-element', badElement: which ?? parent });
  return which;
}

function lock(ctx: RpcContext, op: Element): string {
  standardTarget(op, 'target');
  ctx.state.lock(ctx.owner);
  return '<ok/>';
}

function unlock(ctx: RpcContext, op: Element): string {
  standardTarget(op, 'target');
  ctx.state.unlock(ctx.owner);
  return '<ok/>';
}

function openConfiguration(ctx: RpcContext, op: Element): string {
  const kinds = childElements(op).map((c) => c.localName);
  if (!kinds.includes('private')) fail(`open-configuration: only <private/> is supported by the Junos simulator`, { badElement: kinds[0] ?? 'open-configuration' });
  ctx.state.openPrivate(ctx.owner);
  return '';
}

function closeConfiguration(ctx: RpcContext): string {
  ctx.state.closePrivate(ctx.owner);
  return '';
}

function loadResults(problems: ReturnType<typeof fromConfigError>[], errors: number): string {
  return ['<load-configuration-results>', ...problems.map(rpcErrorXml), errors > 0 ? `<load-error-count>${errors}</load-error-count>` : '<ok/>', '</load-configuration-results>'].join('\n');
}

function loadConfiguration(ctx: RpcContext, op: Element): string {
  const rollback = op.getAttribute('rollback');
  if (rollback !== null && rollback !== '') {
    ctx.state.loadRollback(ctx.owner, Number(rollback));
    return loadResults([], 0);
  }
  if (op.getAttribute('url')) fail('load-configuration url="…" is not supported by the Junos simulator', { badElement: 'url' });
  if (op.getAttribute('rescue')) fail('Rescue configuration is not set', { type: 'application', badElement: 'rescue' });
  const action = op.getAttribute('action') || 'merge';
  const text = firstChild(op, 'configuration-text');
  const set = firstChild(op, 'configuration-set');
  const xml = firstChild(op, 'configuration');
  let request: LoadRequest;
  if (action === 'set' || set) {
    if (action !== 'set' && action !== 'merge') fail(`action "${action}" cannot load set commands`, { badElement: action });
    request = { kind: 'set', text: textOf(set ?? text) ?? '' };
  } else if (text) {
    if (!LOAD_ACTIONS.includes(action as LoadAction)) fail(`invalid load action "${action}"`, { type: 'protocol', tag: 'bad-attribute', badElement: action });
    request = { kind: 'text', action: action as LoadAction, text: textOf(text) ?? '' };
  } else if (xml) {
    fail('load-configuration with <configuration> XML is not supported by the Junos simulator: use format="text" or action="set"', { badElement: 'configuration' });
  } else {
    fail('load-configuration needs <configuration-text> or <configuration-set>', { type: 'protocol', tag: 'missing-element', badElement: 'load-configuration' });
  }
  let outcome;
  try {
    outcome = ctx.state.load(ctx.owner, request);
  } catch (err) {
    if (err instanceof RpcFailure) throw new RpcFailure(err.errors, { name: 'load-configuration-results', trailer: `<load-error-count>${err.errors.length}</load-error-count>` });
    throw err;
  }
  return loadResults(outcome.problems.map(fromConfigError), errorCount(outcome.problems));
}

/** `<configuration><system><services/></system></configuration>` as a filter: the statements it names. */
function filterTree(tree: ConfigNode, filter: Element | undefined): ConfigNode {
  if (!filter || childElements(filter).length === 0) return tree;
  const out = newRoot();
  const copy = (from: ConfigNode, into: ConfigNode, el: Element, block: SchemaNode | undefined) => {
    for (const want of childElements(el)) {
      const keyword = want.localName ?? '';
      const name = textOf(firstChild(want, 'name'))?.trim();
      const named = block?.named?.xmlName === keyword;
      const key = named ? name : name !== undefined ? `${keyword} ${name}` : keyword;
      const found = key === undefined ? undefined : findChild(from, key);
      if (!found) continue;
      const deeper = childElements(want).filter((c) => c.localName !== 'name');
      if (deeper.length === 0) {
        into.children.push(found);
        continue;
      }
      const shell: ConfigNode = { ...found, children: [] };
      into.children.push(shell);
      copy(found, shell, want, found.block);
    }
  };
  copy(tree, out, filter, ROOT);
  return out;
}

function getConfiguration(ctx: RpcContext, op: Element): string {
  const database = op.getAttribute('database') || 'candidate';
  if (database !== 'candidate' && database !== 'committed') fail(`database "${database}" is not supported by the Junos simulator`, { type: 'protocol', tag: 'bad-attribute', badElement: database });
  const format = op.getAttribute('format') || 'xml';
  if (op.getAttribute('compare') === 'rollback') {
    const n = Number(op.getAttribute('rollback') || '0');
    if (format !== 'text') fail('compare="rollback" is supported with format="text" only by the Junos simulator', { badElement: format });
    return ['<configuration-information>', `<configuration-output>\n${escapeText(ctx.state.compare(ctx.owner, n))}</configuration-output>`, '</configuration-information>'].join('\n');
  }
  const last = ctx.state.history[0]!;
  const tree = filterTree(database === 'committed' ? ctx.state.active : ctx.state.candidate(ctx.owner), firstChild(op, 'configuration'));
  const header = database === 'committed' ? `## Last commit: ${junosDate(last.at)} by ${last.user}` : `## Last changed: ${junosDate(ctx.state.clock.now())}`;
  switch (format) {
    case 'text':
      return `<configuration-text>\n${escapeText(`${header}\n${printCurly(tree)}`)}</configuration-text>`;
    case 'set':
      return `<configuration-set>\n${escapeText(printSet(tree.children))}</configuration-set>`;
    case 'xml':
      return configurationXml(tree, { seconds: Math.floor(last.at.getTime() / 1000), localtime: junosDate(last.at) });
    default:
      fail(`format "${format}" is not supported by the Junos simulator`, { type: 'protocol', tag: 'bad-attribute', badElement: format });
  }
}

/** Standard <get-config><source><running/>|<candidate/></source>: XML in <data>. */
function getConfig(ctx: RpcContext, op: Element): string {
  const source = standardTarget(op, 'source');
  const tree = source === 'running' ? ctx.state.active : ctx.state.candidate(ctx.owner);
  const filter = firstChild(op, 'filter');
  const last = ctx.state.history[0]!;
  return `<data>\n${configurationXml(filterTree(tree, filter && firstChild(filter, 'configuration')), { seconds: Math.floor(last.at.getTime() / 1000), localtime: junosDate(last.at) })}\n</data>`;
}

function discardChanges(ctx: RpcContext): string {
  ctx.state.discard(ctx.owner);
  return '<ok/>';
}

export const CONFIG_RPCS: Record<string, RpcHandler> = {
  'lock-configuration': lockConfiguration,
  'unlock-configuration': unlockConfiguration,
  lock,
  unlock,
  'open-configuration': openConfiguration,
  'close-configuration': closeConfiguration,
  'load-configuration': loadConfiguration,
  'get-configuration': getConfiguration,
  'get-config': getConfig,
  'discard-changes': discardChanges,
};
