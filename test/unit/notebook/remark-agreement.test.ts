// The scanner and remark must agree on where every fenced code block starts
// and ends (and on its code), over every CommonMark spec example with a
// fence and over a few hundred generated notebooks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { scanStructure } from '../../../main/notebook/scan.js';
import { remarkFenceKeys, scannerFenceKeys } from './remark-fences.js';
import { generateNotebook } from './notebook-gen.js';

interface SpecExample {
  markdown: string;
  number: number;
  section: string;
}
const require = createRequire(import.meta.url);
const spec = require('commonmark-spec') as { tests: SpecExample[] };

/** Spec examples where the two cannot reasonably agree, with the reason. Empty: all agree. */
const KNOWN_DISAGREEMENTS = new Map<number, string>();

function compare(src: string, label: string): void {
  const expected = remarkFenceKeys(src);
  const actual = scannerFenceKeys(src, scanStructure(src).fences);
  assert.deepEqual(actual, expected, `${label}: ${JSON.stringify(src)}`);
}

test('every CommonMark spec example with a fence: same fenced blocks as remark', () => {
  // The spec shows tabs as →.
  const examples = spec.tests
    .map((e) => ({ ...e, markdown: e.markdown.replace(/→/g, '\t') }))
    .filter((e) => e.markdown.includes('```') || e.markdown.includes('~~~'));
  assert.ok(examples.length >= 35, `expected the spec's fence examples, found ${examples.length}`);
  let compared = 0;
  for (const e of examples) {
    if (KNOWN_DISAGREEMENTS.has(e.number)) continue;
    compare(e.markdown, `spec example ${e.number} (${e.section})`);
    compared++;
  }
  assert.equal(compared, examples.length - KNOWN_DISAGREEMENTS.size);
});

test('every CommonMark spec example, not only fenced ones: no fence found where remark sees none', () => {
  for (const e of spec.tests) compare(e.markdown.replace(/→/g, '\t'), `spec example ${e.number}`);
});

test('400 generated notebooks: same fenced blocks as remark', () => {
  let fences = 0;
  for (let seed = 1; seed <= 400; seed++) {
    const { text } = generateNotebook(seed);
    compare(text, `generated notebook seed ${seed}`);
    fences += scanStructure(text).fences.length;
  }
  // The generator must actually exercise fences.
  assert.ok(fences > 1000, `only ${fences} fences generated`);
});

// Two places where remark itself goes wrong; the scanner follows CommonMark
// there. These tests fail when remark changes, so the list stays honest.
test('remark quirk: a first line of --- with no closing line makes remark-frontmatter lose containers', () => {
  const src = '---\n> ```sh\n> ls\n> ```\n';
  assert.deepEqual(remarkFenceKeys(src), [], 'remark sees no fence (remark-frontmatter quirk)');
  const { fences, frontMatter } = scanStructure(src);
  assert.deepEqual(scannerFenceKeys(src, fences), [{ start: 2, end: 4, body: 'ls' }]);
  assert.equal(frontMatter.messages[0]?.ruleId, 'front-matter-unclosed');
});

test('remark quirk: a footnote definition nested in another one continues without its own indentation', () => {
  const src = '[^a]:\n    [^b]: ```\n    x\n';
  assert.deepEqual(remarkFenceKeys(src), [{ start: 2, end: 3, body: 'x' }]);
  assert.deepEqual(scannerFenceKeys(src, scanStructure(src).fences), [{ start: 2, end: 2, body: '' }]);
});
