// A run started from the app: the same engine, planning and targets as
// `modus run`. What runs is what the user sees: an editor with unsaved edits
// is saved first (results must go under the code that produced them), and
// the file must be what the editor shows. The run writes its results to
// the file (as the CLI does, under the lock) and each block's results go
// into the editor where the block is by then. Targets and `:session` shells
// are the notebook's (notebook-targets.ts): they outlive the run.

import { formatMessage, hasErrors } from '../../notebook/messages.js';
import { loadInventory } from '../../inventory/inventory.js';
import { runBlocks, type ConfirmAnswer, type ConfirmRequest, type RunEvent } from '../../run/engine.js';
import { NotebookFile, NotebookFileError } from '../../run/notebook-file.js';
import { planRun, type Selection } from '../../run/plan.js';
import type { NotebookRunSummary, RunSelection } from '../../protocol.js';
import type { LiveOutput } from './live-output.js';
import type { NotebookTargets } from './notebook-targets.js';
import type { NotebookContext, OpenNotebook, RunningBlock } from './open-notebook.js';

export interface RunRequest {
  run: number;
  selection: RunSelection;
  keepGoing: boolean;
  vars: Record<string, string>;
}

export interface RunHooks {
  streams: LiveOutput;
  /** Asks the user about a :confirm block (a dialog in the renderer). */
  confirm(q: ConfirmRequest): Promise<ConfirmAnswer>;
  /** The notebook's targets and sessions (they ask for passwords through the renderer). */
  targets: NotebookTargets;
}

const MAX_PROBLEMS_SHOWN = 5;

function selectionOf(s: RunSelection): Selection {
  if (s.kind === 'block') return { block: s.number };
  if (s.kind === 'from') return { from: s.number };
  return {};
}

/** Runs the request to its end; returns what the renderer is told in nb.run.done. Never throws. */
export async function runFromApp(nb: OpenNotebook, ctx: NotebookContext, req: RunRequest, hooks: RunHooks, signal: AbortSignal): Promise<NotebookRunSummary> {
  const refuse = (problem: string): NotebookRunSummary => {
    nb.error(problem);
    return { counts: {}, notRun: 0, problems: [problem] };
  };
  if (!nb.trusted) return refuse(`${nb.name} is not trusted: nothing runs until you trust it (the banner above the editor names the hosts it would reach)`);
  if (nb.dirty) {
    if (nb.readOnly) return refuse(`${nb.name} cannot run: ${nb.readOnly}, and the editor's text differs from the file`);
    if (!(await nb.save(nb.mirror.version))) return refuse(`${nb.name} was not run: it could not be saved first (see above); what runs must be what you see`);
  }
  let file: NotebookFile;
  try {
    file = await NotebookFile.open(nb.path);
  } catch (e) {
    return refuse(e instanceof NotebookFileError ? e.message : `cannot read ${nb.path}: ${(e as Error).message}`);
  }
  if (file.notebook.text !== nb.fileText && !nb.readOnly) {
    void nb.checkDisk();
    return refuse(`${nb.name} changed on disk since the editor read it; nothing was run (review the change first)`);
  }
  const sshConfig = ctx.sshConfig();
  let inventory;
  try {
    inventory = await loadInventory({ notebookPath: nb.path, declared: file.notebook.frontMatter?.data?.inventory, ...(sshConfig !== null ? { sshConfigPath: sshConfig } : {}) });
  } catch (e) {
    return refuse(`cannot read the inventory: ${(e as Error).message}; nothing was run`);
  }
  const hostsOverride = req.selection.kind === 'block' ? req.selection.hosts : undefined;
  const plan = planRun(file.notebook, { file: nb.name, cliVars: { ...nb.variables(), ...req.vars }, selection: selectionOf(req.selection), inventory, ...(hostsOverride ? { hostsOverride } : {}) });
  if (plan.selectionError) return refuse(plan.selectionError);
  if (hasErrors(plan.messages)) {
    const errors = plan.messages.filter((m) => m.severity === 'error');
    const shown = errors.slice(0, MAX_PROBLEMS_SHOWN).map(formatMessage);
    if (errors.length > shown.length) shown.push(`… and ${errors.length - shown.length} more (see the problems in the editor)`);
    nb.error(`${nb.name} has errors; nothing was run:\n${shown.join('\n')}`);
    return { counts: {}, notRun: plan.blocks.length, problems: shown };
  }
  if (plan.blocks.length === 0) return refuse('no runnable block was selected');

  // Every planned block is followed through the user's edits from now on.
  const since = new Date().toISOString();
  const blocks = new Map<number, RunningBlock>();
  for (const p of plan.blocks) {
    const range = nb.mirror.track(nb.editorOffset(p.block.span.start), nb.editorOffset(p.block.span.end));
    const rb: RunningBlock = { range, state: 'queued', since, runId: req.run };
    blocks.set(p.number, rb);
    nb.running.add(rb);
  }
  const streams = new Map<string, number>();
  /** Blocks that left, confirmed or rolled back a commit confirmed on some host (what the journal's pending commits come from). */
  const pendingChanged = new Set<number>();
  /** `handedOver`: the editor's results edit follows the block from here (and stops when it is in). */
  const finish = (n: number, handedOver = false): void => {
    const rb = blocks.get(n);
    if (!rb) return;
    blocks.delete(n);
    nb.running.delete(rb);
    if (!handedOver) nb.mirror.untrack(rb.range);
  };
  nb.writers.add(file);
  nb.analyzeSoon(0);
  const ended = hooks.targets.using();
  try {
    const summary = await runBlocks({
      notebook: file,
      blocks: plan.blocks,
      resolver: hooks.targets.resolver(sshConfig),
      keep: { sessions: hooks.targets.sessions },
      signal,
      jobs: 1,
      keepGoing: req.keepGoing,
      confirm: hooks.confirm,
      onEvent: (e: RunEvent) => {
        switch (e.kind) {
          case 'block-start': {
            const rb = blocks.get(e.number);
            if (rb) Object.assign(rb, { state: 'running', since: new Date().toISOString() });
            nb.analyzeSoon(0);
            break;
          }
          case 'host-waiting': {
            const rb = blocks.get(e.number);
            if (rb) Object.assign(rb, e.why !== null ? { state: 'waiting', note: e.why } : { state: 'running', note: null, since: new Date().toISOString() });
            nb.analyzeSoon(0);
            break;
          }
          case 'host-start':
            streams.set(`${e.number}\0${e.host}`, hooks.streams.open(nb.doc, req.run, e.number, e.host));
            break;
          case 'host-output': {
            const s = streams.get(`${e.number}\0${e.host}`);
            if (s !== undefined) hooks.streams.write(s, e.bytes);
            break;
          }
          case 'host-end': {
            if (e.result.pendingRollback !== undefined) pendingChanged.add(e.number);
            const key = `${e.number}\0${e.host}`;
            const s = streams.get(key);
            if (s !== undefined) hooks.streams.end(s, e.result.status);
            streams.delete(key);
            break;
          }
          case 'block-end': {
            const rb = blocks.get(e.number);
            if (e.write?.written) nb.diskWritten(file.notebook.text);
            if (rb && e.entries) nb.applyResults(rb, e.number, e.entries, e.mode);
            finish(e.number, rb !== undefined && e.entries !== null);
            nb.analyzeSoon(0);
            // Its journal records are written (block-end waits for them): a commit confirmed it made, confirmed or rolled back shows now.
            if (pendingChanged.delete(e.number)) nb.refreshPending();
            break;
          }
          case 'problem':
            nb.error(e.number !== undefined ? `block ${e.number}: ${e.message}` : e.message);
            break;
        }
      },
    });
    const counts: NotebookRunSummary['counts'] = {};
    for (const b of summary.blocks) for (const h of b.hosts) counts[h.status] = (counts[h.status] ?? 0) + 1;
    return { counts, notRun: plan.blocks.length - summary.blocks.length, problems: summary.problems };
  } catch (e) {
    return refuse(`the run stopped: ${(e as Error).message}`);
  } finally {
    for (const n of [...blocks.keys()]) finish(n);
    nb.writers.delete(file);
    nb.analyzeSoon(0);
    await ended();
  }
}
