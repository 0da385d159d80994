// A seeded generator of notebook-like Markdown for the agreement and splice
// tests: front matter, headings, prose, nested lists and quotes, fences of
// both kinds and varied lengths and indents, results blocks, HTML blocks,
// indented code, lazy lines, tabs, and CRLF. Every string is valid Markdown,
// so random damage (dropped prefixes, odd indents) is fair game too.

import { seededRandom } from '../../helpers/seeded-random.js';

export type Rng = () => number;

export const rng: (seed: number) => Rng = seededRandom;

export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const chance = (r: Rng, p: number): boolean => r() < p;

const WORDS = ['ping', 'router', 'bgp', 'the', 'peer', 'is', 'up', '`code`', '*em*', 'a|b', '<b>', '~~x~~', 'http://x.y', '\\`', '[^1]', '&amp;'];
const LANGS = ['sh', 'bash', 'python3', 'junos', 'results', 'results', '', 'sh :host r1 :expect "0% loss"', 'results :host r1 :status pass'];

function prose(r: Rng): string {
  const n = int(r, 1, 8);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(pick(r, WORDS));
  return words.join(' ');
}

/** Lines that look like fences but may or may not be, for bodies and prose. */
function trickyLine(r: Rng): string {
  return pick(r, [
    '```', '~~~', '````', '``', '~~', ' ```', '   ```', '    ```', '\t```', '``` x `y`', '~~~ a ~ b', '```results',
    '> ```', '- ```', '1. ~~~', '<div>', '</div>', '<!-- ``` -->', '<pre>', '</pre>', '---', '***', '# ```', '',
    '  ', 'echo "```"', '    code',
  ]);
}

function fence(r: Rng, out: string[], depth: number): void {
  const ch = chance(r, 0.7) ? '`' : '~';
  const len = chance(r, 0.7) ? 3 : int(r, 3, 7);
  const indent = chance(r, 0.8) ? '' : ' '.repeat(int(r, 1, 3));
  const lang = pick(r, LANGS);
  out.push(`${indent}${ch.repeat(len)}${lang}`);
  const n = int(r, 0, 5);
  for (let i = 0; i < n; i++) out.push(chance(r, 0.3) ? trickyLine(r) : `${' '.repeat(int(r, 0, 5))}${prose(r)}`);
  if (!chance(r, 0.06 + depth * 0.02)) {
    const closeLen = chance(r, 0.85) ? len : int(r, 2, len + 2);
    out.push(`${chance(r, 0.8) ? indent : ' '.repeat(int(r, 0, 4))}${ch.repeat(closeLen)}${chance(r, 0.1) ? '  ' : ''}`);
  }
  if (chance(r, 0.4)) {
    // A results block right after.
    const blanks = int(r, 0, 2);
    for (let i = 0; i < blanks; i++) out.push('');
    const rlen = int(r, 3, 5);
    out.push('`'.repeat(rlen) + 'results :host r1 :status pass');
    const m = int(r, 0, 3);
    for (let i = 0; i < m; i++) out.push(chance(r, 0.3) ? trickyLine(r) : prose(r));
    out.push('`'.repeat(rlen));
  }
}

function blocks(r: Rng, depth: number, count: number): string[] {
  const out: string[] = [];
  for (let b = 0; b < count; b++) {
    const kind = r();
    if (kind < 0.25) {
      fence(r, out, depth);
    } else if (kind < 0.4) {
      const n = int(r, 1, 3);
      for (let i = 0; i < n; i++) out.push(chance(r, 0.15) ? trickyLine(r) : prose(r));
    } else if (kind < 0.48) {
      out.push(`${'#'.repeat(int(r, 1, 3))} ${prose(r)}`);
    } else if (kind < 0.62 && depth < 3) {
      const ordered = chance(r, 0.4);
      const items = int(r, 1, 3);
      const bullet = pick(r, ['-', '*', '+']);
      for (let i = 0; i < items; i++) {
        const marker = ordered ? `${i + 1}${chance(r, 0.8) ? '.' : ')'}` : bullet;
        const gap = ' '.repeat(chance(r, 0.85) ? 1 : int(r, 2, 5));
        const inner = blocks(r, depth + 1, int(r, 1, 3));
        const width = marker.length + gap.length;
        inner.forEach((l, k) => {
          if (k === 0) out.push(`${marker}${gap}${l}`.replace(/\s+$/, (m) => (l === '' ? '' : m)));
          else if (l === '') out.push('');
          else if (chance(r, 0.04)) out.push(l); // lazy or escaping line
          else out.push(' '.repeat(chance(r, 0.95) ? width : int(r, 0, width + 2)) + l);
        });
        if (chance(r, 0.4)) out.push('');
      }
    } else if (kind < 0.74 && depth < 3) {
      const inner = blocks(r, depth + 1, int(r, 1, 3));
      for (const l of inner) {
        if (chance(r, 0.04)) out.push(l);
        else out.push(l === '' ? (chance(r, 0.8) ? '>' : '') : `${chance(r, 0.85) ? '> ' : '>'}${l}`);
      }
    } else if (kind < 0.8) {
      out.push(pick(r, ['<div>', '<!--', '<pre>', '<custom-tag>', '<?php']));
      out.push(trickyLine(r));
      out.push(pick(r, ['</div>', '-->', '</pre>', '', '?>']));
    } else if (kind < 0.86) {
      out.push(`    ${trickyLine(r)}`);
      out.push(`    ${prose(r)}`);
    } else if (kind < 0.9) {
      out.push(`[^${int(r, 1, 9)}]: ${chance(r, 0.5) ? '```' : prose(r)}`);
      out.push(`    ${chance(r, 0.5) ? '```' : prose(r)}`);
    } else if (kind < 0.93) {
      out.push('| a | b |', '| - | - |', `| ${prose(r)} | x |`);
    } else {
      out.push(trickyLine(r));
    }
    if (chance(r, 0.6)) out.push('');
  }
  return out;
}

export interface GeneratedNotebook {
  text: string;
  eol: '\n' | '\r\n';
}

export function generateNotebook(seed: number): GeneratedNotebook {
  const r = rng(seed);
  const lines: string[] = [];
  if (chance(r, 0.3)) {
    lines.push('---', 'title: generated', 'vars:', `  peer: 192.0.2.${int(r, 1, 9)}`);
    if (chance(r, 0.3)) lines.push('notes: |', '  ```', '  not a fence', '  ```');
    lines.push('---');
  }
  const body = blocks(r, 0, int(r, 2, 12));
  // A first line of --- without a closing one: remark-frontmatter then
  // stops seeing containers in the rest of the file (see the agreement test).
  if (lines.length === 0 && body[0] === '---') body[0] = '***';
  lines.push(...body);
  if (chance(r, 0.1)) {
    // Sprinkle tabs into indentation.
    for (let i = 0; i < lines.length; i++) if (chance(r, 0.1)) lines[i] = lines[i].replace(/^ {2,4}/, '\t');
  }
  const eolChoice = r();
  const eol: '\n' | '\r\n' = eolChoice < 0.3 ? '\r\n' : '\n';
  let text = lines.join(eol);
  if (eolChoice > 0.95) text = lines.map((l, i) => l + (i % 3 === 0 ? '\r\n' : '\n')).join('');
  else if (chance(r, 0.8)) text += eol;
  if (chance(r, 0.05)) text = '\ufeff' + text;
  return { text, eol };
}
