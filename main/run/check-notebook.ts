// Everything that would stop `modus run` before it runs anything, and the
// results that no longer describe their block: what `modus check` prints,
// what `modus export` badges stale, what the app shows. One function for all.

import { scanNotebook } from '../notebook/scan.js';
import { appendAll, capMessages, sortMessages } from '../notebook/messages.js';
import type { NotebookMessage } from '../notebook/types.js';
import { loadInventory } from '../inventory/inventory.js';
import { planRun } from './plan.js';
import { staleResultMessages } from './stale-results.js';

export interface CheckOptions {
  /** How the notebook is named in messages (defaults to the path as given). */
  displayName?: string;
  vars?: Record<string, string>;
  inventory?: string;
  /** Defaults to ~/.ssh/config; null ignores it (tests). */
  sshConfigPath?: string | null;
}

/**
 * All problems of a notebook's text: the notebook's own in document order,
 * then those of its inventory file. The same planning `modus run` does
 * before it starts, over every block it would run.
 */
export async function checkNotebookText(text: string, notebookPath: string, options: CheckOptions = {}): Promise<NotebookMessage[]> {
  const file = options.displayName ?? notebookPath;
  const nb = scanNotebook(text, file);
  const loaded = await loadInventory({
    notebookPath,
    declared: nb.frontMatter?.data?.inventory,
    ...(options.inventory !== undefined ? { cliInventory: options.inventory } : {}),
    ...(options.sshConfigPath !== undefined ? { sshConfigPath: options.sshConfigPath } : {}),
  });
  const plan = planRun(nb, { file, cliVars: options.vars ?? {}, inventory: loaded });
  const errorLines = new Set(plan.messages.filter((m) => m.severity === 'error' && m.file === file).map((m) => m.line));
  const stale = staleResultMessages(nb, plan.blocks, errorLines, file);
  if (stale.length === 0) return plan.messages;
  // The notebook's own messages in document order with the stale ones among them, then the inventory's.
  const own = plan.messages.filter((m) => m.file === file);
  const others = plan.messages.filter((m) => m.file !== file);
  const out = sortMessages([...own, ...stale]);
  appendAll(out, others);
  return capMessages(out);
}
