// Property: whatever a notebook says, the functions behind `modus check`,
// `modus run` (the plan) and `modus export` return positioned problems and
// never throw; every problem points into the file, and there are never more
// than the cap. The real CLI on such notebooks: test/integration/cli-check-export/hostile.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scanNotebook } from '../../../main/notebook/scan.js';
import { checkNotebook } from '../../../main/notebook/prepare.js';
import { formatMessage } from '../../../main/notebook/messages.js';
import { renderReport } from '../../../main/notebook/report.js';
import { MAX_PROBLEMS } from '../../../main/notebook/limits.js';
import { planRun } from '../../../main/run/plan.js';
import { inventoryFromYaml } from '../../../main/inventory/inventory.js';
import type { NotebookMessage } from '../../../main/notebook/types.js';
import { hostileNotebook, insideFile, lineLengths } from './hostile-gen.js';

const FILE = 'nb.md';
const inventory = inventoryFromYaml('hosts:\n  r1: {}\n  r2: { platform: junos }\ngroups:\n  edges: [r1, r2]\n', 'inventory.yaml');

function assertPositioned(messages: readonly NotebookMessage[], lengths: readonly number[], what: string): void {
  assert.ok(messages.length <= MAX_PROBLEMS + 1, `${what}: ${messages.length} messages`);
  for (const m of messages) {
    if (m.file !== undefined && m.file !== FILE) continue;
    assert.ok(insideFile(m, lengths), `${what}: ${formatMessage(m)} is not inside the file (${lengths.length} lines)`);
    assert.ok(m.reason.length > 0 && m.ruleId.length > 0, `${what}: ${formatMessage(m)}`);
  }
}

test('hostile notebooks: scan, check, plan and report return positioned problems and never throw', () => {
  fc.assert(
    fc.property(hostileNotebook, (text) => {
      const lengths = lineLengths(text);
      const nb = scanNotebook(text, FILE);
      assert.equal(nb.text, text);
      assertPositioned(nb.messages, lengths, 'scan');
      assertPositioned(checkNotebook(nb, {}, FILE), lengths, 'checkNotebook');
      const plan = planRun(nb, { file: FILE, inventory });
      assertPositioned(plan.messages, lengths, 'plan');
      // A plan with an error runs nothing; without one, every block has its script.
      for (const b of plan.blocks) assert.equal(typeof b.script, 'string');
      const report = renderReport({ text, fileName: FILE, runs: null });
      assertPositioned(report.problems, lengths, 'report');
      assert.match(report.html, /^<!doctype html>/);
      if (report.problems.length > 0) assert.match(report.html, /This notebook cannot be shown as a report/);
    }),
    { numRuns: 40, seed: 20261203 },
  );
});

test('hostile notebooks with a selection: --block and --only plans never throw either', () => {
  fc.assert(
    fc.property(hostileNotebook, fc.integer({ min: 1, max: 6 }), (text, n) => {
      const lengths = lineLengths(text);
      const nb = scanNotebook(text, FILE);
      for (const selection of [{ block: n }, { from: n }, { only: 'x' }]) {
        const plan = planRun(nb, { file: FILE, inventory, selection });
        assertPositioned(plan.messages, lengths, `plan ${JSON.stringify(selection)}`);
      }
    }),
    { numRuns: 20, seed: 3 },
  );
});
