// Property: after any splice into any generated notebook, the scan brought up
// to date in place is exactly the scan made from scratch, again and again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scanNotebook } from '../../../main/notebook/scan.js';
import { FollowedScan, textAfterSplices, type BatchSplice } from '../../../main/notebook/scan-after-splice.js';
import { spliceResults } from '../../../main/notebook/splice.js';
import type { ResultEntry } from '../../../main/notebook/types.js';
import { generateNotebook } from './notebook-gen.js';

const nasty = fc.constantFrom('```', '````', '~~~', '    ```', '> ```', '- ```', '```results', '\u0000', '\u001b[31m', '\r\n', '\r', '\n', '\n\n', '\t', '  ', ' \t ', '\ud800', '\ufeff', '{{x}}', '\\', '"', '`');
const outputText = fc.array(fc.oneof(nasty, fc.string({ maxLength: 10 })), { maxLength: 20 }).map((parts) => parts.join(''));
const attrValue = fc.oneof(fc.constantFrom('r1', 'pass', 'a b', 'x"y', 'q`b', ':k', '', 'line\nbreak'), fc.string({ maxLength: 6 }));
const resultEntry: fc.Arbitrary<ResultEntry> = fc.record({
  attrs: fc.array(fc.tuple(fc.constantFrom('host', 'at', 'status', 'exit', 'took'), attrValue), { maxLength: 4 }),
  body: outputText,
});

/** Everything a scan says, as plain data (messages included). */
const view = (nb: unknown): unknown => JSON.parse(JSON.stringify(nb));

test('the scan brought up to date through splices equals a fresh scan of the new text', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.array(fc.tuple(fc.nat(), fc.array(resultEntry, { minLength: 1, maxLength: 3 }), fc.constantFrom('replace', 'append') as fc.Arbitrary<'replace' | 'append'>), { minLength: 1, maxLength: 6 }),
      (seed, splices) => {
        const scan = new FollowedScan(scanNotebook(generateNotebook(seed).text));
        for (const [which, entries, mode] of splices) {
          const candidates = scan.notebook.blocks.filter((b) => b.closed && b.results.every((r) => r.closed !== false));
          if (candidates.length === 0) return;
          const block = candidates[which % candidates.length]!;
          const r = spliceResults(scan.notebook, block, entries, mode);
          assert.equal(r.error, null);
          assert.ok(scan.followBatch([{ block, edit: r.edits[0]! }], r.text), 'a splice is always followed');
          assert.deepEqual(view(scan.notebook), view(scanNotebook(r.text)));
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('splices followed lazily (later blocks moved when looked at) leave the scan a fresh scan gives, block by block and whole', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.array(fc.tuple(fc.nat(), fc.nat(), fc.array(resultEntry, { minLength: 1, maxLength: 2 }), fc.constantFrom('replace', 'append') as fc.Arbitrary<'replace' | 'append'>), { minLength: 1, maxLength: 10 }),
      (seed, splices) => {
        const scan = new FollowedScan(scanNotebook(generateNotebook(seed).text));
        const count = scan.unsettled.blocks.length;
        if (count === 0) return;
        for (const [which, look, entries, mode] of splices) {
          const block = scan.block(which % count)!;
          if (!block.closed || block.results.some((r) => r.closed === false)) continue;
          const r = spliceResults(scan.unsettled, block, entries, mode);
          assert.equal(r.error, null);
          assert.ok(scan.followBatch([{ block, edit: r.edits[0]! }], r.text), 'a splice is always followed');
          // One block looked at now is where a fresh scan puts it, whatever is still owed by the others.
          const fresh = scanNotebook(r.text);
          assert.deepEqual(view(scan.block(look % count)), view(fresh.blocks[look % count]));
        }
        assert.deepEqual(view(scan.notebook), view(scanNotebook(scan.text)));
      },
    ),
    { numRuns: 300 },
  );
});

test('splices of several blocks made against one text and followed as a batch leave the scan a fresh scan gives', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.array(fc.array(fc.tuple(fc.nat(), fc.array(resultEntry, { minLength: 1, maxLength: 2 }), fc.constantFrom('replace', 'append') as fc.Arbitrary<'replace' | 'append'>), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }),
      fc.nat(),
      (seed, batches, look) => {
        const scan = new FollowedScan(scanNotebook(generateNotebook(seed).text));
        const count = scan.unsettled.blocks.length;
        if (count === 0) return;
        for (const batch of batches) {
          const splices: BatchSplice[] = [];
          const taken = new Set<number>();
          for (const [which, entries, mode] of batch) {
            const block = scan.block(which % count)!;
            if (taken.has(block.index) || !block.closed || block.results.some((r) => r.closed === false)) continue;
            const r = spliceResults(scan.unsettled, block, entries, mode);
            assert.equal(r.error, null);
            taken.add(block.index);
            splices.push({ block, edit: r.edits[0]! });
          }
          if (splices.length === 0) continue;
          const text = textAfterSplices(scan.text, splices);
          assert.ok(scan.followBatch(splices, text), 'a batch of splices is always followed');
          const fresh = scanNotebook(text);
          assert.deepEqual(view(scan.block(look % count)), view(fresh.blocks[look % count]));
        }
        assert.deepEqual(view(scan.notebook), view(scanNotebook(scan.text)));
      },
    ),
    { numRuns: 300 },
  );
});
