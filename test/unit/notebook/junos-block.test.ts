// Junos blocks in the notebook: what kind of block a text is, the header
// arguments only Junos uses (:private :format :expect-xpath), and the
// positioned errors for combinations that cannot work.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanNotebook } from '../../../main/notebook/scan.js';
import { formatMessage } from '../../../main/notebook/messages.js';
import { parseHeaderArgs } from '../../../main/notebook/header-args.js';
import { classifyJunosBody, junosBlockProblems } from '../../../main/notebook/junos-block.js';
import { evaluateXpathExpectation, xpathProblem } from '../../../main/notebook/xpath-expect.js';

const F = '```';

function problems(info: string, body: string): string[] {
  const nb = scanNotebook(`# t\n\n${F}${info}\n${body}${F}\n`);
  const b = nb.blocks[0]!;
  const parsed = parseHeaderArgs(b, 'nb.md');
  return [...parsed.messages, ...junosBlockProblems(b, parsed.args, b.body, 'nb.md')].map(formatMessage);
}

test('operational blocks: every line an op verb; comments and blank lines skipped; one command per line', () => {
  assert.deepEqual(classifyJunosBody('# pre-checks\nshow version\n\n  show bgp summary  \nrequest system storage cleanup dry-run\n'), {
    kind: 'op', commands: ['show version', 'show bgp summary', 'request system storage cleanup dry-run'],
  });
  for (const verb of ['clear', 'ping', 'traceroute', 'file', 'monitor', 'op', 'test', 'restart']) assert.equal(classifyJunosBody(`${verb} x\n`).kind, 'op');
});

test('configuration: set-style when every line starts with a set verb, else curly text; rollback N; empty', () => {
  assert.deepEqual(classifyJunosBody('set system host-name edge2\ndelete system ntp\n# note\ndeactivate protocols lldp\n'), { kind: 'config', style: 'set' });
  assert.deepEqual(classifyJunosBody('protocols {\n  bgp {\n    group rr { family inet { unicast; } }\n  }\n}\n'), { kind: 'config', style: 'text' });
  assert.deepEqual(classifyJunosBody('delete: protocols lldp;\n'), { kind: 'config', style: 'text' });
  assert.deepEqual(classifyJunosBody('rollback 1\n'), { kind: 'rollback', index: 1 });
  assert.deepEqual(classifyJunosBody('\n# nothing\n'), { kind: 'empty' });
});

test('mixed blocks are named with both lines', () => {
  assert.deepEqual(classifyJunosBody('show version\nset system host-name x\n'), { kind: 'mixed', what: 'operational commands with configuration', firstLine: 0, otherLine: 1 });
  assert.deepEqual(classifyJunosBody('set a b\nprotocols { lldp; }\n'), { kind: 'mixed', what: 'set-style lines with other text', firstLine: 0, otherLine: 1 });
  assert.deepEqual(problems('junos :host edge1', 'show version\n\nset system host-name x\n'), [
    'nb.md:6:1 this junos block mixes operational commands with configuration (line 4 and line 6); put them in separate blocks [junos-block]',
  ]);
});

test(':private :format :expect-xpath parse; :private takes no value; :format only text or xml', () => {
  const nb = scanNotebook(`${F}junos :host edge1 :private :format xml :expect-xpath "//a" :expect-xpath "count(//b) = 2"\nshow x\n${F}\n`);
  const { args } = parseHeaderArgs(nb.blocks[0]!, 'nb.md');
  assert.equal(args.private, true);
  assert.equal(args.format, 'xml');
  assert.deepEqual(args.expectXpath, ['//a', 'count(//b) = 2']);
  assert.deepEqual(problems('junos :host edge1 :private yes :commit now', 'set a b\n'), ['nb.md:3:31 :private takes no value; write :private alone (found "yes") [header-argument-value]']);
  assert.deepEqual(problems('junos :host edge1 :format json', 'show x\n'), ['nb.md:3:30 :format "json" is not valid; expected text or xml [header-argument-value]']);
});

test(':expect-xpath is compiled at check time: a syntax error, an unknown function or a prefix is a positioned error', () => {
  assert.deepEqual(problems('junos :host edge1 :format xml :expect-xpath "//bgp-peer["', 'show bgp neighbor\n'), [
    'nb.md:3:48 :expect-xpath "//bgp-peer[" is not a valid XPath 1.0 expression (XPath parse error in "//bgp-peer[") [header-argument-value]',
  ]);
  assert.match(problems('junos :host edge1 :format xml :expect-xpath "nosuch(1)"', 'show x\n')[0]!, /Unknown function nosuch/);
  assert.match(xpathProblem('//junos:peer')!, /write names without a prefix/);
  assert.equal(xpathProblem('//bgp-peer[peer-address = "198.51.100.1"]/peer-state = "Established"'), null);
});

test('which arguments fit which kind of junos block', () => {
  assert.deepEqual(problems('junos :host edge1 :commit now', 'show version\n'), ['nb.md:3:22 :commit applies to configuration; this block holds operational commands (show …) [junos-block]']);
  assert.deepEqual(problems('junos :host edge1 :expect-xpath //x', 'show version\n'), ['nb.md:3:22 :expect-xpath is evaluated on the XML reply: add :format xml [junos-block]']);
  assert.deepEqual(problems('junos :host edge1 :format xml', 'set a b\n'), ['nb.md:3:22 :format applies to operational commands (show …); this block is configuration [junos-block]']);
  assert.deepEqual(problems('junos :host edge1 :commit confirm', 'set a b\n'), [
    'nb.md:3:22 :commit confirm confirms a pending commit confirmed and loads nothing: leave the block empty, or use :commit confirmed N or :commit now to load and commit this [junos-block]',
  ]);
  assert.deepEqual(problems('junos :host edge1 :commit confirm', ''), []);
  assert.deepEqual(problems('junos :host edge1 :commit rollback', ''), []);
  assert.deepEqual(problems('junos :host edge1 :commit rollback', 'set a b\n'), [
    'nb.md:3:22 :commit rollback rolls a pending commit confirmed back now and loads nothing else: leave the block empty (to load an older configuration, write rollback N in the block with :commit now) [junos-block]',
  ]);
  assert.deepEqual(problems('junos :host edge1 :commit rollback :private', ''), ['nb.md:3:39 :private does not apply to a :commit rollback block, which loads nothing of its own [junos-block]']);
  assert.deepEqual(problems('junos :host edge1', ''), ['nb.md:3:1 this junos block is empty; write operational commands or configuration in it (an empty block is only for :commit confirm or :commit rollback) [junos-block]']);
  assert.deepEqual(problems('junos :host edge1 :private :commit confirmed 5', 'set a b\n'), ['nb.md:3:22 Junos refuses commit confirmed in a private candidate; drop :private, or use :commit now [junos-block]']);
  assert.deepEqual(problems('junos :host edge1 :action replace', 'set a b\n'), ['nb.md:3:22 set-style lines are loaded with action set; :action replace is for curly-brace configuration text [junos-block]']);
  assert.deepEqual(problems('junos :host edge1 :action set', 'system { host-name x; }\n'), ['nb.md:3:22 :action set is for set/delete lines; this block is curly-brace configuration text (use merge, replace or override) [junos-block]']);
  assert.deepEqual(problems('junos :host edge1', 'rollback 50\n'), ['nb.md:4:1 rollback takes a number from 0 to 49 (rollback 1: the configuration before the last commit) [junos-block]']);
  assert.deepEqual(problems('junos', 'show version\n'), ['nb.md:3:1 a junos block needs :host, naming Junos devices of the inventory (platform: junos) [junos-block]']);
  assert.deepEqual(problems('junos :host edge1 :session s', 'show version\n'), ['nb.md:3:22 :session does not apply to junos blocks: each device has one NETCONF session for the whole run [junos-block]']);
});

test('Junos arguments on other blocks are warnings (ignored)', () => {
  assert.deepEqual(problems('sh :commit now', 'echo\n'), ['nb.md:3:7 :commit applies to junos blocks only; this sh block ignores it [junos-argument]']);
});

test('XPath expectations: boolean value over the reply, namespaces ignored; several replies in one document', () => {
  const reply = (peer: string, state: string) =>
    `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:junos="http://xml.juniper.net/junos/23.4R1/junos"><bgp-information xmlns="http://xml.juniper.net/junos/23.4R1/junos-routing"><bgp-peer junos:style="detail"><peer-address>${peer}</peer-address><peer-state>${state}</peer-state></bgp-peer></bgp-information></rpc-reply>`;
  const one = [reply('198.51.100.1', 'Established')];
  assert.deepEqual(evaluateXpathExpectation('//bgp-peer[peer-address = "198.51.100.1"]/peer-state = "Established"', one), { value: true });
  assert.deepEqual(evaluateXpathExpectation('//bgp-peer[peer-address = "198.51.100.1"]/peer-state = "Idle"', one), { value: false });
  assert.deepEqual(evaluateXpathExpectation('/rpc-reply/bgp-information/bgp-peer/@style', one), { value: true });
  assert.deepEqual(evaluateXpathExpectation('count(//bgp-peer)', one), { value: true });
  assert.deepEqual(evaluateXpathExpectation('count(//nothing)', one), { value: false });
  assert.deepEqual(evaluateXpathExpectation('string(//nothing)', one), { value: false });
  const two = [reply('198.51.100.1', 'Established'), reply('198.51.100.2', 'Active')];
  assert.deepEqual(evaluateXpathExpectation('count(/rpc-replies/rpc-reply) = 2 and //bgp-peer[peer-address = "198.51.100.2"]/peer-state = "Active"', two), { value: true });
  const bad = evaluateXpathExpectation('//x', ['<rpc-reply><x></rpc-reply>']);
  assert.ok('error' in bad);
});
