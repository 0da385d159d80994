// Commit RPCs. Junos's own <commit-configuration> takes <check/>,
// <confirmed/> with <confirm-timeout> in MINUTES (default 10) and <log>; it
// answers with <commit-results><routing-engine>…<commit-success/>. The
// standard <commit> takes <confirm-timeout> in SECONDS (default 600), which
// Junos turns into whole minutes — so a minutes value sent there (5) becomes
// "rollback in 0mins" and an immediate rollback, the trap ncclient#238
// describes; the simulator does the same. <persist>/<persist-id> (RFC 6241)
// let a later commit confirm a specific confirmed commit and fail clearly
// when it is gone. <validate> is a commit check; <cancel-commit> rolls back
// a pending confirmed commit now.

import type { Element } from '@xmldom/xmldom';
import { firstChild, textOf } from './netconf-message.js';
import type { RpcContext, RpcHandler } from './rpc-context.js';
import { fail, RpcFailure } from './rpc-error.js';
import { showSystemCommit } from './op-show-system.js';

function routingEngine(result: 'commit-success' | 'commit-check-success'): string {
  return ['<commit-results>', '<routing-engine junos:style="normal">', '<name>re0</name>', `<${result}/>`, '</routing-engine>', '</commit-results>'].join('\n');
}

function timeout(op: Element, min: number, max: number): number | undefined {
  const raw = textOf(firstChild(op, 'confirm-timeout'))?.trim();
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) fail(`Value ${raw} is not within range (${min}..${max})`, { type: 'protocol', tag: 'invalid-value', badElement: 'confirm-timeout' });
  return n;
}

function commitConfiguration(ctx: RpcContext, op: Element): string {
  if (firstChild(op, 'at-time')) fail('commit at-time is not supported by the Junos simulator', { badElement: 'at-time' });
  const check = firstChild(op, 'check') !== undefined;
  const confirmed = firstChild(op, 'confirmed') !== undefined;
  const minutes = timeout(op, 1, 65535);
  const log = textOf(firstChild(op, 'log'));
  ctx.state.commit(ctx.owner, { check, confirmMinutes: confirmed ? (minutes ?? 10) : undefined, log });
  return routingEngine(check ? 'commit-check-success' : 'commit-success');
}

function unwrapped<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    // The standard operations answer with bare rpc-errors, not inside <commit-results>.
    if (err instanceof RpcFailure && err.wrapper) throw new RpcFailure(err.errors);
    throw err;
  }
}

function commit(ctx: RpcContext, op: Element): string {
  const confirmed = firstChild(op, 'confirmed') !== undefined;
  const seconds = timeout(op, 1, 65535 * 60);
  const persist = textOf(firstChild(op, 'persist'))?.trim();
  const persistId = textOf(firstChild(op, 'persist-id'))?.trim();
  if (persistId !== undefined) ctx.state.checkPersistId(persistId);
  const minutes = confirmed ? Math.floor((seconds ?? 600) / 60) : undefined;
  unwrapped(() => ctx.state.commit(ctx.owner, { confirmMinutes: minutes, persist }));
  return '<ok/>';
}

function validate(ctx: RpcContext, op: Element): string {
  const source = firstChild(op, 'source');
  if (!source || !firstChild(source, 'candidate')) fail('validate: only <source><candidate/></source> is supported', { type: 'protocol', tag: 'missing-element', badElement: 'source' });
  unwrapped(() => ctx.state.commit(ctx.owner, { check: true }));
  return '<ok/>';
}

function cancelCommit(ctx: RpcContext, op: Element): string {
  const persistId = textOf(firstChild(op, 'persist-id'))?.trim();
  if (persistId !== undefined) ctx.state.checkPersistId(persistId);
  ctx.state.cancelPending();
  return '<ok/>';
}

function getCommitInformation(ctx: RpcContext): string {
  return showSystemCommit(ctx.op).xml;
}

export const COMMIT_RPCS: Record<string, RpcHandler> = {
  'commit-configuration': commitConfiguration,
  commit,
  validate,
  'cancel-commit': cancelCommit,
  'get-commit-information': getCommitInformation,
};
