// "Open session in terminal": the `:session` shell of a block, on one of its
// hosts, handed to a terminal tab. The block is planned as a run would plan
// it (variables, inventory, hosts), so the tab gets the very session the
// block runs in, from the notebook's own pool (started now if no block of
// it has run yet). Like a run, it needs the notebook to be trusted.

import { formatMessage } from '../../notebook/messages.js';
import { scanNotebook } from '../../notebook/scan.js';
import { planRun } from '../../run/plan.js';
import { LOCAL_HOST, blockHostLabels, hostLabel } from '../../run/engine.js';
import type { HeldSessionRef } from '../../protocol.js';
import type { SessionHold, SessionHolder } from '../../targets/target.js';
import type { NotebookTargets } from './notebook-targets.js';
import type { OpenNotebook } from './open-notebook.js';

export async function openNotebookSession(
  nb: OpenNotebook,
  targets: NotebookTargets,
  sshConfig: string | null,
  ref: HeldSessionRef,
  holder: SessionHolder & { name(title: string): void },
  size: { cols: number; rows: number },
  signal: AbortSignal,
): Promise<{ hold: SessionHold } | { error: string }> {
  if (!nb.trusted) return { error: `${nb.name} is not trusted: its sessions open in a terminal only once you trust it (the banner above the editor names the hosts it reaches)` };
  if (targets.isClosed) return { error: `${nb.name} was closed` };
  const inventory = nb.loadedInventory();
  const plan = planRun(scanNotebook(nb.fileText, nb.name), { file: nb.name, cliVars: nb.variables(), selection: { block: ref.block }, ...(inventory ? { inventory } : {}) });
  if (plan.selectionError) return { error: plan.selectionError };
  const errors = plan.messages.filter((m) => m.severity === 'error');
  if (errors.length > 0) return { error: `${nb.name} has errors, so block ${ref.block}'s session was not opened: ${formatMessage(errors[0]!)}` };
  const p = plan.blocks.find((b) => b.number === ref.block);
  if (!p) return { error: `block ${ref.block} does not run (:eval no), so it has no session to open` };
  const name = p.args.session;
  if (name === null) return { error: `block ${ref.block} has no :session; only a :session block's shell can be opened in a terminal` };
  if (!blockHostLabels(p).includes(ref.host)) return { error: `block ${ref.block} does not run on ${ref.host} (it runs on ${blockHostLabels(p).join(', ')})` };
  const spec = p.hosts.find((h) => hostLabel(h) === ref.host);
  const target = targets.resolver(sshConfig).resolve(spec);
  if ('error' in target) return { error: target.error };
  const where = ref.host;
  holder.name(`${name}${where === LOCAL_HOST ? '' : ` @ ${where}`} · ${nb.name}`);
  let session;
  try {
    session = await targets.sessions.open(target, name);
  } catch (e) {
    return { error: `could not open session "${name}" on ${where}: ${(e as Error).message}` };
  }
  if (!session.takeOver) return { error: `session "${name}" on ${where} cannot be opened in a terminal: ${where} is a ${spec?.platform ?? 'remote'} host, whose sessions Modus cannot hand over` };
  const hold = await session.takeOver(holder, size, signal);
  return 'error' in hold ? hold : { hold };
}
