// A tokenizer for a small subset of Monaco's Monarch language definitions,
// so that one rule table colours code both in the editor (Monaco runs the
// table itself) and where Monaco is not (the HTML report, built in Node).
//
// The subset, and how each part behaves (as monarchLexer.ts does):
//  - states: `tokenizer: { state: rules }`, the first state is where lines start;
//  - a rule is `[RegExp, action]` or `{ include: '@state' }` (its rules inlined);
//  - a regex is matched at the current position against the rest of the line
//    (compiled as `^(?:source)`, no flags): lookbehind sees nothing before the
//    position, `$` is the end of the line; a source starting with `^` is tried
//    only at the start of the line;
//  - an action is a token name, an array of token names (one per regex group;
//    the groups must cover the match), or `{ token, next }` with `next` a state
//    (`@name`, pushed), `@push` or `@pop`;
//  - token names get `tokenPostfix`; what no rule matches is `defaultToken`, one
//    character at a time; adjacent tokens of one type are merged.
// Anything else in a table (cases, `@rematch`, embedded languages, brackets,
// `@attr` or `$S1` in a regex, regex flags) is refused when the tokenizer is
// made, so a table this accepts means the same here and in Monaco.
//
// Pure: no DOM, no Node. Imported by the renderer and by main.

export type MonarchAction = string | readonly string[] | { readonly token: string; readonly next: string };
export type MonarchRule = readonly [RegExp, MonarchAction] | { readonly include: string };

export interface MonarchLanguage {
  readonly defaultToken: string;
  readonly tokenPostfix: string;
  readonly tokenizer: Readonly<Record<string, readonly MonarchRule[]>>;
}

/** A token: where it starts in its line (UTF-16 offset) and its type (`keyword.block.junos`; '' for none). */
export interface LineToken {
  offset: number;
  type: string;
}

/** The state stack between lines (innermost last). Treat as opaque. */
export type TokenizerState = readonly string[];

export interface MonarchTokenizer {
  readonly initialState: TokenizerState;
  tokenizeLine(line: string, state: TokenizerState): { tokens: LineToken[]; state: TokenizerState };
  /** Every line of `text` (split on \n; a trailing \r is part of its line, as in Monaco's model it is not: strip it first if it matters). */
  tokenize(text: string): LineToken[][];
}

interface CompiledRule {
  regex: RegExp;
  lineStart: boolean;
  action: MonarchAction;
  name: string;
}

/** Monarch's maximum state stack depth. */
const MAX_STACK = 100;

function checkSource(re: RegExp, where: string): void {
  if (re.flags !== '') throw new Error(`${where}: regex flags (/${re.flags}) are ignored by Monarch; write the pattern without them`);
  // Monarch expands @name as an attribute of the language and $S1 as a part of the state name.
  if (/@\w/.test(re.source)) throw new Error(`${where}: "@word" in a regex is an attribute reference to Monarch; write @ as \\x40`);
  if (/\$[sS]\d/.test(re.source)) throw new Error(`${where}: "$S<n>" in a regex is a state substitution to Monarch`);
}

function checkAction(action: MonarchAction, states: Set<string>, where: string): void {
  if (typeof action === 'string') {
    if (action.startsWith('@')) throw new Error(`${where}: special token ${action} is not supported`);
    return;
  }
  if (Array.isArray(action)) {
    for (const a of action as readonly string[]) {
      if (typeof a !== 'string') throw new Error(`${where}: group actions must be token names`);
      checkAction(a, states, where);
    }
    return;
  }
  const { token, next } = action as { token: string; next: string };
  checkAction(token, states, where);
  if (next !== '@push' && next !== '@pop' && !(next.startsWith('@') && states.has(next.slice(1)))) {
    throw new Error(`${where}: next must be @push, @pop or @<state>, not ${JSON.stringify(next)}`);
  }
}

export function monarchTokenizer(lang: MonarchLanguage): MonarchTokenizer {
  const states = new Set(Object.keys(lang.tokenizer));
  const first = Object.keys(lang.tokenizer)[0];
  if (first === undefined) throw new Error('a Monarch language needs at least one state');
  const compiled = new Map<string, CompiledRule[]>();
  const compile = (state: string, rules: readonly MonarchRule[], into: CompiledRule[], depth: number): void => {
    if (depth > 10) throw new Error(`${state}: includes nest too deep`);
    rules.forEach((rule, i) => {
      const where = `${state}[${i}]`;
      if (!Array.isArray(rule)) {
        const target = (rule as { include: string }).include.replace(/^@/, '');
        const included = lang.tokenizer[target];
        if (!included) throw new Error(`${where}: include of an unknown state ${target}`);
        compile(state, included, into, depth + 1);
        return;
      }
      const [re, action] = rule as readonly [RegExp, MonarchAction];
      checkSource(re, where);
      checkAction(action, states, where);
      const lineStart = re.source.startsWith('^');
      into.push({ regex: new RegExp(`^(?:${lineStart ? re.source.slice(1) : re.source})`), lineStart, action, name: where });
    });
  };
  for (const [state, rules] of Object.entries(lang.tokenizer)) {
    const into: CompiledRule[] = [];
    compile(state, rules, into, 0);
    compiled.set(state, into);
  }
  const typeOf = (token: string): string => (token === '' ? '' : token + lang.tokenPostfix);

  const tokenizeLine = (line: string, start: TokenizerState): { tokens: LineToken[]; state: TokenizerState } => {
    let stack = start.length > 0 ? [...start] : [first];
    const tokens: LineToken[] = [];
    const emit = (offset: number, token: string): void => {
      const type = typeOf(token);
      if (tokens.length > 0 && tokens[tokens.length - 1]!.type === type) return;
      tokens.push({ offset, type });
    };
    let pos = 0;
    let force = true;
    while (force || pos < line.length) {
      force = false;
      const state = stack[stack.length - 1]!;
      const rest = line.slice(pos);
      let hit: { rule: CompiledRule; m: RegExpMatchArray } | null = null;
      for (const rule of compiled.get(state)!) {
        if (rule.lineStart && pos !== 0) continue;
        const m = rest.match(rule.regex);
        if (m) {
          hit = { rule, m };
          break;
        }
      }
      if (!hit) {
        if (pos >= line.length) break;
        emit(pos, lang.defaultToken);
        pos += 1;
        continue;
      }
      const { rule, m } = hit;
      const action = rule.action;
      if (Array.isArray(action)) {
        const groups = action as readonly string[];
        if (m.length !== groups.length + 1) throw new Error(`${rule.name}: ${m.length - 1} groups matched for ${groups.length} actions`);
        let at = pos;
        for (let i = 0; i < groups.length; i++) {
          const part = m[i + 1];
          if (part === undefined) throw new Error(`${rule.name}: group ${i + 1} did not take part in the match (Monarch needs every group to)`);
          if (part.length > 0) emit(at, groups[i]!);
          at += part.length;
        }
        if (at - pos !== m[0].length) throw new Error(`${rule.name}: the groups do not cover the match`);
        if (m[0].length === 0 && line.length > 0) throw new Error(`${rule.name}: no progress`);
        pos = at;
        continue;
      }
      const token = typeof action === 'string' ? action : (action as { token: string }).token;
      const next = typeof action === 'string' ? null : (action as { next: string }).next;
      const depth = stack.length;
      if (next === '@pop') {
        if (stack.length <= 1) throw new Error(`${rule.name}: cannot pop the last state`);
        stack = stack.slice(0, -1);
      } else if (next === '@push') {
        stack = [...stack, state];
      } else if (next !== null) {
        stack = [...stack, next.slice(1)];
      }
      if (stack.length > MAX_STACK) throw new Error(`${rule.name}: the state stack is deeper than ${MAX_STACK}`);
      if (m[0].length === 0) {
        if (line.length === 0 || stack.length !== depth || stack[stack.length - 1] !== state) continue;
        throw new Error(`${rule.name}: no progress`);
      }
      emit(pos, token);
      pos += m[0].length;
    }
    return { tokens, state: stack };
  };

  return {
    initialState: [first],
    tokenizeLine,
    tokenize(text: string): LineToken[][] {
      let state: TokenizerState = [first];
      return text.split('\n').map((line) => {
        const r = tokenizeLine(line, state);
        state = r.state;
        return r.tokens;
      });
    },
  };
}
