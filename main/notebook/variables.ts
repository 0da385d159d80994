// Variable substitution (`{{name}}`) and where variable values come from.
//
// Precedence, lowest to highest: front matter `vars:` < command line
// `--var k=v` < the block's own `:var k=v` (later `:var` wins over earlier).
// Prompts from the UI come later and will sit between --var and :var.
// A name that none of them defines is an error, positioned at the exact
// line and column of the reference in the file, before anything runs.

import { MAX_PROBLEMS } from './limits.js';
import { appendAll, message } from './messages.js';
import { findVariableRefs, isVariableName } from './variable-refs.js';
import type { CodeBlock, NotebookMessage, Point, ScannedNotebook } from './types.js';

export type Variables = Readonly<Record<string, string>>;

export { findVariableRefs, isVariableName } from './variable-refs.js';

export function unknownVariable(name: string, at: { line: number; column: number }, file?: string): NotebookMessage {
  return message(at,
    `unknown variable "${name}"; define it under vars: in the front matter, with --var ${name}=VALUE, or with :var ${name}=VALUE`,
    'unknown-variable', 'error', file);
}

/**
 * Replace `{{name}}` in `text`, whose first character is at `at` in the file
 * (line breaks in `text` move to the next line, column 1). Unknown names are
 * left as written and reported.
 */
export function substituteVariables(text: string, vars: Variables, at: Point, file?: string): { text: string; messages: NotebookMessage[] } {
  const refs = findVariableRefs(text);
  if (refs.length === 0) return { text, messages: [] };
  const messages: NotebookMessage[] = [];
  let out = '';
  let last = 0;
  // Track the position as we go so each reference gets its own line and column.
  let line = at.line;
  let lineStartIndex = -(at.column - 1);
  let scanned = 0;
  const pointOf = (index: number): { line: number; column: number } => {
    for (; scanned < index; scanned++) {
      const c = text.charCodeAt(scanned);
      if (c === 10 || (c === 13 && text.charCodeAt(scanned + 1) !== 10)) {
        line++;
        lineStartIndex = scanned + 1;
      }
    }
    return { line, column: index - lineStartIndex + 1 };
  };
  for (const ref of refs) {
    out += text.slice(last, ref.index);
    last = ref.index + ref.length;
    if (ref.escape) {
      out += '{{';
      continue;
    }
    if (Object.hasOwn(vars, ref.name)) {
      out += vars[ref.name];
    } else {
      // Past the report's limit the rest would only be counted away (capMessages); a body of a million {{x}} would hold a million messages.
      if (messages.length <= MAX_PROBLEMS) messages.push(unknownVariable(ref.name, pointOf(ref.index), file));
      out += text.slice(ref.index, last);
    }
  }
  out += text.slice(last);
  return { text: out, messages };
}

/**
 * Substitute in a code block's body. Each body line is positioned on its own
 * line of the file (container prefixes such as `> ` are accounted for).
 */
export function substituteBody(block: CodeBlock, vars: Variables, file?: string): { text: string; messages: NotebookMessage[] } {
  const starts = block.bodyLineStarts;
  if (!starts) {
    return substituteVariables(block.body, vars, { line: block.start.line + 1, column: 1, offset: block.bodySpan.start }, file);
  }
  const lines = block.body.split('\n');
  const messages: NotebookMessage[] = [];
  const out = lines.map((l, k) => {
    const r = substituteVariables(l, vars, starts[k] ?? { line: block.start.line + 1 + k, column: 1, offset: 0 }, file);
    if (messages.length <= MAX_PROBLEMS) appendAll(messages, r.messages);
    return r.text;
  });
  return { text: out.join('\n'), messages };
}

/**
 * The variables every block starts from: front matter `vars:` overridden by
 * the command line. Front matter values must be scalars (numbers and
 * booleans become text); names must be valid variable names.
 */
export function notebookVariables(nb: ScannedNotebook, cliVars: Variables = {}, file?: string): { vars: Record<string, string>; messages: NotebookMessage[] } {
  const vars: Record<string, string> = {};
  const messages: NotebookMessage[] = [];
  const fm = nb.frontMatter;
  const declared = fm?.data?.vars;
  if (fm && declared !== undefined && declared !== null) {
    const keyPoint = frontMatterKeyPoints(nb);
    const at = keyPoint('vars');
    if (typeof declared !== 'object' || Array.isArray(declared)) {
      messages.push(message(at, 'front matter vars: must be a mapping of NAME: VALUE lines', 'front-matter-vars', 'error', file));
    } else {
      for (const [name, value] of Object.entries(declared as Record<string, unknown>)) {
        const where = keyPoint(name, at.line);
        if (!isVariableName(name)) {
          messages.push(message(where, `front matter variable name "${name}" is not valid; names start with a letter or _ and have only letters, digits, _ . -`, 'front-matter-vars', 'error', file));
        } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
          vars[name] = String(value);
        } else if (value === null) {
          vars[name] = '';
        } else {
          messages.push(message(where, `front matter variable "${name}" must be a single value (text, number or true/false), not a list or mapping`, 'front-matter-vars', 'error', file));
        }
      }
    }
  }
  for (const [name, value] of Object.entries(cliVars)) vars[name] = value;
  return { vars, messages };
}

/** The block's variables: the notebook's, then its own `:var` entries in order. */
export function blockVariables(base: Variables, blockVars: readonly (readonly [string, string])[]): Record<string, string> {
  const vars: Record<string, string> = { ...base };
  for (const [k, v] of blockVars) vars[k] = v;
  return vars;
}

/** Parse `k=v` command-line assignments; a bad one is reported by its text. */
export function parseVarAssignments(assignments: readonly string[]): { vars: Record<string, string>; errors: string[] } {
  const vars: Record<string, string> = {};
  const errors: string[] = [];
  for (const a of assignments) {
    const eq = a.indexOf('=');
    const name = eq < 0 ? '' : a.slice(0, eq);
    if (!isVariableName(name)) {
      errors.push(`--var "${a}" is not NAME=VALUE (names start with a letter or _ and have only letters, digits, _ . -)`);
      continue;
    }
    vars[name] = a.slice(eq + 1);
  }
  return { vars, errors };
}

/**
 * Best-effort positions of `key:` lines inside the front matter, for
 * messages: `(key, after)` is the first such line from line `after` on.
 * The lines are read once, not once per variable (quadratic for front
 * matter with many variables).
 */
function frontMatterKeyPoints(nb: ScannedNotebook): (key: string, after?: number) => { line: number; column: number } {
  const fm = nb.frontMatter;
  // key -> the lines (ascending) where it is written, with its column.
  const found = new Map<string, { line: number; column: number }[]>();
  if (fm) {
    const lines = fm.raw.split(/\r\n|\r|\n/);
    for (let k = 0; k < lines.length; k++) {
      const m = keyOfLine(lines[k]);
      if (!m) continue;
      const at = found.get(m.key);
      const point = { line: k + 2, column: m.column };
      if (at) at.push(point);
      else found.set(m.key, [point]);
    }
  }
  return (key, after = 1) => {
    for (const p of found.get(key) ?? []) if (p.line >= after + 1) return { line: p.line, column: p.column };
    return { line: 1, column: 1 };
  };
}

const SPACE = /\s/;

/**
 * The key of a `key:` or `"key":` line and its column, in one pass (a
 * regular expression for it backtracked for every character of a long
 * line without a colon).
 */
function keyOfLine(line: string): { key: string; column: number } | null {
  let i = 0;
  while (i < line.length && SPACE.test(line[i])) i++;
  const column = i + 1;
  const quote = line[i] === '"' || line[i] === "'" ? line[i] : '';
  if (quote) i++;
  const start = i;
  while (i < line.length && line[i] !== '"' && line[i] !== "'" && line[i] !== ':') i++;
  let end = i;
  if (quote) {
    if (line[i] !== quote) return null;
    i++;
    while (i < line.length && SPACE.test(line[i])) i++;
  } else {
    while (end > start && SPACE.test(line[end - 1])) end--;
  }
  if (end === start || line[i] !== ':') return null;
  return { key: line.slice(start, end), column };
}
