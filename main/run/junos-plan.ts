// The engine's side of Junos blocks: which hosts may run which blocks
// (junos blocks on Junos devices only, and Junos devices run nothing else),
// and the work a junos block asks of its target, decided here once at plan
// time so the target only carries it out.

import { basename } from 'node:path';
import type { BlockArgs } from '../notebook/header-args.js';
import { classifyJunosBody } from '../notebook/junos-block.js';
import { message } from '../notebook/messages.js';
import type { CodeBlock, NotebookMessage } from '../notebook/types.js';
import type { HostSpec, JunosWork } from '../targets/target.js';

export const JUNOS = 'junos';

/** Hosts that cannot run this block: a junos block on a host that is not a Junos device, or the other way round. */
export function platformProblems(block: CodeBlock, args: BlockArgs, hosts: readonly HostSpec[], file?: string): NotebookMessage[] {
  const hostArg = args.raw.find((a) => a.key === 'host');
  const at = hostArg?.valueAt ?? block.start;
  const out: NotebookMessage[] = [];
  for (const h of hosts) {
    if (h.local) {
      if (block.lang === JUNOS) out.push(message(at, `junos blocks run on Junos devices over NETCONF, not on ${h.label} (this machine)`, 'junos-platform', 'error', file));
      continue;
    }
    const junos = h.platform === JUNOS;
    if (block.lang === JUNOS && !junos) {
      const what = h.platform ? `a ${h.platform} host in the inventory` : 'not a Junos device in the inventory (hosts without a platform are reached as Linux over SSH)';
      out.push(message(at, `${h.label} is ${what}; junos blocks run on hosts with platform: junos (inventory.yaml: ${h.label}: { platform: junos })`, 'junos-platform', 'error', file));
    } else if (block.lang !== JUNOS && junos) {
      out.push(message(at, `${h.label} is a Junos device (platform: junos): it runs junos blocks only, and this is a ${block.lang} block`, 'junos-platform', 'error', file));
    }
  }
  return out;
}

/** The commit comment: which notebook and block made the change (shown by `show system commit`). */
export function commitLog(file: string, number: number, name: string | null): string {
  return `modus: ${basename(file)} block ${number}${name ? ` (${name})` : ''}`;
}

/** What a junos block asks of its target; undefined when its text is not a valid junos block (the plan reports why). */
export function junosWork(script: string, args: BlockArgs, log: string): JunosWork | undefined {
  const kind = classifyJunosBody(script);
  switch (kind.kind) {
    case 'op':
      return { kind: 'op', commands: kind.commands, format: args.format ?? 'text' };
    case 'empty':
      if (args.commit?.mode === 'confirm') return { kind: 'confirm', log };
      return args.commit?.mode === 'rollback' ? { kind: 'rollback', log } : undefined;
    case 'mixed':
      return undefined;
  }
  const c = args.commit ?? { mode: 'check' as const };
  if (c.mode === 'confirm' || c.mode === 'rollback') return undefined;
  const load = kind.kind === 'rollback'
    ? { format: 'rollback' as const, index: kind.index }
    : kind.style === 'set'
      ? { format: 'set' as const, text: script }
      : { format: 'text' as const, action: args.action === null || args.action === 'set' ? ('merge' as const) : args.action, text: script };
  return { kind: 'config', load, commit: c, private: args.private, log };
}
