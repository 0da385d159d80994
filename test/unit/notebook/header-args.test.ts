import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanNotebook } from '../../../main/notebook/scan.js';
import { formatMessage } from '../../../main/notebook/messages.js';
import {
  DEFAULT_TIMEOUT_MS, formatResultsAttrs, parseDuration, parseHeaderArgs, parseResultsAttrs, tokenizeHeaderArgs,
} from '../../../main/notebook/header-args.js';

/** Parse the header arguments of the first block of a one-block notebook (line 3, after a title). */
function parse(info: string, vars?: Record<string, string>) {
  const nb = scanNotebook(`# t\n\n\`\`\`${info}\necho\n\`\`\`\n`);
  const r = parseHeaderArgs(nb.blocks[0], 'nb.md', vars);
  return { args: r.args, messages: r.messages.map(formatMessage) };
}

test('defaults when there are no header arguments', () => {
  const { args, messages } = parse('sh');
  assert.deepEqual(messages, []);
  assert.deepEqual(args.hosts, []);
  assert.equal(args.session, null);
  assert.equal(args.timeoutMs, DEFAULT_TIMEOUT_MS);
  assert.equal(args.timeoutMs, 600_000);
  assert.equal(args.expectExit, 0);
  assert.equal(args.confirm, false);
  assert.equal(args.eval, true);
  assert.equal(args.results, 'replace');
  assert.equal(args.parallel, 16);
  assert.equal(args.name, null);
  assert.equal(args.commit, null);
  assert.equal(args.action, null);
});

test('every known argument, quoted values, repeatable keys', () => {
  const { args, messages } = parse(
    'sh :host r1, r2,edges :session lab :dir "/tmp/my dir" :timeout 1m30s :expect "0% packet loss" :expect /^ok$/i ' +
    ':expect-exit 2 :confirm :eval no :results append :var peer=192.0.2.1 :var msg="a b" :parallel 4 :name ping-check ' +
    ':redact "secret \\"x\\"" :commit confirmed 5 :action replace');
  assert.deepEqual(messages, []);
  assert.deepEqual(args.hosts, ['r1', 'r2', 'edges']);
  assert.equal(args.session, 'lab');
  assert.equal(args.dir, '/tmp/my dir');
  assert.equal(args.timeoutMs, 90_000);
  assert.deepEqual(args.expect.map((r) => [r.source, r.flags]), [['0% packet loss', 'm'], ['^ok$', 'i']]);
  assert.equal(args.expectExit, 2);
  assert.equal(args.confirm, true);
  assert.equal(args.eval, false);
  assert.equal(args.results, 'append');
  assert.deepEqual(args.vars, [['peer', '192.0.2.1'], ['msg', 'a b']]);
  assert.equal(args.parallel, 4);
  assert.equal(args.name, 'ping-check');
  assert.deepEqual(args.redact.map((r) => [r.source, r.flags]), [['secret "x"', 'gm']]);
  assert.deepEqual(args.commit, { mode: 'confirmed', minutes: 5 });
  assert.equal(args.action, 'replace');
  assert.deepEqual(args.raw.map((a) => a.key), ['host', 'session', 'dir', 'timeout', 'expect', 'expect', 'expect-exit', 'confirm', 'eval', 'results', 'var', 'var', 'parallel', 'name', 'redact', 'commit', 'action']);
});

test('Junos commit modes', () => {
  assert.deepEqual(parse('junos :commit check').args.commit, { mode: 'check' });
  assert.deepEqual(parse('junos :commit confirm').args.commit, { mode: 'confirm' });
  assert.deepEqual(parse('junos :commit now').args.commit, { mode: 'now' });
  assert.deepEqual(parse('junos :action set').args.action, 'set');
});

test('an unknown key is a warning at the column of the key, and is ignored', () => {
  const { args, messages } = parse('sh :hots r1 :timeout 5s');
  assert.equal(args.timeoutMs, 5000);
  assert.deepEqual(args.hosts, []);
  assert.equal(messages.length, 1);
  assert.match(messages[0], /^nb\.md:3:7 unknown header argument :hots \(ignored\); known: :host :session .* :action :private :format :expect-xpath \[unknown-header-argument\]$/);
});

test('bad values are errors at the value, saying what is accepted', () => {
  const cases: [string, string][] = [
    ['sh :timeout abc', 'nb.md:3:16 :timeout "abc" is not valid; expected a duration such as 30s, 5m, 1h, 1h30m, 500ms or a number of seconds [header-argument-value]'],
    ['sh :timeout 0s', 'nb.md:3:16 :timeout "0s" is not valid; expected a duration such as 30s, 5m, 1h, 1h30m, 500ms or a number of seconds [header-argument-value]'],
    ['sh :results maybe', 'nb.md:3:16 :results "maybe" is not valid; expected replace, append or silent [header-argument-value]'],
    ['sh :parallel 0', 'nb.md:3:17 :parallel "0" is not valid; expected a whole number from 1 to 1024 [header-argument-value]'],
    ['sh :eval maybe', 'nb.md:3:13 :eval "maybe" is not valid; expected yes or no [header-argument-value]'],
    ['sh :expect-exit 300', 'nb.md:3:20 :expect-exit "300" is not valid; expected an exit status from 0 to 255 [header-argument-value]'],
    ['sh :expect (unclosed', 'nb.md:3:15 :expect "(unclosed" is not a valid regular expression (/(unclosed/m: Unterminated group); write a JavaScript regex, optionally as /regex/flags [header-argument-value]'],
    ['sh :expect /x/q', 'nb.md:3:15 :expect "/x/q" is not a valid regular expression (unsupported flag in "q"; use i, m, s, u or v); write a JavaScript regex, optionally as /regex/flags [header-argument-value]'],
    ['sh :host', 'nb.md:3:12 :host needs a value; expected a host, group or glob, or a comma-separated list of them [header-argument-value]'],
    ['sh :host r1,,r2', 'nb.md:3:13 :host "r1,,r2" is not valid; expected a host, group or glob, or a comma-separated list of them [header-argument-value]'],
    ['sh :var novalue', 'nb.md:3:12 :var "novalue" is not valid; expected NAME=VALUE where NAME starts with a letter or _ and has only letters, digits, _ . - [header-argument-value]'],
    ['sh :confirm yes', 'nb.md:3:16 :confirm takes no value; write :confirm alone (found "yes") [header-argument-value]'],
    ['junos :commit confirmed', 'nb.md:3:18 :commit "confirmed" is not valid; expected check, confirmed MINUTES, confirm, rollback or now [header-argument-value]'],
    ['junos :action delete', 'nb.md:3:18 :action "delete" is not valid; expected merge, replace, override or set [header-argument-value]'],
    ['sh :name "has space"', 'nb.md:3:13 :name "has space" is not valid; expected a name of letters, digits, _ . and - [header-argument-value]'],
    ['sh :timeout 5s :timeout 6s', 'nb.md:3:19 :timeout is given twice (first at column 7); keep one [duplicate-header-argument]'],
    ['sh host r1', 'nb.md:3:7 unexpected "host" before the first header argument; write arguments as :key value (for example :host r1) [header-argument-syntax]'],
    ['sh :expect "open', 'nb.md:3:15 this quote is never closed; end the value with " [header-argument-syntax]'],
  ];
  for (const [info, expected] of cases) {
    const { messages } = parse(info);
    assert.deepEqual(messages, [expected], info);
  }
});

test('durations', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('5m'), 300_000);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('45'), 45_000);
  assert.equal(parseDuration('1.5s'), 1500);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('abc'), null);
  assert.equal(parseDuration('5 m'), null);
  assert.equal(parseDuration(''), null);
  assert.equal(parseDuration('-5s'), null);
});

test('variables in header values are substituted when variables are given; unknown ones are errors at their column', () => {
  const { args, messages } = parse('sh :host {{ router }} :var t=7s :timeout {{t}} :expect "{{peer}} is up"', { router: 'r9', peer: '192.0.2.1' });
  assert.deepEqual(messages, []);
  assert.deepEqual(args.hosts, ['r9']);
  assert.equal(args.timeoutMs, 7000);
  assert.equal(args.expect[0].source, '192.0.2.1 is up');
  const bad = parse('sh :host r1 :dir /srv/{{nope}}', {});
  assert.deepEqual(bad.messages, ['nb.md:3:26 unknown variable "nope"; define it under vars: in the front matter, with --var nope=VALUE, or with :var nope=VALUE [unknown-variable]']);
  // Without variables, values are literal.
  assert.deepEqual(parse('sh :dir /srv/{{nope}}').args.dir, '/srv/{{nope}}');
});

test('tokenizer: keys need a colon and a letter; quoted words are never keys', () => {
  const { args } = tokenizeHeaderArgs(':dir ":odd" :x a  b :y', { line: 1, column: 1, offset: 0 });
  assert.deepEqual(args.map((a) => [a.key, a.value, a.flag]), [['dir', ':odd', false], ['x', 'a b', false], ['y', '', true]]);
  assert.deepEqual(args.map((a) => a.keyAt.column), [1, 13, 21]);
});

test('results attributes round-trip through formatting', () => {
  const attrs: [string, string][] = [['host', 'r1'], ['at', '2026-11-23T19:40:02Z'], ['took', '2.1s'], ['exit', '0'], ['status', 'pass'],
    ['note', 'two words'], ['q', 'say "hi" \\ bye'], ['empty', ''], ['colon', ':x'], ['braces', '{{x}}']];
  const text = formatResultsAttrs(attrs);
  assert.equal(text.startsWith(':host r1 :at 2026-11-23T19:40:02Z :took 2.1s :exit 0 :status pass :note "two words"'), true, text);
  assert.deepEqual(parseResultsAttrs(text), attrs);
});
