import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanNotebook } from '../../../main/notebook/scan.js';
import { formatMessage } from '../../../main/notebook/messages.js';

const messagesOf = (text: string): string[] => scanNotebook(text, 'nb.md').messages.map(formatMessage);

test('finds code blocks with language, header arguments, body and positions', () => {
  const text = '# Title\n\n```sh :host r1 :timeout 5s\necho one\necho two\n```\n\n~~~~python3\nprint(1)\n~~~~\n';
  const nb = scanNotebook(text);
  assert.equal(nb.blocks.length, 2);
  const [a, b] = nb.blocks;
  assert.equal(a.index, 0);
  assert.equal(a.lang, 'sh');
  assert.equal(a.info, 'sh :host r1 :timeout 5s');
  assert.equal(a.argsText, ':host r1 :timeout 5s');
  assert.deepEqual(a.start, { line: 3, column: 1, offset: 9 });
  assert.deepEqual(a.argsStart, { line: 3, column: 7, offset: 15 });
  assert.equal(a.body, 'echo one\necho two');
  assert.equal(text.slice(a.bodySpan.start, a.bodySpan.end), 'echo one\necho two');
  assert.equal(text.slice(a.span.start, a.span.end), '```sh :host r1 :timeout 5s\necho one\necho two\n```\n');
  assert.deepEqual(a.fence, { char: '`', length: 3, indent: 0 });
  assert.equal(a.closed, true);
  assert.equal(a.container.prefix, '');
  assert.deepEqual(a.bodyLineStarts?.map((p) => [p.line, p.column]), [[4, 1], [5, 1]]);
  assert.equal(b.lang, 'python3');
  assert.deepEqual(b.fence, { char: '~', length: 4, indent: 0 });
  assert.equal(b.body, 'print(1)');
  assert.deepEqual(nb.messages, []);
});

test('code blocks inside list items and block quotes, nested, get their container prefix and plain bodies', () => {
  const text = [
    '- step one', '', '  ```sh', '  ls -l', '  ```',
    '> ```bash', '> uptime', '> ```',
    '> 1. nested', '>    ```sh', '>    id', '>    ```',
    '', '* > ```sh', '  > whoami', '  > ```', '',
  ].join('\n');
  const nb = scanNotebook(text);
  assert.deepEqual(nb.blocks.map((b) => [b.start.line, b.body, b.container.prefix]), [
    [3, 'ls -l', '  '],
    [6, 'uptime', '> '],
    [10, 'id', '>    '],
    [14, 'whoami', '  > '],
  ]);
  assert.deepEqual(nb.blocks[2].bodyLineStarts?.[0], { line: 11, column: 6, offset: text.indexOf('id\n') });
});

test('an indented fence opening strips that much indentation from its lines', () => {
  const nb = scanNotebook('  ```sh\n  a\n    b\nc\n  ```\n');
  assert.equal(nb.blocks[0].body, 'a\n  b\nc');
  assert.equal(nb.blocks[0].fence.indent, 2);
});

test('fences that are not fences: indented code, HTML blocks, backticks in a backtick info string, too-short closers', () => {
  const text = [
    '    ```sh', '    not a fence', '', // indented code
    '<div>', '```sh', 'inside html', '</div>', '', // an HTML block runs to the blank line
    '``` a `b`', 'paragraph, not a fence', '',
    '````sh', '```', 'still code', '````', '',
    '~~~sh `ok`', 'x', '~~~', '',
  ].join('\n');
  const nb = scanNotebook(text);
  assert.deepEqual(nb.blocks.map((b) => [b.start.line, b.lang, b.body]), [
    [12, 'sh', '```\nstill code'],
    [17, 'sh', 'x'],
  ]);
});

test('results blocks attach to the code block right above them (blank lines allowed), in the same container', () => {
  const text = [
    '```sh', 'date', '```', '', '', '```results :host r1 :at 2026-01-01T00:00:00Z :status pass', 'Mon', '```',
    '```results :host r2 :status "fail hard"', '', '```', '',
    '> ```sh', '> id', '> ```', '>', '> ````results :status pass', '> uid=0', '> ````', '',
  ].join('\n');
  const nb = scanNotebook(text);
  assert.equal(nb.blocks.length, 2);
  assert.deepEqual(nb.blocks[0].results.map((r) => [r.attrs, r.body]), [
    [[['host', 'r1'], ['at', '2026-01-01T00:00:00Z'], ['status', 'pass']], 'Mon'],
    [[['host', 'r2'], ['status', 'fail hard']], ''],
  ]);
  assert.equal(text.slice(nb.blocks[0].results[0].span.start, nb.blocks[0].results[0].span.end),
    '```results :host r1 :at 2026-01-01T00:00:00Z :status pass\nMon\n```\n');
  assert.deepEqual(nb.blocks[1].results.map((r) => [r.body, r.fence.length, r.closed]), [['uid=0', 4, true]]);
  assert.deepEqual(nb.messages, []);
});

test('a results block with prose before it, or outside the code block\'s container, is an orphan (warning)', () => {
  const text = ['```sh', 'ls', '```', 'some prose', '```results', 'x', '```', '', '> ```sh', '> ls', '> ```', '', '```results', 'y', '```', ''].join('\n');
  const nb = scanNotebook(text, 'nb.md');
  assert.deepEqual(nb.blocks.map((b) => b.results.length), [0, 0]);
  assert.deepEqual(nb.messages.map(formatMessage), [
    'nb.md:5:1 results block without a code block just above it (only blank lines may separate them); it is ignored [orphan-results]',
    'nb.md:13:1 results block without a code block just above it (only blank lines may separate them); it is ignored [orphan-results]',
  ]);
});

test('an unclosed code block runs to the end of the file and is reported', () => {
  assert.deepEqual(messagesOf('text\n\n~~~~sh\necho\n'), [
    'nb.md:3:1 code block is never closed; it runs to the end of the file. Add a closing ~~~~ line [unclosed-fence]',
  ]);
  const nb = scanNotebook('- ```sh\n  echo\nback out\n');
  assert.equal(nb.blocks[0].closed, false);
  assert.equal(nb.blocks[0].body, 'echo');
  assert.match(formatMessage(nb.messages[0]), /^1:3 code block is never closed; it runs to the end of its list item or quote/);
});

test('front matter: YAML data, its span, and Markdown lines numbered after it', () => {
  const text = '---\ntitle: BGP\nvars:\n  peer: 192.0.2.1\n---\n```sh\necho\n```\n';
  const nb = scanNotebook(text);
  assert.deepEqual(nb.frontMatter?.data, { title: 'BGP', vars: { peer: '192.0.2.1' } });
  assert.equal(nb.frontMatter?.raw, 'title: BGP\nvars:\n  peer: 192.0.2.1\n');
  assert.equal(text.slice(0, nb.frontMatter?.span.end), '---\ntitle: BGP\nvars:\n  peer: 192.0.2.1\n---\n');
  assert.equal(nb.blocks[0].start.line, 6);
});

test('front matter: a fence inside the YAML is not a code block', () => {
  const nb = scanNotebook('---\nnote: |\n  ```\n  x\n---\nbody\n');
  assert.deepEqual(nb.blocks, []);
  assert.deepEqual(nb.messages, []);
});

test('front matter: invalid YAML is an error at its line and column, and the data is null', () => {
  const nb = scanNotebook('---\ntitle: ok\nvars: [a, b\n---\n', 'nb.md');
  assert.equal(nb.frontMatter?.data, null);
  assert.equal(nb.messages.length >= 1, true);
  const first = formatMessage(nb.messages[0]);
  assert.match(first, /^nb\.md:\d+:\d+ front matter is not valid YAML: .+; fix the YAML between the --- lines \[front-matter-yaml\]$/);
  assert.ok(nb.messages[0].line >= 3, first);
  assert.equal(nb.messages[0].severity, 'error');
  assert.deepEqual(messagesOf('---\n- a\n- b\n---\n'), ['nb.md:2:1 front matter must be a YAML mapping (key: value lines), not a list or a single value [front-matter-yaml]']);
  assert.deepEqual(messagesOf('---\na: 1\na: 2\n---\n'), ['nb.md:3:1 front matter is not valid YAML: Map keys must be unique; fix the YAML between the --- lines [front-matter-yaml]']);
});

test('BOM, CRLF and the dominant line ending', () => {
  const text = '\ufeff```sh\r\necho\r\n```\r\n\r\ntext\n';
  const nb = scanNotebook(text);
  assert.equal(nb.bom, true);
  assert.equal(nb.eol, '\r\n');
  assert.equal(nb.blocks[0].body, 'echo');
  assert.deepEqual(nb.blocks[0].start, { line: 1, column: 1, offset: 1 });
  assert.equal(text.slice(nb.blocks[0].span.start, nb.blocks[0].span.end), '```sh\r\necho\r\n```\r\n');
  assert.equal(scanNotebook('a\nb\r\nc\n').eol, '\n');
  assert.equal(scanNotebook('no line ending').eol, '\n');
  assert.equal(scanNotebook('```\rlone cr\r```\r').blocks[0].body, 'lone cr');
});

test('tabs in container indentation are read at tab stops of 4', () => {
  const nb = scanNotebook('-\t```sh\n\tls\n\t```\n');
  assert.equal(nb.blocks.length, 1);
  assert.equal(nb.blocks[0].body, 'ls');
  assert.equal(nb.blocks[0].closed, true);
  // A tab only partly used by the list item's indentation leaves the rest as spaces.
  assert.equal(scanNotebook('- ```sh\n\t  ls\n  ```\n').blocks[0].body, '    ls');
});
