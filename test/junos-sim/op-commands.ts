// Operational commands (`<command>show bgp summary</command>`): the command
// words are matched as the CLI matches them (unique abbreviations: `sh bgp
// sum`), then pipes apply to the text (`| display set`, `| match RE`,
// `| except RE`, `| count`, `| last N`, `| no-more`; `| display xml` gives
// the XML). A word that is no command is `syntax error, expecting
// <command>` with that word as bad-element; real commands the simulator
// does not implement (ping, request…) say so.

import { showBgpNeighbor, showBgpSummary } from './op-bgp.js';
import { showInterfacesTerse } from './op-interfaces.js';
import { showRouteSummary } from './op-route.js';
import { showConfiguration } from './op-show-config.js';
import { showSystemCommit, showSystemUptime, showVersion } from './op-show-system.js';
import type { OpContext, OpOutput } from './op-types.js';
import { fail } from './rpc-error.js';

interface CommandSpec {
  words: string[];
  /** What may follow the words. */
  args: 'none' | 'optional' | 'rest';
  run(ctx: OpContext, args: string[], displaySet: boolean): OpOutput;
}

const COMMANDS: CommandSpec[] = [
  { words: ['show', 'version'], args: 'none', run: (ctx) => showVersion(ctx) },
  { words: ['show', 'configuration'], args: 'rest', run: (ctx, args, displaySet) => showConfiguration(ctx, args, displaySet) },
  { words: ['show', 'system', 'commit'], args: 'none', run: (ctx) => showSystemCommit(ctx) },
  { words: ['show', 'system', 'uptime'], args: 'none', run: (ctx) => showSystemUptime(ctx) },
  { words: ['show', 'interfaces', 'terse'], args: 'optional', run: (ctx, args) => showInterfacesTerse(ctx, args[0]) },
  { words: ['show', 'bgp', 'summary'], args: 'none', run: (ctx) => showBgpSummary(ctx) },
  { words: ['show', 'bgp', 'neighbor'], args: 'optional', run: (ctx, args) => showBgpNeighbor(ctx, args[0]) },
  { words: ['show', 'route', 'summary'], args: 'none', run: (ctx) => showRouteSummary(ctx) },
];

/** Real Junos verbs the simulator has no implementation of. */
const NOT_SIMULATED = ['ping', 'traceroute', 'request', 'clear', 'file', 'monitor', 'restart', 'start', 'test', 'configure', 'set', 'help', 'op'];

/** Splits a command line into words; double quotes group words. */
function words(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!));
}

function syntaxError(bad: string | undefined): never {
  fail('syntax error, expecting <command>', bad === undefined ? {} : { badElement: bad });
}

function match(tokens: string[]): { spec: CommandSpec; args: string[] } {
  let candidates = COMMANDS;
  let k = 0;
  for (; k < tokens.length; k += 1) {
    const token = tokens[k]!;
    const longer = candidates.filter((c) => c.words.length > k);
    if (longer.length === 0) break;
    const exact = longer.filter((c) => c.words[k] === token);
    const matching = exact.length > 0 ? exact : longer.filter((c) => c.words[k]!.startsWith(token));
    if (matching.length === 0) {
      const complete = candidates.filter((c) => c.words.length === k && c.args !== 'none');
      if (complete.length > 0) {
        candidates = complete;
        break;
      }
      if (k === 0) {
        const verb = NOT_SIMULATED.find((v) => v.startsWith(token));
        if (verb) fail(`'${verb}' is not implemented by the Junos simulator`, { badElement: token });
      }
      syntaxError(token);
    }
    if (new Set(matching.map((c) => c.words[k])).size > 1) fail(`'${token}' is ambiguous.`, { badElement: token });
    candidates = matching;
  }
  const spec = candidates.find((c) => c.words.length === k);
  if (!spec) syntaxError(undefined);
  const args = tokens.slice(k);
  if (spec.args === 'none' && args.length > 0) syntaxError(args[0]);
  if (spec.args === 'optional' && args.length > 1) syntaxError(args[1]);
  return { spec, args };
}

export interface CommandResult {
  output: OpOutput;
  /** `| display xml` asked for XML whatever the format. */
  forceXml: boolean;
}

/** Runs one command line; throws RpcFailure for what Junos would refuse. */
export function runCommand(ctx: OpContext, line: string): CommandResult {
  const [command = '', ...pipes] = line.split('|').map((p) => p.trim());
  const tokens = words(command);
  if (tokens.length === 0) syntaxError(undefined);
  const filters: ((text: string) => string)[] = [];
  let displaySet = false;
  let forceXml = false;
  for (const pipe of pipes) {
    const [verb = '', ...rest] = words(pipe);
    const arg = rest.join(' ');
    if ('display'.startsWith(verb) && verb !== '' && rest[0] === 'set') displaySet = true;
    else if ('display'.startsWith(verb) && verb !== '' && rest[0] === 'xml') forceXml = true;
    else if ('match'.startsWith(verb) && verb !== '' && arg) {
      const re = new RegExp(arg);
      filters.push((t) => t.split('\n').filter((l) => re.test(l)).join('\n'));
    } else if ('except'.startsWith(verb) && verb !== '' && arg) {
      const re = new RegExp(arg);
      filters.push((t) => t.split('\n').filter((l) => !re.test(l)).join('\n'));
    } else if ('count'.startsWith(verb) && verb !== '') filters.push((t) => `Count: ${t === '' ? 0 : t.split('\n').length} lines`);
    else if ('last'.startsWith(verb) && verb !== '' && /^\d+$/.test(arg)) filters.push((t) => t.split('\n').slice(-Number(arg)).join('\n'));
    else if ('no-more'.startsWith(verb) && verb.length >= 2) continue;
    else syntaxError(verb);
  }
  const { spec, args } = match(tokens);
  if (displaySet && spec.words[1] !== 'configuration') syntaxError('set');
  const output = spec.run(ctx, args, displaySet);
  const text = filters.reduce((t, f) => f(t), output.text);
  return { output: { ...output, text }, forceXml };
}
