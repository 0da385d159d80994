// What the app shows about a notebook's text, computed by the engine's own
// code (scan, plan, staleness): blocks and their lines, results, stale
// results, problems, variables, the hosts it targets. The renderer draws
// it and decides nothing about the notebook's grammar.

import { formatMessage } from '../../notebook/messages.js';
import { isRunnable } from '../../notebook/runnable.js';
import { scanNotebook } from '../../notebook/scan.js';
import { lineIndex } from '../../notebook/line-index.js';
import { findVariableRefs, notebookVariables } from '../../notebook/variables.js';
import type { NotebookMessage } from '../../notebook/types.js';
import type { LoadedInventory } from '../../inventory/inventory.js';
import { planRun, type PlannedBlock } from '../../run/plan.js';
import { blockHostLabels } from '../../run/engine.js';
import { STALE_RULE, staleResultMessages } from '../../run/stale-results.js';
import type { BlockRunState, BlockView, NotebookAnalysis, NotebookProblem, VariableView } from '../../protocol.js';
import { parseHeaderArgs } from '../../notebook/header-args.js';

export interface AnalysisInput {
  text: string;
  version: number;
  /** How messages name the notebook. */
  file: string;
  inventory?: LoadedInventory;
  /** Values set in the app's variables panel (they override front matter, as --var does). */
  vars: Record<string, string>;
  /** Run state of the block whose opening fence starts at this offset. */
  runStateAt(offset: number): { state: BlockRunState; since: string; runId: number; note?: string } | null;
}

export function analyzeNotebook(input: AnalysisInput): NotebookAnalysis {
  const nb = scanNotebook(input.text, input.file);
  const plan = planRun(nb, { file: input.file, cliVars: input.vars, ...(input.inventory ? { inventory: input.inventory } : {}) });
  const lineOf = lineIndex(input.text);
  const errorLines = new Set(plan.messages.filter((m) => m.severity === 'error' && m.file === input.file).map((m) => m.line));
  const stale = staleResultMessages(nb, plan.blocks, errorLines, input.file);
  const planned = new Map<number, PlannedBlock>(plan.blocks.map((p) => [p.block.index, p]));

  const blocks: BlockView[] = nb.blocks.map((b) => {
    const p = planned.get(b.index);
    const args = p?.args ?? parseHeaderArgs(b, input.file).args;
    const endLine = lineOf(Math.max(b.span.start, b.span.end - 1));
    const results = b.results.map((r) => {
      const attrs = new Map(r.attrs);
      return {
        host: attrs.get('host') ?? 'local',
        status: attrs.get('status') ?? '',
        at: attrs.get('at') ?? null,
        took: attrs.get('took') ?? null,
        startLine: lineOf(r.span.start),
        endLine: lineOf(Math.max(r.span.start, r.span.end - 1)),
      };
    });
    return {
      number: b.index + 1,
      startLine: b.start.line,
      endLine,
      lang: b.lang,
      name: args.name,
      runnable: isRunnable(b) && args.eval,
      hosts: [...args.hosts],
      confirm: args.confirm,
      session: args.session !== null && isRunnable(b) && args.eval ? { name: args.session, hosts: sessionHosts(p) } : null,
      results,
      stale: [],
      run: input.runStateAt(b.span.start),
    };
  });
  // Each stale warning sits on its block's opening line or on one of its results blocks.
  const byLine = new Map<number, BlockView>();
  for (const v of blocks) {
    byLine.set(v.startLine, v);
    for (const r of v.results) byLine.set(r.startLine, v);
  }
  for (const m of stale) byLine.get(m.line)?.stale.push(m.reason);

  const problems: NotebookProblem[] = [...plan.messages, ...stale.filter((m) => m.ruleId === STALE_RULE)].map((m) => problemOf(m, input.file));
  return {
    version: input.version,
    title: titleOf(nb.frontMatter?.data?.title),
    blocks,
    problems,
    variables: variablesOf(nb, input.vars),
    hosts: [...new Set(plan.blocks.flatMap((p) => (p.hosts.length === 0 ? ['this machine'] : p.hosts.map((h) => (h.local ? 'this machine' : h.label)))))],
    inventory: {
      hosts: input.inventory ? [...input.inventory.inventory.hosts.keys()] : [],
      groups: input.inventory ? [...input.inventory.inventory.groups.keys()] : [],
    },
  };
}

/** The hosts a :session block's sessions live on (labels, as runs name them); empty when its hosts cannot be resolved now. */
function sessionHosts(p: PlannedBlock | undefined): string[] {
  return p ? blockHostLabels(p) : [];
}

function titleOf(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

function problemOf(m: NotebookMessage, file: string): NotebookProblem {
  // A problem of another file (the inventory) is shown at the top, naming where it is.
  const own = m.file === undefined || m.file === file;
  return {
    line: own ? m.line : 1,
    column: own ? m.column : 1,
    message: own ? m.reason : formatMessage(m),
    rule: m.ruleId,
    severity: m.severity,
  };
}

/** Front matter variables with their values, then names blocks use that nothing defines (the panel asks for them). */
function variablesOf(nb: ReturnType<typeof scanNotebook>, panel: Record<string, string>): VariableView[] {
  const declared = notebookVariables(nb, {}).vars;
  const out: VariableView[] = Object.entries(declared).map(([name, value]) => ({ name, value }));
  const known = new Set(Object.keys(declared));
  for (const b of nb.blocks) {
    const blockOwn = new Set(parseHeaderArgs(b).args.vars.map(([k]) => k));
    for (const ref of [...findVariableRefs(b.argsText), ...findVariableRefs(b.body)]) {
      if (ref.escape || known.has(ref.name) || blockOwn.has(ref.name)) continue;
      known.add(ref.name);
      out.push({ name: ref.name, value: panel[ref.name] ?? null });
    }
  }
  return out;
}
