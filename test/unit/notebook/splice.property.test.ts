// Property: for random notebooks and random outputs, a splice changes only
// the results region, a fresh scan finds the same code blocks with the new
// results attached, and removing the results gives back the original text.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scanNotebook } from '../../../main/notebook/scan.js';
import { removeResults, resultsRegion, sanitizeResultText, spliceResults } from '../../../main/notebook/splice.js';
import type { ResultEntry, ScannedNotebook } from '../../../main/notebook/types.js';
import { generateNotebook } from './notebook-gen.js';

const nasty = fc.constantFrom(
  '```', '````', '~~~', '~~~~~', '    ```', '> ```', '- ```', '```results', '\u0000', '\u001b[31m', '\u001b[0m', '\u001b]0;title\u0007',
  '\r\n', '\r', '\n', '\n\n', '\t', '\ud800', '\udfff', '\ufffd', '\ufeff', '  ', '<div>', '<!--', '{{x}}', '|a|b|', '\\', '"', '\u2028',
);
const outputText = fc.array(fc.oneof(nasty, fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 30 }).map((parts) => parts.join(''));
const attrValue = fc.oneof(fc.constantFrom('r1', 'pass', '2026-11-23T19:40:02Z', 'a b', 'x"y', 'q`b', ':k', ''), fc.string({ maxLength: 6 }));
const resultEntry: fc.Arbitrary<ResultEntry> = fc.record({
  attrs: fc.array(fc.tuple(fc.constantFrom('host', 'at', 'status', 'exit', 'took'), attrValue), { maxLength: 4 }),
  body: outputText,
});

/** What a results body reads back as: sanitised, one final newline dropped, whitespace-only lines empty. */
function expectedBody(body: string): string {
  let s = sanitizeResultText(body);
  if (s.endsWith('\n')) s = s.slice(0, -1);
  if (body === '') return '';
  return s.split('\n').map((l) => (/^[ \t]*$/.test(l) ? '' : l)).join('\n');
}

const shape = (nb: ScannedNotebook) => nb.blocks.map((b) => [b.lang, b.body, b.closed]);

test('splicing random results into random notebooks keeps everything else intact', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.nat(), fc.array(resultEntry, { minLength: 1, maxLength: 3 }), fc.constantFrom('replace', 'append') as fc.Arbitrary<'replace' | 'append'>,
      (seed, which, entries, mode) => {
        const { text } = generateNotebook(seed);
        const nb = scanNotebook(text);
        const candidates = nb.blocks.filter((b) => b.closed && b.results.every((r) => r.closed !== false));
        fc.pre(candidates.length > 0);
        const block = candidates[which % candidates.length];
        const r = spliceResults(nb, block, entries, mode);
        assert.equal(r.error, null);
        assert.equal(r.edits.length, 1);
        const [edit] = r.edits;
        const region = resultsRegion(nb, block);
        // Only the results region (or the point after it) changed.
        assert.equal(r.text, text.slice(0, edit.span.start) + edit.newText + text.slice(edit.span.end));
        assert.ok(edit.span.start >= region.start && edit.span.end <= region.end);

        const after = scanNotebook(r.text);
        assert.deepEqual(shape(after), shape(nb));
        const old = mode === 'append' ? block.results.map((x) => x.body) : [];
        assert.deepEqual(after.blocks[block.index].results.map((x) => x.body), [...old, ...entries.map((e) => expectedBody(e.body))]);
        assert.deepEqual(after.blocks[block.index].results.slice(old.length).map((x) => x.attrs),
          entries.map((e) => e.attrs.map(([k, v]) => [k, sanitizeResultText(v).replace(/[\r\n]+/g, ' ')])));
        // Other blocks' results are untouched.
        for (const b of nb.blocks) if (b !== block) assert.deepEqual(after.blocks[b.index].results.map((x) => x.body), b.results.map((x) => x.body));
        // Removing the results gives back the original without results; with none before, the original itself.
        assert.equal(removeResults(after).text, removeResults(nb).text);
        if (block.results.length === 0) {
          assert.equal(r.text.slice(0, edit.span.start) + r.text.slice(edit.span.start + edit.newText.length), text);
        }
        // Appending again keeps both.
        if (mode === 'append') {
          const again = spliceResults(after, after.blocks[block.index], entries, 'append');
          const twice = scanNotebook(again.text).blocks[block.index].results.map((x) => x.body);
          assert.deepEqual(twice, [...old, ...entries.map((e) => expectedBody(e.body)), ...entries.map((e) => expectedBody(e.body))]);
        }
      }),
    { numRuns: 400 },
  );
});

test('a notebook with every block given results, then all removed, is byte-identical', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1_000_000 }), resultEntry, (seed, entry) => {
      const { text } = generateNotebook(seed);
      let nb = scanNotebook(text);
      const bare = removeResults(nb).text;
      for (let i = 0; i < nb.blocks.length; i++) {
        const b = nb.blocks[i];
        if (!b.closed || b.results.some((r) => r.closed === false)) continue;
        const r = spliceResults(nb, b, [entry], 'replace');
        assert.equal(r.error, null);
        nb = scanNotebook(r.text);
      }
      assert.equal(removeResults(nb).text, bare);
    }),
    { numRuns: 150 },
  );
});
