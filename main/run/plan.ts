// Before anything runs: which blocks run, with what arguments and code. All
// problems (parse errors, bad header arguments, unknown variables, a bad
// selection) are found here, so a notebook with an error runs nothing.

import { parseHeaderArgs, type BlockArgs } from '../notebook/header-args.js';
import { blockVariables, notebookVariables, substituteBody, type Variables } from '../notebook/variables.js';
import type { CodeBlock, NotebookMessage, ScannedNotebook } from '../notebook/types.js';
import { identityOf, type BlockIdentity } from './notebook-file.js';
import { isRunnable } from '../notebook/runnable.js';

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
}

export interface Plan {
  blocks: PlannedBlock[];
  /** Selected blocks that will not run (`:eval no`), with why. */
  skipped: { number: number; reason: string }[];
  /** Errors (nothing may run when there is one) and warnings. */
  messages: NotebookMessage[];
  /** A problem with the selection itself (usage error). */
  selectionError?: string;
}


export function planRun(nb: ScannedNotebook, options: { file: string; cliVars?: Variables; selection?: Selection }): Plan {
  const { file, selection = {} } = options;
  const messages: NotebookMessage[] = [...nb.messages];
  const base = notebookVariables(nb, options.cliVars ?? {}, file);
  messages.push(...base.messages);
  const plan: Plan = { blocks: [], skipped: [], messages };
  const chosen = select(nb, selection);
  if (typeof chosen === 'string') {
    plan.selectionError = chosen;
    return plan;
  }
  for (const block of chosen) {
    const number = block.index + 1;
    const parsed = parseHeaderArgs(block, file, base.vars);
    messages.push(...parsed.messages);
    const args = parsed.args;
    const body = substituteBody(block, blockVariables(base.vars, args.vars), file);
    messages.push(...body.messages);
    if (!args.eval) {
      plan.skipped.push({ number, reason: ':eval no' });
      continue;
    }
    plan.blocks.push({ block, number, args, script: body.text, identity: identityOf(block, args.name) });
  }
  return plan;
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
