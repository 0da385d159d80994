import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanNotebook } from '../../../main/notebook/scan.js';
import { formatMessage } from '../../../main/notebook/messages.js';
import {
  applyEdits, removeResults, renderResultsBlock, sanitizeResultText, spliceResults,
} from '../../../main/notebook/splice.js';
import type { ResultEntry } from '../../../main/notebook/types.js';

const entry = (body: string, status = 'pass'): ResultEntry => ({ attrs: [['host', 'r1'], ['status', status]], body });

function splice(text: string, entries: ResultEntry[], mode: 'replace' | 'append' = 'replace', blockIndex = 0): string {
  const nb = scanNotebook(text);
  const r = spliceResults(nb, nb.blocks[blockIndex], entries, mode, 'nb.md');
  assert.equal(r.error, null);
  assert.equal(r.edits.length, 1);
  assert.equal(applyEdits(text, r.edits), r.text);
  return r.text;
}

test('inserts results right after the closing fence with one blank line, as one insertion edit', () => {
  const text = '# Check\n\n```sh\nuptime\n```\nAfter.\n';
  const nb = scanNotebook(text);
  const r = spliceResults(nb, nb.blocks[0], [entry('up 3 days\n')], 'replace');
  assert.equal(r.text, '# Check\n\n```sh\nuptime\n```\n\n```results :host r1 :status pass\nup 3 days\n```\nAfter.\n');
  assert.deepEqual(r.edits, [{ span: { start: 25, end: 25 }, newText: '\n\n```results :host r1 :status pass\nup 3 days\n```' }]);
});

test('replace takes the place of the old results; append goes after them; one results block per entry', () => {
  const text = '```sh\nping\n```\n\n\n```results :host r1 :status fail\nold\n```\n\nNext\n';
  assert.equal(splice(text, [entry('new', 'pass'), { attrs: [['host', 'r2']], body: 'two' }]),
    '```sh\nping\n```\n\n```results :host r1 :status pass\nnew\n```\n\n```results :host r2\ntwo\n```\n\nNext\n');
  assert.equal(splice(text, [entry('newer')], 'append'),
    '```sh\nping\n```\n\n\n```results :host r1 :status fail\nold\n```\n\n```results :host r1 :status pass\nnewer\n```\n\nNext\n');
  // Replacing with nothing removes them.
  assert.equal(splice(text, []), '```sh\nping\n```\n\nNext\n');
});

test('results of a block inside a quote or a list item stay inside it', () => {
  assert.equal(splice('> ```sh\n> id\n> ```\n> more quote\n', [entry('uid=0\n\nend')]),
    '> ```sh\n> id\n> ```\n>\n> ```results :host r1 :status pass\n> uid=0\n>\n> end\n> ```\n> more quote\n');
  assert.equal(splice('1. step\n\n   ```sh\n   ls\n   ```\n2. next\n', [entry('a\nb')]),
    '1. step\n\n   ```sh\n   ls\n   ```\n\n   ```results :host r1 :status pass\n   a\n   b\n   ```\n2. next\n');
  const nested = splice('- > ```sh\n  > ls\n  > ```\n', [entry('x')]);
  assert.equal(nested, '- > ```sh\n  > ls\n  > ```\n  >\n  > ```results :host r1 :status pass\n  > x\n  > ```\n');
  assert.equal(scanNotebook(nested).blocks[0].results[0].body, 'x');
});

test('CRLF files get CRLF, the BOM and trailing spaces elsewhere are kept, a file without a final newline keeps none', () => {
  const text = '\ufeffTitle  \r\n\r\n```sh\r\nls\r\n```';
  assert.equal(splice(text, [entry('a\nb')]), '\ufeffTitle  \r\n\r\n```sh\r\nls\r\n```\r\n\r\n```results :host r1 :status pass\r\na\r\nb\r\n```');
});

test('the fence is longer than any backtick run in the output; control characters are shown, not written', () => {
  const out = 'a ``` b\n```` four\n\u001b[31mred\u001b[0m\u0000nul\rover\r\nwin\u007f\ud800';
  const block = renderResultsBlock(entry(out), '', '\n');
  assert.equal(block, '`````results :host r1 :status pass\na ``` b\n```` four\n␛[31mred␛[0m␀nul\nover\nwin␡\ufffd\n`````');
  assert.equal(sanitizeResultText('tab\tkept\nnewline kept'), 'tab\tkept\nnewline kept');
  // An attribute with a backtick cannot sit in a backtick fence's info string: tildes then.
  assert.equal(renderResultsBlock({ attrs: [['cmd', 'a`b']], body: '~~~\nx' }, '', '\n'), '~~~~results :cmd a`b\n~~~\nx\n~~~~');
});

test('a block that is never closed cannot take results: an error, and the text is unchanged', () => {
  const text = '```sh\nls\n';
  const nb = scanNotebook(text);
  const r = spliceResults(nb, nb.blocks[0], [entry('x')], 'replace', 'nb.md');
  assert.equal(r.text, text);
  assert.deepEqual(r.edits, []);
  assert.equal(formatMessage(r.error!), 'nb.md:1:1 cannot write results: the code block starting here is never closed; add a closing ``` line [results-not-written]');
  const openResults = '```sh\nls\n```\n\n````results\nnever closed\n';
  const nb2 = scanNotebook(openResults);
  const r2 = spliceResults(nb2, nb2.blocks[0], [entry('x')], 'replace', 'nb.md');
  assert.equal(r2.text, openResults);
  assert.equal(formatMessage(r2.error!), 'nb.md:1:1 cannot write results: an earlier results block of this code block is never closed; close or delete it first (its fence is ````) [results-not-written]');
});

test('removeResults gives back the text without any results', () => {
  const original = 'a\n\n```sh\nx\n```\nb\n\n> ```sh\n> y\n> ```\n';
  let text = splice(original, [entry('1')]);
  text = splice(text, [entry('2')], 'append');
  text = splice(text, [entry('3')], 'replace', 1);
  const nb = scanNotebook(text);
  assert.deepEqual(nb.blocks.map((b) => b.results.map((r) => r.body)), [['1', '2'], ['3']]);
  assert.equal(removeResults(nb).text, original);
});
