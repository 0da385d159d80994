// What a ```junos block is, from its text (DESIGN "Junos blocks"):
//  - operational commands: every non-empty, non-comment line starts with an
//    operational verb (show, request, clear, ping, …); each line is one
//    command;
//  - `rollback N` alone: the candidate replaced by rollback N, then diffed,
//    checked and committed (or not) like any change;
//  - configuration: anything else; set-style when every line starts with a
//    set verb (set, delete, activate, …), else curly-brace text;
//  - empty: only a `:commit confirm` block may be (it loads nothing).
// And which header arguments fit which kind, reported at check time with
// positions, so a wrong combination stops the run before anything starts.

import { OP_VERBS, SET_VERBS } from '../../shared/junos-words.js';
import { message } from './messages.js';
import type { BlockArgs, HeaderArg } from './header-args.js';
import type { CodeBlock, NotebookMessage, Point } from './types.js';

// The verbs are shared with the highlighting (../../shared/junos-words.ts).
export { OP_VERBS, SET_VERBS };

export type JunosBlockKind =
  | { kind: 'empty' }
  | { kind: 'op'; commands: string[] }
  | { kind: 'rollback'; index: number }
  | { kind: 'config'; style: 'set' | 'text' }
  /** Lines of two kinds that cannot go together: the 0-based body line of the first of each. */
  | { kind: 'mixed'; what: string; firstLine: number; otherLine: number };

interface Line {
  index: number;
  text: string;
  word: string;
}

/** Non-empty lines that are not `#` comments, with their first word. */
function meaningfulLines(body: string): Line[] {
  const out: Line[] = [];
  body.split('\n').forEach((raw, index) => {
    const text = raw.replace(/\r$/, '').trim();
    if (text === '' || text.startsWith('#')) return;
    out.push({ index, text, word: /^[^\s;{}]*/.exec(text)![0] });
  });
  return out;
}

export function classifyJunosBody(body: string): JunosBlockKind {
  const lines = meaningfulLines(body);
  if (lines.length === 0) return { kind: 'empty' };
  const first = lines[0]!;
  if (OP_VERBS.has(first.word)) {
    const other = lines.find((l) => !OP_VERBS.has(l.word));
    if (other) return { kind: 'mixed', what: 'operational commands with configuration', firstLine: first.index, otherLine: other.index };
    return { kind: 'op', commands: lines.map((l) => l.text) };
  }
  if (first.word === 'rollback') {
    const m = /^rollback\s+(\d{1,2})$/.exec(first.text);
    if (lines.length > 1) return { kind: 'mixed', what: 'a rollback with other lines', firstLine: first.index, otherLine: lines[1]!.index };
    return { kind: 'rollback', index: m ? Number(m[1]) : -1 };
  }
  if (SET_VERBS.has(first.word)) {
    const other = lines.find((l) => !SET_VERBS.has(l.word));
    if (other) return { kind: 'mixed', what: 'set-style lines with other text', firstLine: first.index, otherLine: other.index };
    return { kind: 'config', style: 'set' };
  }
  return { kind: 'config', style: 'text' };
}

/** Header arguments only Junos blocks use. */
const JUNOS_ONLY = ['commit', 'action', 'private', 'format', 'expect-xpath'] as const;

/**
 * Problems of a block's Junos arguments: for a junos block, what does not fit
 * its kind; for any other block, Junos arguments it would ignore (warnings).
 * `script` is the body after variable substitution (what will be sent).
 */
export function junosBlockProblems(block: CodeBlock, args: BlockArgs, script: string, file?: string): NotebookMessage[] {
  const out: NotebookMessage[] = [];
  const argNamed = (key: string): HeaderArg | undefined => args.raw.find((a) => a.key === key);
  const at = (key: string): Point => argNamed(key)?.keyAt ?? block.argsStart;
  const error = (where: { line: number; column: number }, reason: string): void => {
    out.push(message(where, reason, 'junos-block', 'error', file));
  };
  if (block.lang !== 'junos') {
    for (const key of JUNOS_ONLY) {
      const a = argNamed(key);
      if (a) out.push(message(a.keyAt, `:${key} applies to junos blocks only; this ${block.lang} block ignores it`, 'junos-argument', 'warning', file));
    }
    return out;
  }
  const lineAt = (i: number): Point => block.bodyLineStarts?.[i] ?? block.start;
  if (args.hosts.length === 0) error(block.start, 'a junos block needs :host, naming Junos devices of the inventory (platform: junos)');
  if (args.session !== null) error(at('session'), ':session does not apply to junos blocks: each device has one NETCONF session for the whole run');
  if (args.dir !== null) error(at('dir'), ':dir does not apply to junos blocks');
  if (args.expectExit !== 0) error(at('expect-exit'), ':expect-exit does not apply to junos blocks; the verdict is what the device said (and :expect, :expect-xpath)');

  const kind = classifyJunosBody(script);
  const commit = args.commit;
  if (kind.kind === 'mixed') {
    error(lineAt(kind.otherLine), `this junos block mixes ${kind.what} (line ${lineAt(kind.firstLine).line} and line ${lineAt(kind.otherLine).line}); put them in separate blocks`);
    return out;
  }
  if (commit?.mode === 'confirm' && kind.kind !== 'empty') {
    error(at('commit'), ':commit confirm confirms a pending commit confirmed and loads nothing: leave the block empty, or use :commit confirmed N or :commit now to load and commit this');
    return out;
  }
  if (commit?.mode === 'rollback' && kind.kind !== 'empty') {
    error(at('commit'), ':commit rollback rolls a pending commit confirmed back now and loads nothing else: leave the block empty (to load an older configuration, write rollback N in the block with :commit now)');
    return out;
  }
  if (kind.kind === 'empty') {
    if (commit?.mode !== 'confirm' && commit?.mode !== 'rollback') {
      error(block.start, 'this junos block is empty; write operational commands or configuration in it (an empty block is only for :commit confirm or :commit rollback)');
    }
    for (const key of ['action', 'private', 'format', 'expect-xpath'] as const) {
      if (argNamed(key)) error(at(key), `:${key} does not apply to a :commit ${commit?.mode === 'rollback' ? 'rollback' : 'confirm'} block, which loads nothing of its own`);
    }
    return out;
  }
  if (kind.kind === 'op') {
    for (const key of ['commit', 'action', 'private'] as const) {
      if (argNamed(key)) error(at(key), `:${key} applies to configuration; this block holds operational commands (${kind.commands[0]!.split(/\s+/)[0]} …)`);
    }
    if (args.expectXpath.length > 0 && args.format !== 'xml') {
      error(at('expect-xpath'), ':expect-xpath is evaluated on the XML reply: add :format xml');
    }
    return out;
  }
  // Configuration: text, set lines or a rollback.
  for (const key of ['format', 'expect-xpath'] as const) {
    if (argNamed(key)) error(at(key), `:${key} applies to operational commands (show …); this block is configuration`);
  }
  if (kind.kind === 'rollback') {
    if (kind.index < 0 || kind.index > 49) error(lineAt(0), 'rollback takes a number from 0 to 49 (rollback 1: the configuration before the last commit)');
    if (args.action !== null) error(at('action'), ':action does not apply to a rollback');
  } else if (kind.style === 'set' && args.action !== null && args.action !== 'set') {
    error(at('action'), `set-style lines are loaded with action set; :action ${args.action} is for curly-brace configuration text`);
  } else if (kind.style === 'text' && args.action === 'set') {
    error(at('action'), ':action set is for set/delete lines; this block is curly-brace configuration text (use merge, replace or override)');
  }
  if (args.private && commit?.mode === 'confirmed') {
    error(at('private'), 'Junos refuses commit confirmed in a private candidate; drop :private, or use :commit now');
  }
  return out;
}
