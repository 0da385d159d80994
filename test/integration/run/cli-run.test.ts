// `modus run` through the real CLI on real bash and python3: verdicts,
// sessions, confirmations, results modes, redaction and output that tries to
// break the document.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { DURATION, journalLines, modus, notebook, resultsBodies, scratch } from './helpers.js';

const fence = '```';

test('runs blocks in order, keeps session state, writes results under each block', async () => {
  const dir = await scratch();
  const nb = await notebook(dir, [
    '---', 'vars:', '  who: world', '---', '',
    `${fence}sh`, 'echo hello {{who}}', fence, '',
    `${fence}bash :session s`, 'cd /usr; SECRET_X=42', fence, '',
    `${fence}bash :session s :expect "^/usr 42$"`, 'echo "$PWD $SECRET_X"', fence, '',
    `${fence}python3 :expect "^42$"`, 'print(6 * 7)', fence, '',
    `${fence}diff`, '- documentation, never run', fence, '',
  ].join('\n'));
  const r = await modus(['run', nb], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^\\[1\\] sh local … pass ${DURATION}$`, 'm'));
  assert.match(r.stdout, /^\[4\] python3 local … pass/m);
  const text = await readFile(nb, 'utf8');
  const results = resultsBodies(text);
  assert.deepEqual(results.map((x) => x.body), ['hello world', '', '/usr 42', '42']);
  assert.match(results[0]!.attrs, new RegExp(`^:host local :at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ :took ${DURATION} :exit 0 :status pass :hash [0-9a-f]{12}$`));
  assert.ok(text.includes(`${fence}diff\n- documentation, never run\n${fence}\n`), 'the diff block has no results');
  const journal = await journalLines(dir);
  assert.equal(journal.length, 4);
  assert.equal(journal[0]!.command, 'echo hello world');
});

test('a failed expectation stops the run; --keep-going goes on; expect-exit', async () => {
  const dir = await scratch();
  const source = [
    `${fence}sh :expect "^0% packet loss"`, 'echo "100% packet loss"', fence, '',
    `${fence}sh :expect-exit 3`, 'exit 3', fence, '',
    `${fence}sh`, 'exit 1', fence, '',
    `${fence}sh`, 'echo last', fence, '',
  ].join('\n');
  const nb = await notebook(dir, source);
  let r = await modus(['run', nb], dir);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /\[1\] sh local … fail .*expected \/\^0% packet loss\/ not found/);
  assert.doesNotMatch(r.stdout, /\[2\]/);
  let results = resultsBodies(await readFile(nb, 'utf8'));
  assert.equal(results.length, 1);
  assert.match(results[0]!.attrs, /:exit 0 :status fail :hash [0-9a-f]{12}$/);
  assert.equal(results[0]!.body, '100% packet loss\nmodus: expected /^0% packet loss/ not found in the output');

  r = await modus(['run', nb, '--keep-going'], dir);
  assert.equal(r.code, 1);
  results = resultsBodies(await readFile(nb, 'utf8'));
  assert.deepEqual(results.map((x) => /:status (\w+)/.exec(x.attrs)![1]), ['fail', 'pass', 'fail', 'pass']);
  assert.match(results[1]!.attrs, /:exit 3 :status pass/);
  assert.equal(results[2]!.body, 'modus: exit status 1, expected 0');
});

test(':confirm without a terminal is an error that says to use --yes; --yes runs it', async () => {
  const dir = await scratch();
  const nb = await notebook(dir, `${fence}sh :confirm\necho confirmed\n${fence}\n`);
  let r = await modus(['run', nb], dir);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /\[1\] sh local … error .*needs confirmation \(:confirm\) and there is no terminal to ask; run with --yes/);
  let results = resultsBodies(await readFile(nb, 'utf8'));
  assert.match(results[0]!.attrs, /:status error :hash [0-9a-f]{12}$/);
  r = await modus(['run', nb, '--yes'], dir);
  assert.equal(r.code, 0, r.stderr);
  results = resultsBodies(await readFile(nb, 'utf8'));
  assert.equal(results.length, 1, 'replace: the error result was replaced');
  assert.equal(results[0]!.body, 'confirmed');
});

test(':eval no never runs; :results append keeps earlier results; :results silent writes none', async () => {
  const dir = await scratch();
  const nb = await notebook(dir, [
    `${fence}sh :eval no`, 'echo never > never.txt', fence, '',
    `${fence}sh :results append`, 'echo run', fence, '',
    `${fence}sh :results silent`, 'echo quiet', fence, '',
  ].join('\n'));
  await modus(['run', nb], dir);
  const r = await modus(['run', nb], dir);
  assert.equal(r.code, 0, r.stderr);
  const text = await readFile(nb, 'utf8');
  assert.deepEqual(resultsBodies(text).map((x) => x.body), ['run', 'run']);
  await assert.rejects(readFile(`${dir}/never.txt`));
  assert.equal((await journalLines(dir)).length, 4, 'silent runs are still journaled');
});

test(':redact masks in the results and in the journal copy of output and command', async () => {
  const dir = await scratch();
  const nb = await notebook(dir, [
    '---', 'vars:', '  token: s3cr3t-T0ken', '---',
    `${fence}sh :redact "s3cr3t-\\w+"`, 'echo "token is {{token}}"', fence, '',
  ].join('\n'));
  const r = await modus(['run', nb], dir);
  assert.equal(r.code, 0, r.stderr);
  const text = await readFile(nb, 'utf8');
  assert.equal(resultsBodies(text)[0]!.body, 'token is ••••');
  const journal = await readFile(`${dir}/.modus/journal/nb.md.jsonl`, 'utf8');
  assert.ok(!journal.includes('s3cr3t'), journal);
  assert.ok(journal.includes('••••'));
});

test('output with ``` and ~~~ fences, invalid UTF-8 and NUL cannot break the document', async () => {
  const dir = await scratch();
  const nb = await notebook(dir, [
    `${fence}sh`, "printf '%s\\n' '```' '~~~~' '````results :status pass' 'inside'", "printf 'bad \\377\\376 bytes \\000 nul\\n'", fence, '',
    `${fence}sh`, 'echo second', fence, '',
  ].join('\n'));
  const r = await modus(['run', nb], dir);
  assert.equal(r.code, 0, r.stderr);
  const bytes = await readFile(nb);
  assert.ok(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  const text = bytes.toString('utf8');
  const { scanNotebook } = await import('../../../main/notebook/scan.js');
  const scanned = scanNotebook(text);
  assert.equal(scanned.blocks.length, 2);
  assert.equal(scanned.blocks[0]!.results.length, 1);
  assert.equal(scanned.blocks[0]!.results[0]!.body, '```\n~~~~\n````results :status pass\ninside\nbad \ufffd\ufffd bytes  nul');
  assert.equal(scanned.blocks[1]!.results[0]!.body, 'second');
});

test('a CRLF notebook stays CRLF and byte-identical outside the results', async () => {
  const dir = await scratch();
  const before = `# Title  \r\n\r\n${fence}sh\r\necho one\r\n${fence}\r\n\r\nTrailing  text\r\n`;
  const nb = await notebook(dir, before);
  const r = await modus(['run', nb], dir);
  assert.equal(r.code, 0, r.stderr);
  const after = await readFile(nb, 'utf8');
  const cut = before.indexOf(`${fence}\r\n\r\nTrailing`) + fence.length;
  assert.ok(after.startsWith(before.slice(0, cut)));
  assert.ok(after.endsWith(before.slice(cut)));
  assert.equal(after.slice(cut, after.length - (before.length - cut)), `\r\n\r\n${fence}results ${resultsBodies(after)[0]!.attrs}\r\none\r\n${fence}`);
  assert.doesNotMatch(after, /[^\r]\n/);
});

test('--dry-run prints the substituted code and touches nothing; --only and --block select', async () => {
  const dir = await scratch();
  const source = `${fence}sh :name first\necho {{x}} > ran.txt\n${fence}\n\n${fence}sh :name second\necho two\n${fence}\n`;
  const nb = await notebook(dir, source);
  let r = await modus(['run', nb, '--dry-run', '--var', 'x=42'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\[1\] first: sh on local \(timeout 10m00s\)\n {4}echo 42 > ran.txt\n/);
  assert.equal(await readFile(nb, 'utf8'), source);
  assert.deepEqual(await journalLines(dir), []);
  r = await modus(['run', nb, '--only', 'second', '--var', 'x=1'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(resultsBodies(await readFile(nb, 'utf8')).map((x) => x.body), ['two']);
  r = await modus(['run', nb, '--only', 'third'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no block has :name third; names in this notebook: first, second/);
  r = await modus(['run', nb, '--block', '9'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--block 9: this notebook has 2 code blocks \(numbered from 1\)/);
});

test('a timeout kills the block and is written as timeout', async () => {
  const dir = await scratch();
  // A block that would sleep for ten minutes: if the timeout did not stop it, the run would outlast the test.
  const nb = await notebook(dir, `${fence}bash :timeout 300ms\necho started; sleep 600; echo never\n${fence}\n`);
  const r = await modus(['run', nb], dir);
  assert.equal(r.code, 1);
  const results = resultsBodies(await readFile(nb, 'utf8'));
  assert.match(results[0]!.attrs, new RegExp(`:took ${DURATION} :status timeout :hash [0-9a-f]{12}$`));
  // Output printed before the timeout is kept (when the block got to print it under load).
  assert.match(results[0]!.body, /^(started\n)?modus: timed out after 300ms and was stopped$/);
});

test(':expect holds on the whole output, also on lines left out of the results', async () => {
  const dir = await scratch();
  const nb = await notebook(dir, [
    // The needle is line 500 of 1000: far outside the kept head and tail.
    `${fence}sh :expect "^needle 500$"`, 'i=1; while [ $i -le 1000 ]; do if [ $i = 500 ]; then echo "needle $i"; else echo "hay $i"; fi; i=$((i+1)); done', fence, '',
    `${fence}sh :expect "^needle 501$"`, 'i=1; while [ $i -le 1000 ]; do echo "hay $i"; i=$((i+1)); done', fence, '',
  ].join('\n'));
  const r = await modus(['run', '--keep-going', nb], dir);
  assert.equal(r.code, 1, r.stderr);
  const results = resultsBodies(await readFile(nb, 'utf8'));
  assert.match(results[0]!.attrs, /:status pass :hash [0-9a-f]{12}$/, 'the needle was in the omitted middle and still counts');
  assert.match(results[0]!.body, /^… \d+ lines omitted …$/m);
  assert.doesNotMatch(results[0]!.body, /needle 500/, 'the shown text really left it out');
  assert.match(results[1]!.attrs, /:status fail :hash [0-9a-f]{12}$/);
  assert.match(results[1]!.body, /expected \/\^needle 501\$\/ not found in the output/);
});
