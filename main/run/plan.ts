// Before anything runs: which blocks run, with what arguments and code. All
// problems (parse errors, notebooks beyond Modus's limits, bad header
// arguments, unknown variables, host names that are invalid or do not
// resolve, a bad selection) are found here, so a notebook with an error
// runs nothing. `modus check` reports exactly what this finds for the whole
// notebook; with a selection (--only, --block, --from) the blocks that will
// run are checked, and everything that is not a block's own (structure,
// front matter, the inventory file).

import { parseHeaderArgs, type BlockArgs } from '../notebook/header-args.js';
import { appendAll, capMessages, sortMessages } from '../notebook/messages.js';
import { blockVariables, notebookVariables, substituteBody, type Variables } from '../notebook/variables.js';
import type { CodeBlock, NotebookMessage, ScannedNotebook } from '../notebook/types.js';
import { identityOf, type BlockIdentity } from './notebook-file.js';
import { hostProblems, resolveHosts, type HostProblem, type Inventory, type LoadedInventory, type ResolvedHost } from '../inventory/inventory.js';
import type { HostSpec, JunosWork } from '../targets/target.js';
import { isRunnable } from '../notebook/runnable.js';
import { junosBlockProblems } from '../notebook/junos-block.js';
import { JUNOS, commitLog, junosWork, platformProblems } from './junos-plan.js';

export interface Selection {
  /** Only the block with this :name. */
  only?: string;
  /** Only block N (1-based, counting every fenced code block; results blocks not counted). */
  block?: number;
  /** Blocks N and after. */
  from?: number;
}

export interface PlannedBlock {
  block: CodeBlock;
  /** 1-based, as the CLI shows it. */
  number: number;
  args: BlockArgs;
  /** The code after variable substitution: exactly what is sent. */
  script: string;
  identity: BlockIdentity;
  /** The hosts it runs on, in the order :host names them (groups in inventory order); empty: locally. */
  hosts: HostSpec[];
  /** For a junos block: what its targets are to do (op commands, a change, a confirmation). */
  junos?: JunosWork;
}

export interface Plan {
  blocks: PlannedBlock[];
  /** Selected blocks that will not run (`:eval no`), with why. */
  skipped: { number: number; reason: string }[];
  /**
   * Errors (nothing may run when there is one) and warnings: the notebook's
   * own in document order, then the inventory's; at most MAX_PROBLEMS and
   * a last one saying there are more.
   */
  messages: NotebookMessage[];
  /** A problem with the selection itself (usage error). */
  selectionError?: string;
}

export interface PlanOptions {
  /** How the notebook is named in messages. */
  file: string;
  cliVars?: Variables;
  selection?: Selection;
  /**
   * The notebook's inventory (loadInventory). When given, the `:host` names
   * of every block that will run are resolved against it, and its own
   * problems count. Without it host names are not checked.
   */
  inventory?: LoadedInventory;
  /**
   * Run on… in the app: the one selected block runs on these host names
   * (groups and globs allowed) instead of its :host, checked the same way.
   */
  hostsOverride?: readonly string[];
}

export function planRun(nb: ScannedNotebook, options: PlanOptions): Plan {
  const { file, selection = {}, inventory } = options;
  const messages: NotebookMessage[] = nb.messages.map((m) => (m.file === undefined ? { ...m, file } : m));
  const base = notebookVariables(nb, options.cliVars ?? {}, file);
  appendAll(messages, base.messages);
  const plan: Plan = { blocks: [], skipped: [], messages };
  const chosen = select(nb, selection);
  if (typeof chosen === 'string') {
    plan.selectionError = chosen;
    plan.messages = ordered(messages, inventory, file);
    return plan;
  }
  const hostCache = new Map<string, HostProblem[]>();
  for (const block of chosen) {
    const number = block.index + 1;
    const parsed = parseHeaderArgs(block, file, base.vars);
    appendAll(messages, parsed.messages);
    const args = parsed.args;
    if (options.hostsOverride && chosen.length === 1) args.hosts = [...options.hostsOverride];
    if (!args.eval) {
      // Documentation: its text may show {{placeholders}} and hosts that
      // exist only in the reader's world (as in modus check).
      plan.skipped.push({ number, reason: ':eval no' });
      continue;
    }
    const body = substituteBody(block, blockVariables(base.vars, args.vars), file);
    appendAll(messages, body.messages);
    const hostMessages = inventory ? hostProblems(args, inventory.inventory, file, hostCache) : [];
    appendAll(messages, hostMessages);
    appendAll(messages, junosBlockProblems(block, args, body.text, file));
    const hosts = blockHosts(args.hosts, inventory?.inventory);
    // Platforms are known from the inventory only, and only for names it resolved.
    if (inventory && hostMessages.length === 0) appendAll(messages, platformProblems(block, args, hosts, file));
    const planned: PlannedBlock = { block, number, args, script: body.text, identity: identityOf(block, args.name), hosts };
    if (block.lang === JUNOS) {
      const work = junosWork(body.text, args, commitLog(file, number, args.name));
      if (work) planned.junos = work;
    }
    plan.blocks.push(planned);
  }
  plan.messages = ordered(messages, inventory, file);
  return plan;
}

/** The notebook's messages in document order, then the inventory's and any other file's, capped. */
function ordered(messages: NotebookMessage[], inventory: LoadedInventory | undefined, file: string): NotebookMessage[] {
  const own = messages.filter((m) => m.file === file);
  const others = messages.filter((m) => m.file !== file);
  const out = sortMessages(own);
  if (inventory) appendAll(out, sortMessages(inventory.messages));
  appendAll(out, sortMessages(others));
  return capMessages(out);
}

function select(nb: ScannedNotebook, s: Selection): CodeBlock[] | string {
  const count = nb.blocks.length;
  if (s.only !== undefined) {
    const named = nb.blocks.filter((b) => parseHeaderArgs(b).args.name === s.only);
    if (named.length === 0) {
      const names = nb.blocks.map((b) => parseHeaderArgs(b).args.name).filter((n): n is string => n !== null);
      return `no block has :name ${s.only}${names.length > 0 ? `; names in this notebook: ${names.join(', ')}` : '; this notebook names no blocks'}`;
    }
    return named;
  }
  const check = (n: number, flag: string): string | null =>
    n >= 1 && n <= count ? null : `${flag} ${n}: this notebook has ${count} code block${count === 1 ? '' : 's'} (numbered from 1)`;
  if (s.block !== undefined) {
    const bad = check(s.block, '--block');
    if (bad) return bad;
    const block = nb.blocks[s.block - 1]!;
    if (!isRunnable(block)) return `--block ${s.block}: that block is ${block.lang === '' ? 'a fence without a language' : `a "${block.lang}" block without header arguments`}, which Modus does not run`;
    return [block];
  }
  if (s.from !== undefined) {
    const bad = check(s.from, '--from');
    if (bad) return bad;
    return nb.blocks.slice(s.from - 1).filter(isRunnable);
  }
  return nb.blocks.filter(isRunnable);
}

/**
 * A block's :host names as hosts to run on. With an inventory, groups and
 * globs expand; without one (no check was asked for), the names are taken
 * as written. A name reached as two users is labelled `user@name` both times.
 */
export function blockHosts(names: readonly string[], inventory: Inventory | undefined): HostSpec[] {
  if (names.length === 0) return [];
  const resolved: ResolvedHost[] = inventory
    ? resolveHosts(names.join(','), inventory).hosts
    : names.map((n) => (n === 'local' || n === 'localhost' ? { name: n, source: 'local' as const } : { name: n, source: 'address' as const }));
  const count = new Map<string, number>();
  for (const h of resolved) count.set(h.name, (count.get(h.name) ?? 0) + 1);
  return resolved.map((h) => hostSpec(h, (count.get(h.name) ?? 0) > 1 && h.user !== undefined ? `${h.user}@${h.name}` : h.name));
}

/** A resolved host as the run takes it (also what `modus hosts` shows it by): only an inventory's address is one to connect to. */
export function hostSpec(h: ResolvedHost, label: string): HostSpec {
  const spec: HostSpec = { label };
  if (h.source === 'local') spec.local = true;
  if (h.address !== undefined && h.source === 'inventory') spec.address = h.address;
  if (h.user !== undefined) spec.user = h.user;
  if (h.port !== undefined) spec.port = h.port;
  if (h.platform !== undefined) spec.platform = h.platform;
  return spec;
}
