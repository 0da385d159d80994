// The limits of limits.ts, met one at a time: each gives one positioned
// error with its own rule, and what stays within them reads as before.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanNotebook } from '../../../main/notebook/scan.js';
import { capMessages, formatMessage } from '../../../main/notebook/messages.js';
import { parseHeaderArgText } from '../../../main/notebook/header-args.js';
import { substituteBody } from '../../../main/notebook/variables.js';
import { findVariableRefs } from '../../../main/notebook/variable-refs.js';
import { exceedsLimits, MAX_HEADER_ARGS_LENGTH, MAX_INLINE_NESTING, MAX_NESTING, MAX_PROBLEMS } from '../../../main/notebook/limits.js';
import { renderReport } from '../../../main/notebook/report.js';
import type { NotebookMessage } from '../../../main/notebook/types.js';

const errors = (text: string): string[] => scanNotebook(text, 'nb.md').messages.filter((m) => m.severity === 'error').map(formatMessage);

test(`block quotes, list items and footnotes nest up to ${MAX_NESTING} levels; the next marker is an error where it stands`, () => {
  const fence = (prefix: string): string => `${prefix}\`\`\`sh\n${prefix}echo deep\n${prefix}\`\`\`\n`;
  const quotes = (n: number): string => '> '.repeat(n);
  assert.deepEqual(errors(fence(quotes(MAX_NESTING))), []);
  assert.equal(scanNotebook(fence(quotes(MAX_NESTING))).blocks[0]?.body, 'echo deep');

  assert.deepEqual(errors(fence(quotes(MAX_NESTING + 1))), [
    `nb.md:1:${2 * MAX_NESTING + 1} nesting deeper than ${MAX_NESTING} block quote/list levels is not supported; Modus does not read this notebook (the quotes and lists here go on past level ${MAX_NESTING}) [nesting-too-deep]`,
  ]);
  // List items count the same, on one line or one per line, and mixed with quotes.
  const items = '- '.repeat(MAX_NESTING + 1) + 'x\n';
  assert.match(errors(items)[0]!, new RegExp(`^nb\\.md:1:${2 * MAX_NESTING + 1} nesting deeper`));
  const stairs = Array.from({ length: MAX_NESTING + 1 }, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n');
  assert.match(errors(stairs)[0]!, new RegExp(`^nb\\.md:${MAX_NESTING + 1}:${2 * MAX_NESTING + 1} nesting deeper`));
  assert.match(errors('> - '.repeat(MAX_NESTING / 2) + '> x\n')[0]!, new RegExp(`^nb\\.md:1:${4 * (MAX_NESTING / 2) + 1} nesting deeper`));
  assert.match(errors('[^a]: '.repeat(MAX_NESTING + 1) + 'x\n')[0]!, /\[nesting-too-deep\]$/);
  // Reported once, however many lines go too deep.
  assert.equal(errors(quotes(MAX_NESTING + 5).concat('x\n').repeat(50)).length, 1);
  // Siblings do not add up: a hundred items at each level is fine.
  assert.deepEqual(errors(('- x\n'.repeat(100) + '  - y\n'.repeat(100)).repeat(3)), []);
});

test('header arguments longer than the limit are an error at their start; the value itself parses however long', () => {
  const long = 'a'.repeat(MAX_HEADER_ARGS_LENGTH);
  assert.deepEqual(errors(`\`\`\`sh :expect ${long}\necho\n\`\`\`\n`), [
    `nb.md:1:7 header arguments of ${MAX_HEADER_ARGS_LENGTH + 8} characters are not supported (at most ${MAX_HEADER_ARGS_LENGTH}); put long values under vars: in the front matter and write {{name}} here [header-arguments-too-long]`,
  ]);
  assert.deepEqual(errors(`\`\`\`sh :expect ${'a'.repeat(MAX_HEADER_ARGS_LENGTH - 8)}\necho\n\`\`\`\n`), []);
  // 200k characters: the value's offsets used to be spread into push() and overflowed the stack.
  const start = { line: 1, column: 7, offset: 6 };
  const { args, messages } = parseHeaderArgText(`:expect ${'b'.repeat(200_000)} :var x={{y}}`, start, 'nb.md', { y: 'z'.repeat(200_000) });
  assert.deepEqual(messages, []);
  assert.equal(args.expect[0]?.source.length, 200_000);
  assert.equal(args.vars[0]?.[1].length, 200_000);
  assert.equal(args.raw[1]?.valueOffsets.length, 200_002);
});

test('front matter whose aliases expand past the yaml package limit is an error at the first alias, not an exception', () => {
  const text = '---\na: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n---\n\n```sh\necho\n```\n';
  const nb = scanNotebook(text, 'nb.md');
  assert.equal(nb.frontMatter?.data, null);
  assert.deepEqual(nb.messages.map(formatMessage), [
    'nb.md:3:8 front matter YAML aliases (*name) expand to too much data; Modus does not read this notebook (write the values out instead of nesting aliases) [front-matter-aliases]',
  ]);
  assert.ok(exceedsLimits(nb.messages));
  // A few aliases are fine.
  assert.deepEqual(scanNotebook('---\nbase: &b 192.0.2.1\nvars:\n  peer: *b\n---\n').frontMatter?.data, { base: '192.0.2.1', vars: { peer: '192.0.2.1' } });
});

test('YAML errors on many lines are positioned in linear time, each on its own line', () => {
  const lines = 5_000;
  const text = `---\n${'a: [\n'.repeat(lines)}---\n`;
  const nb = scanNotebook(text, 'nb.md');
  assert.ok(nb.messages.length > 0);
  for (const m of nb.messages) assert.ok(m.line >= 2 && m.line <= lines + 2, formatMessage(m));
});

test(`more than ${MAX_PROBLEMS} problems: the first ${MAX_PROBLEMS}, then one error where the rest start`, () => {
  const body = '{{x}} '.repeat(130_000);
  const nb = scanNotebook(`\`\`\`sh\n${body}\n\`\`\`\n`, 'nb.md');
  const r = substituteBody(nb.blocks[0]!, {}, 'nb.md');
  assert.ok(r.messages.length > MAX_PROBLEMS && r.messages.length <= MAX_PROBLEMS + 1, `${r.messages.length} messages collected`);
  const capped = capMessages(r.messages);
  assert.equal(capped.length, MAX_PROBLEMS + 1);
  assert.equal(formatMessage(capped[MAX_PROBLEMS]!), `nb.md:2:${6 * MAX_PROBLEMS + 1} more than ${MAX_PROBLEMS} problems; the ones from here on are not listed. Fix these and check again [too-many-problems]`);
  const few: NotebookMessage[] = [{ line: 1, column: 1, reason: 'r', ruleId: 'x', severity: 'warning' }];
  assert.equal(capMessages(few), few);
});

test('variable references: the same answers, in linear time for many {{ without }}', () => {
  assert.deepEqual(findVariableRefs('a {{ x }} {{{y}} \\{{ {{.State}} {{ $z }} {{w}}'), [
    { name: 'x', index: 2, length: 7, escape: false },
    { name: 'y', index: 11, length: 5, escape: false },
    { name: '', index: 17, length: 3, escape: true },
    { name: 'w', index: 41, length: 5, escape: false },
  ]);
  assert.deepEqual(findVariableRefs('{{ a b }} {{a}'), []);
  const many = `${'{{!'.repeat(200_000)}}}`;
  const t = Date.now();
  assert.deepEqual(findVariableRefs(many), []);
  assert.ok(Date.now() - t < 2000, 'quadratic: many {{ each sliced up to the one }}');
});

test(`the report refuses emphasis or brackets nested deeper than ${MAX_INLINE_NESTING} with a position, and renders ${MAX_INLINE_NESTING}`, () => {
  const emphasis = (n: number): string => `${'*a '.repeat(n)}b${'*'.repeat(n)}\n`;
  const ok = renderReport({ text: emphasis(MAX_INLINE_NESTING), fileName: 'nb.md', runs: null });
  assert.deepEqual(ok.problems, []);
  assert.match(ok.html, /<em>a <em>a /);
  for (const text of [emphasis(MAX_INLINE_NESTING + 1), emphasis(4000), `${'[a'.repeat(3000)}${'](u)'.repeat(3000)}\n`, `${'~~a '.repeat(3000)}b${'~~'.repeat(3000)}\n`, `${'_a '.repeat(3000)}b${'_'.repeat(3000)}\n`]) {
    const r = renderReport({ text: `# Title\n\n${text}`, fileName: 'nb.md', runs: null });
    assert.deepEqual(r.problems.map((p) => [p.ruleId, p.line]), [['inline-nesting-too-deep', 3]]);
    assert.match(r.html, /This notebook cannot be shown as a report/);
    assert.match(r.html, /nb\.md:3:\d+ emphasis, strikethrough or brackets nested deeper than 100 levels/);
  }
  // check and run do not count inline nesting: their scan has no opinion on it.
  assert.deepEqual(errors(emphasis(4000)), []);
  // Many emphases side by side are no nesting.
  assert.deepEqual(renderReport({ text: '*a* **b** ~~c~~ [d](e) '.repeat(300), fileName: 'nb.md', runs: null }).problems, []);
});

test('the report of a notebook past a limit lists the problems and nothing of the notebook', () => {
  const r = renderReport({ text: `${'>'.repeat(50_000)} <script>alert(1)</script>\n`, fileName: 'deep.md', runs: null });
  assert.deepEqual(r.problems.map((p) => [p.line, p.column, p.ruleId]), [[1, MAX_NESTING + 1, 'nesting-too-deep']]);
  assert.doesNotMatch(r.html, /script|blockquote/);
  assert.match(r.html, /deep\.md:1:101 nesting deeper than 100/);
  assert.equal(r.title, 'deep.md');
});
