// Turns the words of one statement (`interfaces ge-0/0/0 unit 0 family inet
// address 192.0.2.1/24`, or `then accept`) into the chain of statements it
// names, using the schema: which word opens a block, which is a name, which
// words are a value. Curly text, set commands and show-configuration paths
// all go through here, so `family inet {`, `then accept;` and set lines agree.

import { statementSpec, UNKNOWN_BLOCK, type SchemaNode, type StatementKind, type StatementSpec } from './config-schema.js';
import { findChild, type ConfigNode } from './config-tree.js';

/** One statement on the path. */
export interface Step {
  words: string[];
  values: string[];
  kind: StatementKind;
  spec?: StatementSpec;
  block?: SchemaNode;
  named?: boolean;
}

export interface PathError {
  message: string;
  /** The word Junos would name in <bad-element>. */
  badElement: string;
  /** The hierarchy (words) above the bad element, for <error-path>. */
  at: string[];
}

/**
 * What follows the words: a `{` block, a `;` (curly leaf), a set command,
 * or a delete/deactivate/show path (values optional, nothing is created).
 */
export type Shape = 'block' | 'leaf' | 'set' | 'lookup';

export type Resolved = { steps: Step[]; error?: undefined } | { error: PathError; steps?: undefined };

function checkRange(spec: StatementSpec | undefined, value: string | undefined): string | null {
  if (!spec?.range || value === undefined) return null;
  if (!/^\d+$/.test(value)) return `Invalid numeric value: '${value}'`;
  const [min, max] = spec.range;
  const n = Number(value);
  return n < min || n > max ? `Value ${value} is not within range (${min}..${max})` : null;
}

/**
 * Resolves `words` below a block of schema `block`; `existing` (the tree
 * there) guides statements the schema does not know, and so does
 * `bracketed` (the text had `[ … ]`: a list of values).
 */
export function resolve(block: SchemaNode, words: readonly string[], shape: Shape, existing?: ConfigNode, bracketed = false): Resolved {
  const steps: Step[] = [];
  const path = () => steps.flatMap((s) => [...s.words]);
  const fail = (message: string, badElement: string): Resolved => ({ error: { message, badElement, at: path() } });
  let here: SchemaNode = block;
  let tree = existing;
  let i = 0;
  const enter = (step: Step) => {
    steps.push(step);
    tree = tree ? findChild(tree, step.words.join(' ')) : undefined;
    if (step.block) here = step.block;
  };
  while (i < words.length) {
    const word = words[i]!;
    const remaining = words.slice(i + 1);
    const spec = statementSpec(here, word);
    if (spec) {
      switch (spec.kind) {
        case 'container':
          enter({ words: [word], values: [], kind: 'container', spec, block: spec.node });
          i += 1;
          continue;
        case 'list': {
          const name = words[i + 1];
          if (name === undefined) return fail('syntax error, expecting <data>', word);
          const bad = checkRange(spec, name);
          if (bad) return fail(bad, name);
          if (spec.entryValues && shape !== 'block' && remaining.length > 1) {
            enter({ words: [word, name], values: remaining.slice(1), kind: 'list', spec, block: spec.node });
            return { steps };
          }
          enter({ words: [word, name], values: [], kind: 'list', spec, block: spec.node });
          i += 2;
          continue;
        }
        case 'leaf': {
          const count = spec.valueWords ?? 1;
          const values = count === 'rest' ? remaining : remaining.slice(0, count);
          if (values.length === 0 && !spec.optionalValue && shape !== 'lookup') return fail('syntax error, expecting <data>', word);
          const bad = checkRange(spec, values[0]);
          if (bad) return fail(bad, values[0]!);
          if (count !== 'rest' && remaining.length > count) return fail('syntax error', remaining[count]!);
          steps.push({ words: [word], values, kind: 'leaf', spec });
          return { steps };
        }
        case 'flag':
          if (remaining.length > 0) return fail('syntax error', remaining[0]!);
          steps.push({ words: [word], values: [], kind: 'flag', spec });
          return { steps };
        case 'leaf-list':
          if (remaining.length === 0 && shape !== 'lookup') return fail('syntax error, expecting <data>', word);
          steps.push({ words: [word], values: remaining, kind: 'leaf-list', spec });
          return { steps };
        case 'multi':
          steps.push({ words: [word, ...remaining], values: [], kind: 'multi', spec });
          return { steps };
      }
    }
    if (here.named) {
      enter({ words: [word], values: [], kind: 'list', spec: here.named, block: here.named.node, named: true });
      i += 1;
      continue;
    }
    if (!here.open) return fail('syntax error', word);
    // A statement the schema does not know: what the tree already holds decides, else its shape.
    const known = tree?.children.find((c) => !c.named && c.words[0] === word);
    const kind = known?.kind ?? (bracketed && remaining.length > 0 ? 'leaf-list' : guessKind(shape, remaining.length));
    switch (kind) {
      case 'container':
        enter({ words: [word], values: [], kind, block: known?.block ?? UNKNOWN_BLOCK });
        i += 1;
        continue;
      case 'list': {
        const name = words[i + 1];
        if (name === undefined) return fail('syntax error, expecting <data>', word);
        enter({ words: [word, name], values: [], kind, block: known?.block ?? UNKNOWN_BLOCK });
        i += 2;
        continue;
      }
      case 'flag':
        if (remaining.length > 0) {
          // What was a bare word grows a block (`set chassis aggregated-devices ethernet …`).
          enter({ words: [word], values: [], kind: 'container', block: UNKNOWN_BLOCK });
          i += 1;
          continue;
        }
        steps.push({ words: [word], values: [], kind });
        return { steps };
      case 'leaf':
      case 'leaf-list':
        steps.push({ words: [word], values: remaining, kind });
        return { steps };
      case 'multi':
        steps.push({ words: [word, ...remaining], values: [], kind });
        return { steps };
    }
  }
  return { steps };
}

function guessKind(shape: Shape, remaining: number): StatementKind {
  if (shape === 'block') return remaining === 0 ? 'container' : 'list';
  if (remaining === 0) return 'flag';
  if (remaining === 1) return 'leaf';
  return shape === 'leaf' ? 'multi' : 'container';
}

/** `[edit a b c]` for an error path. */
export function editPath(words: readonly string[]): string {
  return words.length === 0 ? '[edit]' : `[edit ${words.map(quoteIfNeeded).join(' ')}]`;
}

/** Junos quotes a word when it would not read back as one word. */
export function quoteIfNeeded(word: string): string {
  return word === '' || /[\s;{}[\]"#'\\]/.test(word) ? quote(word) : word;
}

export function quote(word: string): string {
  return `"${word.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
