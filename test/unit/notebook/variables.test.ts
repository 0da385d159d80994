import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanNotebook } from '../../../main/notebook/scan.js';
import { formatMessage } from '../../../main/notebook/messages.js';
import {
  findVariableRefs, notebookVariables, parseVarAssignments, substituteBody, substituteVariables,
} from '../../../main/notebook/variables.js';
import { checkNotebook, prepareBlock } from '../../../main/notebook/prepare.js';

const at = { line: 10, column: 5, offset: 100 };

test('substitutes {{name}} and {{ name }}; names may hold . and -', () => {
  const r = substituteVariables('ping {{peer}} via {{ if-name }} ({{site.code}})', { peer: '192.0.2.1', 'if-name': 'ge-0/0/0', 'site.code': 'PAR' }, at);
  assert.equal(r.text, 'ping 192.0.2.1 via ge-0/0/0 (PAR)');
  assert.deepEqual(r.messages, []);
});

test('leaves templates that are not variable references alone, and \\{{ writes {{', () => {
  const text = "docker inspect -f '{{.State.Running}}' x; echo '{{ $x }}' \\{{peer}}";
  const r = substituteVariables(text, {}, at);
  assert.equal(r.text, "docker inspect -f '{{.State.Running}}' x; echo '{{ $x }}' {{peer}}");
  assert.deepEqual(r.messages, []);
  assert.deepEqual(findVariableRefs('{{a}} {{ b }}').map((x) => [x.name, x.index, x.length]), [['a', 0, 5], ['b', 6, 7]]);
});

test('an unknown variable is an error at its exact line and column', () => {
  const r = substituteVariables('first line\n  echo {{nope}} {{known}}', { known: 'k' }, at, 'nb.md');
  assert.equal(r.text, 'first line\n  echo {{nope}} k');
  assert.deepEqual(r.messages.map(formatMessage), [
    'nb.md:11:8 unknown variable "nope"; define it under vars: in the front matter, with --var nope=VALUE, or with :var nope=VALUE [unknown-variable]',
  ]);
});

test('body substitution positions references inside quotes and list items on the file line and column', () => {
  const text = '# t\n\n> - ```sh\n>   echo {{a}}\n>   echo {{missing}}\n>   ```\n';
  const nb = scanNotebook(text);
  const r = substituteBody(nb.blocks[0], { a: '1' }, 'nb.md');
  assert.equal(r.text, 'echo 1\necho {{missing}}');
  assert.deepEqual(r.messages.map(formatMessage), [
    'nb.md:5:10 unknown variable "missing"; define it under vars: in the front matter, with --var missing=VALUE, or with :var missing=VALUE [unknown-variable]',
  ]);
});

test('precedence: front matter vars < --var < :var', () => {
  const text = '---\nvars:\n  peer: 192.0.2.1\n  count: 3\n  site: PAR\n---\n```sh :var site=LHR\nping -c {{count}} {{peer}} # {{site}}\n```\n';
  const nb = scanNotebook(text);
  const { vars, messages } = notebookVariables(nb, { peer: '198.51.100.7' });
  assert.deepEqual(messages, []);
  assert.deepEqual(vars, { peer: '198.51.100.7', count: '3', site: 'PAR' });
  const p = prepareBlock(nb.blocks[0], vars);
  assert.equal(p.code, 'ping -c 3 198.51.100.7 # LHR');
  assert.equal(p.vars.site, 'LHR');
  assert.deepEqual(p.messages, []);
});

test('front matter vars must be a mapping of scalars with valid names', () => {
  const nb = scanNotebook('---\nvars:\n  ok: 1\n  list: [1, 2]\n  "bad name": x\n---\n');
  const { vars, messages } = notebookVariables(nb, {}, 'nb.md');
  assert.deepEqual(vars, { ok: '1' });
  assert.deepEqual(messages.map(formatMessage), [
    'nb.md:4:3 front matter variable "list" must be a single value (text, number or true/false), not a list or mapping [front-matter-vars]',
    'nb.md:5:3 front matter variable name "bad name" is not valid; names start with a letter or _ and have only letters, digits, _ . - [front-matter-vars]',
  ]);
  const notMap = notebookVariables(scanNotebook('---\nvars: [a]\n---\n'), {}, 'nb.md');
  assert.deepEqual(notMap.messages.map(formatMessage), ['nb.md:2:1 front matter vars: must be a mapping of NAME: VALUE lines [front-matter-vars]']);
});

test('--var parsing', () => {
  assert.deepEqual(parseVarAssignments(['a=1', 'b=x=y', 'c=']), { vars: { a: '1', b: 'x=y', c: '' }, errors: [] });
  assert.deepEqual(parseVarAssignments(['noequals', '1x=2']).errors, [
    '--var "noequals" is not NAME=VALUE (names start with a letter or _ and have only letters, digits, _ . -)',
    '--var "1x=2" is not NAME=VALUE (names start with a letter or _ and have only letters, digits, _ . -)',
  ]);
});

test('checkNotebook gathers every problem in document order; :eval no blocks and prose blocks are not checked for variables', () => {
  const text = [
    '```sh :hots r1', 'echo {{x}}', '```', '',
    '```sh :eval no', 'echo {{doc_only}}', '```', '',
    '```yaml', 'key: {{ jinja_var }}', '```', '',
    '```bash :timeout never', 'ls', '```', '',
    'prose', '```results', 'orphan', '```', '',
  ].join('\n');
  const msgs = checkNotebook(scanNotebook(text), {}, 'nb.md').map(formatMessage);
  assert.equal(msgs.length, 4, msgs.join('\n'));
  assert.match(msgs[0], /^nb\.md:1:7 unknown header argument :hots/);
  assert.match(msgs[1], /^nb\.md:2:6 unknown variable "x"/);
  assert.match(msgs[2], /^nb\.md:13:18 :timeout "never" is not valid/);
  assert.match(msgs[3], /^nb\.md:18:1 results block without a code block/);
});
