// `load set`: configuration-mode commands applied one line at a time to a
// candidate tree, as Junos does — set, delete, activate, deactivate,
// annotate, protect, unprotect, and edit/top/up/exit to move the edit
// level. A line that fails is reported and skipped; the others apply.
// Deleting (or deactivating) what is not there is a warning, `statement not
// found`, not an error.

import { ensurePath, findPath } from './config-edit.js';
import { LexError, tokenize } from './config-lexer.js';
import type { ConfigError } from './config-parse.js';
import { resolve, type Step } from './config-path.js';
import { ROOT } from './config-schema.js';
import { isBlock, removeChild, type ConfigNode } from './config-tree.js';

const UNSUPPORTED = new Set(['rename', 'insert', 'copy', 'replace', 'wildcard', 'run', 'load', 'save', 'commit', 'rollback', 'show', 'status', 'quit']);

function lineWords(line: string): string[] {
  return tokenize(line)
    .filter((t) => t.type === 'word')
    .map((t) => t.text);
}

/** Applies `text` (one command per line) to `tree` in place; returns errors and warnings. */
export function applySetCommands(tree: ConfigNode, text: string): ConfigError[] {
  const problems: ConfigError[] = [];
  let editLevel: Step[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    let words: string[];
    try {
      words = lineWords(trimmed);
    } catch (err) {
      if (!(err instanceof LexError)) throw err;
      problems.push({ severity: 'error', message: `syntax error, ${err.message}`, path: [], line });
      return;
    }
    const [verb = '', ...args] = words;
    const levelWords = editLevel.flatMap((s) => s.words);
    const error = (message: string, path: string[], badElement?: string) => problems.push({ severity: 'error', message, path, badElement, line });
    const warning = (message: string, path: string[], badElement?: string) => problems.push({ severity: 'warning', message, path, badElement, line });
    const at = (shape: 'set' | 'lookup', pathArgs: string[]) => {
      const r = resolve(ROOT, [...levelWords, ...pathArgs], shape, tree);
      if (r.error) error(r.error.message, r.error.at, r.error.badElement);
      return r.steps ?? null;
    };
    const protectedOn = (steps: Step[]): string[] | null => {
      let node: ConfigNode | undefined = tree;
      const path: string[] = [];
      for (const s of steps) {
        node = node?.children.find((c) => c.words.join(' ') === s.words.join(' '));
        path.push(...s.words);
        if (node?.protect) return path;
      }
      return null;
    };
    switch (verb) {
      case 'set': {
        const steps = at('set', args);
        if (!steps) return;
        if (steps.length === 0) return error('syntax error, expecting <statement>', levelWords, 'set');
        const locked = protectedOn(steps);
        if (locked) return error(`'${locked[locked.length - 1]}' is protected`, locked.slice(0, -1));
        ensurePath(tree, steps);
        return;
      }
      case 'delete': {
        if (args.length === 0 && editLevel.length === 0) return error('syntax error, expecting <statement>', [], 'delete');
        const steps = args.length === 0 ? editLevel : at('lookup', args);
        if (!steps) return;
        const locked = protectedOn(steps);
        if (locked) return error(`'${locked[locked.length - 1]}' is protected`, locked.slice(0, -1));
        const found = findPath(tree, steps);
        const parentPath = steps.slice(0, -1).flatMap((s) => s.words);
        if (!found) return warning('statement not found', parentPath);
        const last = steps[steps.length - 1]!;
        if (found.node.kind === 'leaf-list' && last.values.length > 0) {
          const before = found.node.values.length;
          found.node.values = found.node.values.filter((v) => !last.values.includes(v));
          if (found.node.values.length === before) return warning('statement not found', parentPath);
          if (found.node.values.length > 0) return;
        }
        removeChild(found.parent, found.node);
        pruneEmptyTop(tree, found.chain);
        return;
      }
      case 'activate':
      case 'deactivate': {
        const steps = at('lookup', args);
        if (!steps) return;
        const found = steps.length > 0 ? findPath(tree, steps) : null;
        if (!found) return warning('statement not found', steps.slice(0, -1).flatMap((s) => s.words));
        found.node.inactive = verb === 'deactivate' ? true : undefined;
        return;
      }
      case 'protect':
      case 'unprotect': {
        const steps = at('lookup', args);
        if (!steps) return;
        const found = steps.length > 0 ? findPath(tree, steps) : null;
        if (!found) return warning('statement not found', steps.slice(0, -1).flatMap((s) => s.words));
        found.node.protect = verb === 'protect' ? true : undefined;
        return;
      }
      case 'annotate': {
        const comment = args[args.length - 1];
        if (args.length < 2 || comment === undefined) return error('syntax error, expecting <statement>', levelWords, 'annotate');
        const steps = at('lookup', args.slice(0, -1));
        if (!steps) return;
        const found = steps.length > 0 ? findPath(tree, steps) : null;
        if (!found) return warning('statement not found', steps.slice(0, -1).flatMap((s) => s.words));
        found.node.annotation = comment === '' ? undefined : comment;
        return;
      }
      case 'edit': {
        const steps = at('lookup', args);
        if (!steps) return;
        const last = steps[steps.length - 1];
        if (last && last.kind !== 'container' && last.kind !== 'list') return error('syntax error', levelWords, last.words[0]);
        editLevel = steps;
        return;
      }
      case 'top':
        editLevel = [];
        return;
      case 'up':
      case 'exit': {
        const n = verb === 'up' && args[0] !== undefined ? Number(args[0]) : 1;
        editLevel = editLevel.slice(0, Math.max(0, editLevel.length - (Number.isInteger(n) && n > 0 ? n : 1)));
        return;
      }
      default:
        if (UNSUPPORTED.has(verb)) return error(`'${verb}' is not supported by the Junos simulator in load set`, levelWords, verb);
        return error('syntax error, expecting <command>', levelWords, verb);
    }
  });
  return problems;
}

/** Top-level containers left empty by a delete go away (`delete protocols bgp` may leave no `protocols`). */
function pruneEmptyTop(root: ConfigNode, chain: ConfigNode[]): void {
  const top = chain[0];
  if (!top || top === chain[chain.length - 1]) return;
  const emptied = (n: ConfigNode): boolean => isBlock(n) && n.children.length === 0 && n.spec?.prunable === true;
  if (emptied(top)) removeChild(root, top);
}
