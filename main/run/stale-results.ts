// Results that no longer describe their block: the block's code, variables,
// arguments or hosts changed since they were written. Each results block
// carries the hash of what ran (ran-hash.ts); this compares it with what
// would run now. `modus check` reports these as warnings, and the app marks
// the block stale; neither guesses: results without a hash (written by hand
// or by an older Modus) are not judged.

import { message } from '../notebook/messages.js';
import { lineIndex } from '../notebook/line-index.js';
import type { NotebookMessage, ResultsBlock, ScannedNotebook } from '../notebook/types.js';
import { LOCAL_HOST, hostLabel } from './engine.js';
import type { PlannedBlock } from './plan.js';
import { RAN_HASH_ATTR, ranHash } from './ran-hash.js';

export const STALE_RULE = 'stale-results';

export type Staleness =
  | { kind: 'changed'; host: string; at: string | null; results: ResultsBlock }
  | { kind: 'host-dropped'; host: string; results: ResultsBlock }
  | { kind: 'host-missing'; host: string };

/** What is stale in one planned block's results; empty when they are current or were never judged. */
export function blockStaleness(p: PlannedBlock): Staleness[] {
  // With `:results append` a host has several results: the last one is the one that counts.
  const latest = new Map<string, { results: ResultsBlock; attrs: Map<string, string> }>();
  for (const results of p.block.results) {
    const attrs = new Map(results.attrs);
    if (attrs.has(RAN_HASH_ATTR)) latest.set(attrs.get('host') ?? LOCAL_HOST, { results, attrs });
  }
  if (latest.size === 0) return [];
  const what = { lang: p.block.lang, script: p.script, args: p.args };
  const expected = new Map<string, string>();
  if (p.hosts.length === 0) expected.set(LOCAL_HOST, ranHash(what, undefined));
  for (const h of p.hosts) expected.set(hostLabel(h), ranHash(what, h));
  const out: Staleness[] = [];
  for (const [host, { results, attrs }] of latest) {
    const want = expected.get(host);
    if (want === undefined) out.push({ kind: 'host-dropped', host, results });
    else if (attrs.get(RAN_HASH_ATTR) !== want) out.push({ kind: 'changed', host, at: attrs.get('at') ?? null, results });
  }
  for (const host of expected.keys()) if (!latest.has(host)) out.push({ kind: 'host-missing', host });
  return out;
}

/**
 * Warnings for every stale result of the planned blocks, positioned at the
 * results block (or at the code block for a host without results). Blocks
 * whose planning found an error are skipped: what would run is not known.
 */
export function staleResultMessages(nb: ScannedNotebook, blocks: readonly PlannedBlock[], errorLines: ReadonlySet<number>, file?: string): NotebookMessage[] {
  const lineOf = lineIndex(nb.text);
  const out: NotebookMessage[] = [];
  for (const p of blocks) {
    const first = p.block.start.line;
    const last = lineOf(p.block.span.end - 1);
    let broken = false;
    for (let line = first; line <= last && !broken; line++) broken = errorLines.has(line);
    if (broken) continue;
    const again = `run it again to refresh them (modus run --block ${p.number})`;
    for (const s of blockStaleness(p)) {
      if (s.kind === 'host-missing') {
        out.push(message(p.block.start, `block ${p.number} has no results for ${s.host}, which it now runs on; ${again}`, STALE_RULE, 'warning', file));
        continue;
      }
      const at = { line: lineOf(s.results.span.start), column: 1 };
      const reason =
        s.kind === 'changed'
          ? `results of block ${p.number} on ${s.host}${s.at ? ` (run ${s.at})` : ''} are stale: the block's code, its variables, its arguments or its host changed since; ${again}`
          : `results of block ${p.number} on ${s.host} are stale: the block no longer runs on ${s.host}; ${again}`;
      out.push(message(at, reason, STALE_RULE, 'warning', file));
    }
  }
  return out;
}
