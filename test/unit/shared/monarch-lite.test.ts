// The Monarch subset interpreter the report colours with: it must read a
// table as Monaco does (positions, groups, states across lines, merging),
// and refuse what it would read differently.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monarchTokenizer, type MonarchLanguage } from '../../../shared/monarch-lite.js';

const lang = (tokenizer: MonarchLanguage['tokenizer']): MonarchLanguage => ({ defaultToken: 'text', tokenPostfix: '.t', tokenizer });

test('rules are tried in order at each position; adjacent tokens of one type merge; what nothing matches is the default token', () => {
  const t = monarchTokenizer(lang({ root: [[/\d+/, 'number'], [/[a-z]+/, 'word'], [/ /, '']] }));
  assert.deepEqual(t.tokenize('abc 12 de!?'), [[
    { offset: 0, type: 'word.t' }, { offset: 3, type: '' }, { offset: 4, type: 'number.t' }, { offset: 6, type: '' }, { offset: 7, type: 'word.t' }, { offset: 9, type: 'text.t' },
  ]]);
});

test('a ^ rule is tried only at the start of a line; a regex sees only the rest of the line', () => {
  const t = monarchTokenizer(lang({ root: [[/^#.*$/, 'comment'], [/(?<=x)y/, 'after-x'], [/./, 'c']] }));
  assert.deepEqual(t.tokenize('#a\nb#a\nxy'), [[{ offset: 0, type: 'comment.t' }], [{ offset: 0, type: 'c.t' }], [{ offset: 0, type: 'c.t' }]]);
});

test('groups: one token per group, empty groups give none; states are pushed and popped across lines', () => {
  const t = monarchTokenizer(lang({
    root: [[/(\s*)(key)(:)/, ['', 'k', 'p']], [/\/\*/, { token: 'comment', next: '@comment' }], [/\S+/, 'w'], [/\s+/, '']],
    comment: [[/\*\//, { token: 'comment', next: '@pop' }], [/./, 'comment']],
  }));
  assert.deepEqual(t.tokenize('key: a /* b\nc */ d'), [
    [{ offset: 0, type: 'k.t' }, { offset: 3, type: 'p.t' }, { offset: 4, type: '' }, { offset: 5, type: 'w.t' }, { offset: 6, type: '' }, { offset: 7, type: 'comment.t' }],
    [{ offset: 0, type: 'comment.t' }, { offset: 4, type: '' }, { offset: 5, type: 'w.t' }],
  ]);
  const line = t.tokenizeLine('/* open', t.initialState);
  assert.deepEqual(line.state, ['root', 'comment']);
});

test('tables Monaco would read differently are refused when the tokenizer is made', () => {
  assert.throws(() => monarchTokenizer(lang({ root: [[/a/i, 'x']] })), /flags/);
  assert.throws(() => monarchTokenizer(lang({ root: [[/a@b/, 'x']] })), /attribute reference/);
  assert.throws(() => monarchTokenizer(lang({ root: [[/a$S1/, 'x']] })), /state substitution/);
  assert.throws(() => monarchTokenizer(lang({ root: [[/a/, { token: 'x', next: '@nowhere' }]] })), /next must be/);
  assert.throws(() => monarchTokenizer(lang({ root: [[/a/, '@rematch']] })), /not supported/);
  assert.throws(() => monarchTokenizer(lang({ root: [{ include: '@missing' }] })), /unknown state/);
});

test('a group that does not take part, or groups that do not cover the match, are errors (Monaco throws on them too)', () => {
  assert.throws(() => monarchTokenizer(lang({ root: [[/(a)?(b)/, ['x', 'y']]] })).tokenize('b'), /did not take part/);
  assert.throws(() => monarchTokenizer(lang({ root: [[/(a)b/, ['x']]] })).tokenize('ab'), /groups matched|cover/);
});

test('includes are inlined in place', () => {
  const t = monarchTokenizer(lang({ root: [{ include: '@common' }, [/./, 'other']], common: [[/\d/, 'digit']] }));
  assert.deepEqual(t.tokenize('1a'), [[{ offset: 0, type: 'digit.t' }, { offset: 1, type: 'other.t' }]]);
});
