// A command typed in a terminal, as a notebook block with its results: what
// "Send to notebook" and recording append. The block says what ran and
// where (`bash`/`zsh`, `:host` for an SSH tab, `:dir`), the results carry
// the same attributes and hash as a run by the engine would (so the app and
// `modus check` judge them the same way), and `modus run` of the block runs
// the same command.

import { formatResultsAttrs } from '../notebook/header-args.js';
import { renderResultsBlock } from '../notebook/splice.js';
import { scanNotebook } from '../notebook/scan.js';
import { findVariableRefs } from '../notebook/variables.js';
import type { ResultEntry } from '../notebook/types.js';
import { formatDuration } from '../notebook/report-format.js';
import { planRun } from './plan.js';
import { RAN_HASH_ATTR, ranHash } from './ran-hash.js';
import { exitMessage, withVerdict } from './run-host.js';
import type { HostSpec } from '../targets/target.js';

export interface TypedCommand {
  /** The shell's language for a block: `bash` or `zsh`. */
  lang: string;
  command: string;
  /** Where it ran (the shell's working directory), null when unknown. */
  cwd: string | null;
  /** The SSH tab's host, null for a local shell. */
  host: string | null;
  exitCode: number | null;
  start: Date;
  end: Date;
  /** What the terminal showed, captured as the engine captures (escape sequences resolved, long output as head and tail). */
  output: string;
}

/** The command as block text: `{{name}}` written `\{{name}}` so it is not taken for a variable. */
function blockBody(command: string): string {
  let out = '';
  let last = 0;
  for (const ref of findVariableRefs(command)) {
    if (ref.escape) continue;
    out += `${command.slice(last, ref.index)}\\`;
    last = ref.index;
  }
  return out + command.slice(last);
}

function longestRun(text: string, ch: string): number {
  let best = 0;
  for (const m of text.matchAll(new RegExp(`\\${ch}+`, 'g'))) best = Math.max(best, m[0].length);
  return best;
}

/** The code block and its results block, as text to append to a notebook (ends with a newline). */
export function commandAsBlock(c: TypedCommand): string {
  const args: [string, string][] = [];
  if (c.host !== null) args.push(['host', c.host]);
  if (c.cwd !== null) args.push(['dir', c.cwd]);
  const body = blockBody(c.command.replace(/\r\n?/g, '\n'));
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  const info = `${c.lang}${args.length > 0 ? ` ${formatResultsAttrs(args)}` : ''}`;
  const code = `${fence}${info}\n${body}\n${fence}\n`;
  // The engine's own planning of the block gives the script after substitution and the arguments the hash covers.
  const planned = planRun(scanNotebook(code), { file: 'terminal' }).blocks[0];
  const host: HostSpec | undefined = c.host === null ? undefined : { label: c.host };
  const hash = planned ? ranHash({ lang: c.lang, script: planned.script, args: planned.args }, host) : null;
  const status = c.exitCode === 0 ? 'pass' : 'fail';
  const attrs: [string, string][] = [
    ['host', c.host ?? 'local'],
    ['at', c.start.toISOString().replace(/\.\d{3}Z$/, 'Z')],
    ['took', formatDuration(c.end.getTime() - c.start.getTime())],
  ];
  if (c.exitCode !== null) attrs.push(['exit', String(c.exitCode)]);
  attrs.push(['status', status]);
  if (hash !== null) attrs.push([RAN_HASH_ATTR, hash]);
  const entry: ResultEntry = { attrs, body: withVerdict(c.output, c.exitCode !== null && c.exitCode !== 0 ? exitMessage(c.exitCode, 0) : undefined) };
  return `${code}\n${renderResultsBlock(entry, '', '\n')}\n`;
}
