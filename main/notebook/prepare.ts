// Everything the engine needs to run one block, resolved from the notebook
// text alone: typed header arguments, the variable set and the code after
// substitution, with every problem positioned. `checkNotebook` gathers the
// problems of a whole notebook (what `modus check` prints).

import { parseHeaderArgs, type BlockArgs } from './header-args.js';
import { appendAll, capMessages, sortMessages } from './messages.js';
import { blockVariables, notebookVariables, substituteBody, type Variables } from './variables.js';
import type { CodeBlock, NotebookMessage, ScannedNotebook } from './types.js';
import { isRunnable as isRunnableBlock } from './runnable.js';

export interface PreparedBlock {
  block: CodeBlock;
  args: BlockArgs;
  /** Variables visible to the block: front matter < --var < :var. */
  vars: Record<string, string>;
  /** The body with `{{name}}` substituted (the exact command that is sent). */
  code: string;
  messages: NotebookMessage[];
}

/**
 * Resolve a block against the notebook-level variables (`notebookVariables`).
 * A block with `:eval no` is documentation: its body is not substituted and
 * unknown variables in it are not errors.
 */
export function prepareBlock(block: CodeBlock, base: Variables, file?: string): PreparedBlock {
  const { args, messages } = parseHeaderArgs(block, file, base);
  const vars = blockVariables(base, args.vars);
  let code = block.body;
  if (args.eval) {
    const r = substituteBody(block, vars, file);
    code = r.text;
    appendAll(messages, r.messages);
  }
  return { block, args, vars, code, messages };
}

/**
 * Every problem of a notebook, in document order: structure, front matter,
 * variables, and the header arguments and variables of each runnable block
 * (`isRunnable` decides which blocks count; by default the ones `modus run`
 * runs, see runnable.ts).
 */
export function checkNotebook(
  nb: ScannedNotebook,
  cliVars: Variables = {},
  file?: string,
  isRunnable: (block: CodeBlock) => boolean = isRunnableBlock,
): NotebookMessage[] {
  const messages: NotebookMessage[] = nb.messages.map((m) => (file !== undefined ? { ...m, file } : m));
  const { vars, messages: varMessages } = notebookVariables(nb, cliVars, file);
  appendAll(messages, varMessages);
  for (const block of nb.blocks) {
    if (!isRunnable(block)) continue;
    appendAll(messages, prepareBlock(block, vars, file).messages);
  }
  return capMessages(sortMessages(messages));
}
