// Header arguments: the `:key value` part of a fence's info string, after
// the language (```` ```sh :host r1,r2 :expect "0% packet loss" ````).
//
// Syntax: arguments are separated by spaces; a word starting with `:` and a
// letter is a key; the words after it, up to the next key, are its value
// (joined by single spaces). Double quotes keep spaces and leading colons:
// `:expect "a  b"`, `:dir ":odd"`; inside quotes `\"` and `\\` stand for `"`
// and `\`, any other backslash is kept (regexes stay readable). A `{{ … }}`
// variable reference is one word even with spaces inside.

import { advancePoint, appendAll, message } from './messages.js';
import { findVariableRefs, isVariableName } from './variable-refs.js';
import { unknownVariable } from './variables.js';
import { xpathProblem } from './xpath-expect.js';
import type { CodeBlock, NotebookMessage, Point } from './types.js';

export interface HeaderArg {
  /** Without the colon. */
  key: string;
  /** Unquoted value; '' for a flag. */
  value: string;
  /** True when no value followed the key. */
  flag: boolean;
  /** Where the `:` of the key is. */
  keyAt: Point;
  /** Where the value starts (just after the key for a flag). */
  valueAt: Point;
  /** For each character of `value`, its offset in the file (variables are positioned with it). */
  valueOffsets: number[];
}

export type ResultsMode = 'replace' | 'append' | 'silent';
export type JunosAction = 'merge' | 'replace' | 'override' | 'set';
export type JunosFormat = 'text' | 'xml';
export type JunosCommit =
  | { mode: 'check' }
  | { mode: 'confirmed'; minutes: number }
  | { mode: 'confirm' }
  /** Rolls a pending commit confirmed back now (an empty block, like confirm). */
  | { mode: 'rollback' }
  | { mode: 'now' };

export interface BlockArgs {
  /** Target names as written (hosts, groups, globs); empty = run locally. */
  hosts: string[];
  session: string | null;
  dir: string | null;
  timeoutMs: number;
  /** Output must match every one (`:expect`, repeatable). Compiled with the `m` flag unless `/re/flags` is used. */
  expect: RegExp[];
  expectExit: number;
  confirm: boolean;
  /** False for `:eval no`: the block is documentation and never runs. */
  eval: boolean;
  results: ResultsMode;
  /** Block-local variables (`:var k=v`, repeatable), in order; later ones win. */
  vars: [string, string][];
  parallel: number;
  name: string | null;
  /** Matches are masked in captured output (`:redact`, repeatable). Always global. */
  redact: RegExp[];
  /** Junos: what to do with a configuration change; null = the default (`check`). */
  commit: JunosCommit | null;
  /** Junos: how configuration text is loaded; null = the default (merge, or set for set-style text). */
  action: JunosAction | null;
  /** Junos: load into a private candidate (`configure private`) instead of locking the shared one. */
  private: boolean;
  /** Junos: output format of operational commands; null = the default (text). */
  format: JunosFormat | null;
  /** Junos: XPath 1.0 expressions the XML replies must make true (`:expect-xpath`, repeatable), checked to compile. */
  expectXpath: string[];
  /** Every argument in order, as parsed (after variable substitution when variables were given). */
  raw: HeaderArg[];
}

export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;
export const DEFAULT_PARALLEL = 16;

export function defaultBlockArgs(): BlockArgs {
  return {
    hosts: [], session: null, dir: null, timeoutMs: DEFAULT_TIMEOUT_MS, expect: [], expectExit: 0,
    confirm: false, eval: true, results: 'replace', vars: [], parallel: DEFAULT_PARALLEL, name: null,
    redact: [], commit: null, action: null, private: false, format: null, expectXpath: [], raw: [],
  };
}

/** The keys Modus understands, with what each accepts (used in messages). */
export const KNOWN_KEYS: Readonly<Record<string, string>> = {
  host: 'a host, group or glob, or a comma-separated list of them',
  session: 'a session name',
  dir: 'a directory',
  timeout: 'a duration such as 30s, 5m, 1h, 1h30m, 500ms or a number of seconds',
  expect: 'a regular expression (or /regex/flags)',
  'expect-exit': 'an exit status from 0 to 255',
  confirm: 'no value',
  eval: 'yes or no',
  results: 'replace, append or silent',
  var: 'NAME=VALUE',
  parallel: 'a whole number from 1 to 1024',
  name: 'a name of letters, digits, _ . and -',
  redact: 'a regular expression (or /regex/flags)',
  commit: 'check, confirmed MINUTES, confirm, rollback or now',
  action: 'merge, replace, override or set',
  private: 'no value',
  format: 'text or xml',
  'expect-xpath': 'an XPath 1.0 expression, true on the XML reply (for example //peer-state = "Established")',
};
const REPEATABLE = new Set(['expect', 'redact', 'var', 'expect-xpath']);
/** Keys that are flags: no value. */
const FLAGS = new Set(['confirm', 'private']);

const KEY_RE = /^[A-Za-z][A-Za-z0-9_-]*$/;

interface Word {
  text: string;
  offsets: number[];
  start: number;
  /** Unquoted and starting with `:` + letter. */
  isKey: boolean;
}

/**
 * Split header-argument text into arguments. `start` is where `text` begins
 * in the file. Syntax problems (an unclosed quote, words before the first
 * key) are errors.
 */
export function tokenizeHeaderArgs(text: string, start: Point, file?: string): { args: HeaderArg[]; messages: NotebookMessage[] } {
  const messages: NotebookMessage[] = [];
  const words = splitWords(text, start, file, messages);
  const args: HeaderArg[] = [];
  let stray: Word | null = null;
  for (const w of words) {
    if (w.isKey) {
      const keyAt = advancePoint(start, w.start);
      const afterKey = advancePoint(start, w.start + w.text.length);
      args.push({ key: w.text.slice(1), value: '', flag: true, keyAt, valueAt: afterKey, valueOffsets: [] });
      continue;
    }
    const current = args[args.length - 1];
    if (!current) {
      stray ??= w;
      continue;
    }
    if (current.flag) {
      current.flag = false;
      current.valueAt = advancePoint(start, w.start);
    } else {
      current.value += ' ';
      current.valueOffsets.push(current.valueOffsets[current.valueOffsets.length - 1] + 1);
    }
    current.value += w.text;
    appendAll(current.valueOffsets, w.offsets);
  }
  if (stray) {
    messages.push(message(advancePoint(start, stray.start),
      `unexpected "${stray.text}" before the first header argument; write arguments as :key value (for example :host r1)`,
      'header-argument-syntax', 'error', file));
  }
  return { args, messages };
}

/**
 * The offset of the first `}}` at or after `from` (-1: none), for calls with
 * `from` that never decreases. The answer is kept until `from` passes it:
 * searching afresh for each of many `{{` without a `}}` read to the end of
 * the text every time.
 */
function closingBraces(text: string): (from: number) => number {
  let close = -2;
  return (from) => {
    if (close === -2 || (close >= 0 && close < from)) close = text.indexOf('}}', from);
    return close;
  };
}

function splitWords(text: string, start: Point, file: string | undefined, messages: NotebookMessage[]): Word[] {
  const words: Word[] = [];
  let i = 0;
  const n = text.length;
  const closeAfter = closingBraces(text);
  while (i < n) {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i >= n) break;
    const wordStart = i;
    let out = '';
    const offsets: number[] = [];
    let quoted = false;
    while (i < n && text[i] !== ' ' && text[i] !== '\t') {
      const ch = text[i];
      if (ch === '"') {
        quoted = true;
        const open = i;
        i++;
        let closed = false;
        while (i < n) {
          const d = text[i];
          if (d === '"') {
            closed = true;
            i++;
            break;
          }
          if (d === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
            out += text[i + 1];
            offsets.push(start.offset + i + 1);
            i += 2;
            continue;
          }
          out += d;
          offsets.push(start.offset + i);
          i++;
        }
        if (!closed) {
          messages.push(message(advancePoint(start, open), 'this quote is never closed; end the value with "', 'header-argument-syntax', 'error', file));
        }
        continue;
      }
      if (ch === '{' && text[i + 1] === '{') {
        const close = closeAfter(i + 2);
        if (close >= 0) {
          for (let k = i; k < close + 2; k++) {
            out += text[k];
            offsets.push(start.offset + k);
          }
          i = close + 2;
          continue;
        }
      }
      out += ch;
      offsets.push(start.offset + i);
      i++;
    }
    const isKey = !quoted && out.length > 1 && out[0] === ':' && KEY_RE.test(out.slice(1));
    words.push({ text: out, offsets, start: wordStart, isKey });
  }
  return words;
}

/**
 * Parse a code block's header arguments into typed `BlockArgs`. With `vars`,
 * `{{name}}` in values is replaced first (`:var` values of the block are
 * visible to the arguments after them); an unknown name is an error. Without
 * `vars`, values are taken literally.
 */
export function parseHeaderArgs(block: CodeBlock, file?: string, vars?: Readonly<Record<string, string>>): { args: BlockArgs; messages: NotebookMessage[] } {
  return parseHeaderArgText(block.argsText, block.argsStart, file, vars);
}

export function parseHeaderArgText(text: string, start: Point, file?: string, vars?: Readonly<Record<string, string>>): { args: BlockArgs; messages: NotebookMessage[] } {
  const { args: raw, messages } = tokenizeHeaderArgs(text, start, file);
  const args = defaultBlockArgs();
  const scope: Record<string, string> | null = vars ? { ...vars } : null;
  const seen = new Map<string, HeaderArg>();
  const lineStart = start.offset - (start.column - 1);
  const pointAt = (offset: number): Point => ({ line: start.line, column: offset - lineStart + 1, offset });

  for (const arg of raw) {
    if (scope) substituteArg(arg, scope, pointAt, file, messages);
    const bad = (accepted: string): void => {
      messages.push(message(arg.valueAt, `:${arg.key} ${arg.flag ? 'needs a value' : `"${arg.value}" is not valid`}; expected ${accepted}`, 'header-argument-value', 'error', file));
    };
    const accepted = KNOWN_KEYS[arg.key];
    if (accepted === undefined) {
      messages.push(message(arg.keyAt, `unknown header argument :${arg.key} (ignored); known: ${Object.keys(KNOWN_KEYS).map((k) => `:${k}`).join(' ')}`, 'unknown-header-argument', 'warning', file));
      args.raw.push(arg);
      continue;
    }
    args.raw.push(arg);
    if (!REPEATABLE.has(arg.key)) {
      const first = seen.get(arg.key);
      if (first) {
        messages.push(message(arg.keyAt, `:${arg.key} is given twice (first at column ${first.keyAt.column}); keep one`, 'duplicate-header-argument', 'error', file));
        continue;
      }
      seen.set(arg.key, arg);
    }
    if (FLAGS.has(arg.key)) {
      if (!arg.flag) {
        messages.push(message(arg.valueAt, `:${arg.key} takes no value; write :${arg.key} alone (found "${arg.value}")`, 'header-argument-value', 'error', file));
      }
      if (arg.key === 'confirm') args.confirm = true;
      else args.private = true;
      continue;
    }
    if (arg.flag) {
      bad(accepted);
      continue;
    }
    const v = arg.value;
    switch (arg.key) {
      case 'host': {
        const hosts = v.split(/[\s,]+/).filter((h) => h.length > 0);
        if (hosts.length === 0 || /,\s*,|^\s*,|,\s*$/.test(v)) bad(accepted);
        else args.hosts = hosts;
        break;
      }
      case 'session':
        args.session = v;
        break;
      case 'dir':
        args.dir = v;
        break;
      case 'timeout': {
        const ms = parseDuration(v);
        if (ms === null) bad(accepted);
        else args.timeoutMs = ms;
        break;
      }
      case 'expect':
      case 'redact': {
        const re = compileRegex(v, arg.key === 'redact');
        if (typeof re === 'string') {
          messages.push(message(arg.valueAt, `:${arg.key} "${v}" is not a valid regular expression (${re}); write a JavaScript regex, optionally as /regex/flags`, 'header-argument-value', 'error', file));
        } else if (arg.key === 'expect') {
          args.expect.push(re);
        } else {
          args.redact.push(re);
        }
        break;
      }
      case 'expect-exit':
        if (!/^\d{1,3}$/.test(v) || Number(v) > 255) bad(accepted);
        else args.expectExit = Number(v);
        break;
      case 'eval':
        if (v === 'yes' || v === 'no') args.eval = v === 'yes';
        else bad(accepted);
        break;
      case 'results':
        if (v === 'replace' || v === 'append' || v === 'silent') args.results = v;
        else bad(accepted);
        break;
      case 'var': {
        const eq = v.indexOf('=');
        const name = eq < 0 ? '' : v.slice(0, eq).trim();
        if (!isVariableName(name)) {
          bad(`${accepted} where NAME starts with a letter or _ and has only letters, digits, _ . -`);
        } else {
          const value = v.slice(eq + 1);
          args.vars.push([name, value]);
          if (scope) scope[name] = value;
        }
        break;
      }
      case 'parallel':
        if (!/^\d{1,4}$/.test(v) || Number(v) < 1 || Number(v) > 1024) bad(accepted);
        else args.parallel = Number(v);
        break;
      case 'name':
        if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(v)) bad(accepted);
        else args.name = v;
        break;
      case 'commit': {
        const c = parseCommit(v);
        if (c === null) bad(accepted);
        else args.commit = c;
        break;
      }
      case 'action':
        if (v === 'merge' || v === 'replace' || v === 'override' || v === 'set') args.action = v;
        else bad(accepted);
        break;
      case 'format':
        if (v === 'text' || v === 'xml') args.format = v;
        else bad(accepted);
        break;
      case 'expect-xpath': {
        const problem = xpathProblem(v);
        if (problem !== null) {
          messages.push(message(arg.valueAt, `:expect-xpath ${JSON.stringify(v)} is not a valid XPath 1.0 expression (${problem})`, 'header-argument-value', 'error', file));
        } else {
          args.expectXpath.push(v);
        }
        break;
      }
    }
  }
  return { args, messages };
}

function substituteArg(
  arg: HeaderArg,
  scope: Readonly<Record<string, string>>,
  pointAt: (offset: number) => Point,
  file: string | undefined,
  messages: NotebookMessage[],
): void {
  const refs = findVariableRefs(arg.value);
  if (refs.length === 0) return;
  let out = '';
  const offsets: number[] = [];
  let last = 0;
  const copy = (from: number, to: number): void => {
    for (let k = from; k < to; k++) offsets.push(arg.valueOffsets[k]);
  };
  for (const ref of refs) {
    out += arg.value.slice(last, ref.index);
    copy(last, ref.index);
    const refOffset = arg.valueOffsets[ref.index];
    if (ref.escape) {
      out += '{{';
      offsets.push(refOffset, refOffset);
      last = ref.index + ref.length;
      continue;
    }
    const value = Object.hasOwn(scope, ref.name) ? scope[ref.name] : undefined;
    if (value === undefined) {
      messages.push(unknownVariable(ref.name, pointAt(refOffset), file));
      out += arg.value.slice(ref.index, ref.index + ref.length);
      copy(ref.index, ref.index + ref.length);
    } else {
      out += value;
      for (let k = 0; k < value.length; k++) offsets.push(refOffset);
    }
    last = ref.index + ref.length;
  }
  out += arg.value.slice(last);
  copy(last, arg.valueOffsets.length);
  arg.value = out;
  arg.valueOffsets = offsets;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `30s`, `5m`, `1h`, `500ms`, `1h30m`, `1.5s`, or a plain number of seconds. Null when invalid or not positive. */
export function parseDuration(text: string): number | null {
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) {
    ms = Number(text) * 1000;
  } else {
    const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
    ms = 0;
    let i = 0;
    while (i < text.length) {
      part.lastIndex = i;
      const m = part.exec(text);
      if (!m) return null;
      ms += Number(m[1]) * UNIT_MS[m[2]];
      i = part.lastIndex;
    }
    if (i === 0) return null;
  }
  ms = Math.round(ms);
  return ms > 0 && Number.isFinite(ms) ? ms : null;
}

/** A RegExp, or why it does not compile. `/re/flags` sets flags; otherwise `m` (and `g` for redaction). */
export function compileRegex(text: string, global: boolean): RegExp | string {
  let source = text;
  let flags = 'm';
  const slashed = /^\/(.*)\/([a-z]*)$/s.exec(text);
  if (slashed) {
    source = slashed[1];
    flags = slashed[2];
    if (/[^imsuv]/.test(flags)) return `unsupported flag in "${flags}"; use i, m, s, u or v`;
  }
  if (global && !flags.includes('g')) flags += 'g';
  try {
    return new RegExp(source, flags);
  } catch (e) {
    return e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e);
  }
}

function parseCommit(v: string): JunosCommit | null {
  if (v === 'check' || v === 'confirm' || v === 'rollback' || v === 'now') return { mode: v };
  const m = /^confirmed\s+(\d{1,5})$/.exec(v);
  if (m) {
    const minutes = Number(m[1]);
    if (minutes >= 1 && minutes <= 65535) return { mode: 'confirmed', minutes };
  }
  return null;
}

/**
 * The attributes of a results fence (`:host r1 :at … :status pass`), in
 * order. Machine-written, so problems are not reported: a flag gets ''.
 */
export function parseResultsAttrs(text: string): [string, string][] {
  // Same syntax as tokenizeHeaderArgs, without positions: this runs for
  // every results block on every scan, so it stays lean.
  const attrs: [string, string][] = [];
  if (text.indexOf('"') < 0 && text.indexOf('{{') < 0 && text.indexOf('\t') < 0) {
    // Machine-written attributes: plain words separated by spaces.
    let current: [string, string] | null = null;
    let i = 0;
    const n = text.length;
    while (i < n) {
      if (text.charCodeAt(i) === 32) {
        i++;
        continue;
      }
      const start = i;
      while (i < n && text.charCodeAt(i) !== 32) i++;
      if (text.charCodeAt(start) === 58 && i - start > 1 && isKeyWord(text, start + 1, i)) {
        current = [text.slice(start + 1, i), ''];
        attrs.push(current);
      } else if (current) {
        const word = text.slice(start, i);
        current[1] = current[1] === '' ? word : `${current[1]} ${word}`;
      }
    }
    return attrs;
  }
  const n = text.length;
  let i = 0;
  let current: [string, string] | null = null;
  let hasValue = false;
  const closeAfter = closingBraces(text);
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    let word = '';
    let quoted = false;
    let plainFrom = i;
    while (i < n && (c = text.charCodeAt(i)) !== 32 && c !== 9) {
      if (c === 34 /* " */) {
        word += text.slice(plainFrom, i);
        quoted = true;
        i++;
        while (i < n && text.charCodeAt(i) !== 34) {
          const d = text.charCodeAt(i + 1);
          if (text.charCodeAt(i) === 92 && (d === 34 || d === 92)) i++;
          word += text[i];
          i++;
        }
        i++;
        plainFrom = i;
      } else if (c === 123 && text.charCodeAt(i + 1) === 123 && closeAfter(i + 2) >= 0) {
        i = closeAfter(i + 2) + 2;
      } else {
        i++;
      }
    }
    word += text.slice(plainFrom, Math.min(i, n));
    if (!quoted && word.length > 1 && word.charCodeAt(0) === 58 && KEY_RE.test(word.slice(1))) {
      current = [word.slice(1), ''];
      hasValue = false;
      attrs.push(current);
    } else if (current) {
      current[1] = hasValue ? `${current[1]} ${word}` : word;
      hasValue = true;
    }
  }
  return attrs;
}

/** Whether text[from, to) matches KEY_RE (a letter, then letters, digits, _ and -). */
function isKeyWord(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (i === from ? !letter : !(letter || (c >= 48 && c <= 57) || c === 95 || c === 45)) return false;
  }
  return true;
}

/** Attributes as a results fence writes them; values are quoted when needed so they read back the same. */
export function formatResultsAttrs(attrs: readonly (readonly [string, string])[]): string {
  return attrs
    .map(([k, v]) => {
      const key = k.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[^A-Za-z]/, 'x');
      return `:${key} ${quoteValue(v)}`;
    })
    .join(' ');
}

function quoteValue(v: string): string {
  const oneLine = v.replace(/[\r\n]+/g, ' ');
  if (oneLine.length > 0 && /^[^\s"\\{:]/.test(oneLine) && !/[\s"]|\{\{/.test(oneLine)) return oneLine;
  return `"${oneLine.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
