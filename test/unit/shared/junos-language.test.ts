// The Junos rule table, on configuration as routers print it (curly, set)
// and as the engine's results show a change (a CLI transcript with a
// `show | compare` diff): the words a reader looks for get their token,
// names stay plain, and the spans put together are the text again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JUNOS_MONARCH, JUNOS_TOKENS, junosLineTokens, junosSpans, junosTokenClass, type JunosToken } from '../../../shared/junos-language.js';
import { OP_VERBS } from '../../../main/notebook/junos-block.js';
import { EDGE_ROUTER } from '../junos-sim/sample-configs.js';

/** `«token:text»` for tokens, plain text as it is: one line per line. */
function marked(text: string): string[] {
  return junosSpans(text).map((s) => (s.token ? `«${s.token}:${s.text}»` : s.text)).join('').split('\n');
}

/** The token of every occurrence of `word` (whole span text) in `text`. */
function tokensOf(text: string, word: string): (JunosToken | null)[] {
  return junosSpans(text).flatMap((s) => (s.token ? (s.text === word ? [s.token] : []) : s.text.split(/\s+/).filter((w) => w === word).map(() => null)));
}

test('curly configuration: block openers, leaves, interfaces, addresses, numbers, strings, comments, tags, actions', () => {
  const lines = marked(EDGE_ROUTER);
  const line = (start: string): string => {
    const found = lines.find((l) => l.replace(/«[^:]+:([^»]*)»/g, '$1').trim().startsWith(start));
    assert.ok(found !== undefined, `no line starts with ${start}`);
    return found!.trim();
  };
  assert.equal(line('interfaces {'), '«keyword.block:interfaces» «delimiter.curly:{»');
  assert.equal(line('ge-0/0/0 {'), '«variable.interface:ge-0/0/0» «delimiter.curly:{»');
  assert.equal(line('unit 0 {'), '«keyword.block:unit» «number:0» «delimiter.curly:{»');
  assert.equal(line('inactive: unit 200 {'), '«keyword.tag:inactive:» «keyword.block:unit» «number:200» «delimiter.curly:{»');
  assert.equal(line('address 198.51.100.1/30;'), '«keyword.leaf:address» «number.address:198.51.100.1/30»«delimiter:;»');
  assert.equal(line('address 2001:db8:100::1/64;'), '«keyword.leaf:address» «number.address:2001:db8:100::1/64»«delimiter:;»');
  assert.equal(line('interface lo0.0 {'), '«keyword.block:interface» «variable.interface:lo0.0» «delimiter.curly:{»');
  assert.equal(line('description "core: to p1 ge-0/0/3";'), '«keyword.leaf:description» «string:"core: to p1 ge-0/0/3"»«delimiter:;»');
  assert.equal(line('encrypted-password'), '«keyword.leaf:encrypted-password» «string:"$6$abc$0123456789"»«delimiter:;» «comment:## SECRET-DATA»');
  assert.equal(line('/* NOC read-only accounts */'), '«comment:/* NOC read-only accounts */»');
  assert.equal(line('export [ NEXT-HOP-SELF ANNOUNCE ];'), '«keyword.leaf:export» «delimiter.square:[» NEXT-HOP-SELF ANNOUNCE «delimiter.square:]»«delimiter:;»');
  assert.equal(line('group rr {'), '«keyword.block:group» rr «delimiter.curly:{»', 'a name stays plain');
  assert.equal(line('file messages {'), '«keyword.block:file» messages «delimiter.curly:{»', 'a statement is not an operational verb');
  assert.equal(line('route 0.0.0.0/0 next-hop 192.0.2.1;'), '«keyword.leaf:route» «number.address:0.0.0.0/0» next-hop «number.address:192.0.2.1»«delimiter:;»');
  assert.equal(line('version 21.4R3.15;'), '«keyword.leaf:version» 21.4R3.15«delimiter:;»', 'a release is not a number');
  assert.deepEqual(new Set(tokensOf(EDGE_ROUTER, 'discard')), new Set(['keyword.deny']));
  assert.deepEqual(new Set(tokensOf(EDGE_ROUTER, 'reject')), new Set(['keyword.deny']));
  assert.deepEqual(new Set(tokensOf(EDGE_ROUTER, 'accept')), new Set(['keyword.accept']));
  assert.equal(junosSpans(EDGE_ROUTER).map((s) => s.text).join(''), EDGE_ROUTER, 'the spans are the text');
});

test('set style: the verb, the hierarchy it names, then typed values; delete and deactivate too', () => {
  const set = [
    '# add-path towards the reflectors',
    'set protocols bgp group rr family inet unicast add-path send path-count 4',
    'set interfaces xe-1/2/3 unit 100 family inet address 203.0.113.1/31',
    'set interfaces ae0 unit 0 family inet6 address 2001:db8::1/127',
    'set interfaces irb unit 100 family inet address 198.51.100.1/24',
    'set firewall family inet filter PROTECT-RE term rest then discard',
    'set system login message "maintenance; call NOC"',
    'delete protocols lldp interface ge-0/0/1',
    'deactivate interfaces ge-0/0/2 unit 0',
  ].join('\n');
  assert.deepEqual(marked(set), [
    '«comment:# add-path towards the reflectors»',
    '«keyword.verb:set» «keyword.block:protocols» bgp group rr family inet unicast add-path send path-count «number:4»',
    '«keyword.verb:set» «keyword.block:interfaces» «variable.interface:xe-1/2/3» unit «number:100» family inet address «number.address:203.0.113.1/31»',
    '«keyword.verb:set» «keyword.block:interfaces» «variable.interface:ae0» unit «number:0» family inet6 address «number.address:2001:db8::1/127»',
    '«keyword.verb:set» «keyword.block:interfaces» «variable.interface:irb» unit «number:100» family inet address «number.address:198.51.100.1/24»',
    '«keyword.verb:set» «keyword.block:firewall» family inet filter PROTECT-RE term rest then «keyword.deny:discard»',
    '«keyword.verb:set» «keyword.block:system» login message «string:"maintenance; call NOC"»',
    '«keyword.verb:delete» «keyword.block:protocols» lldp interface «variable.interface:ge-0/0/1»',
    '«keyword.verb:deactivate» «keyword.block:interfaces» «variable.interface:ge-0/0/2» unit «number:0»',
  ]);
});

test('a change as the results show it: prompts and commands, the [edit] diff with its signs, Modus\'s remarks', () => {
  const transcript = [
    'root@edge1> configure exclusive',
    'root@edge1# load merge terminal',
    'load complete',
    'root@edge1# show | compare',
    '[edit interfaces ge-0/0/1 unit 0 family inet]',
    '-       address 198.51.100.1/30;',
    '+       address 198.51.100.9/30;',
    '[edit protocols bgp group rr]',
    '+    family inet {',
    '+        unicast {',
    '+            add-path {',
    '+                receive;',
    '+                send {',
    '+                    path-count 4;',
    '+                }',
    '+            }',
    '+        }',
    '+    }',
    '[edit protocols]',
    '!    inactive: lldp { ... }',
    '[edit]',
    '+  snmp {',
    '+      location lab;',
    '+  }',
    'root@edge1# commit confirmed 5 comment "modus: mop.md block 3 (change)"',
    'commit confirmed will be automatically rolled back in 5 minutes unless confirmed',
    'commit complete',
    'modus: edge1 rolls this commit back at 2026-11-23T19:45:02Z unless it is confirmed (a later block with :commit confirm)',
    'root@edge1# exit',
    'Exiting configuration mode',
  ].join('\n');
  const lines = marked(transcript);
  assert.equal(lines[0], '«meta.prompt:root@edge1>» «keyword.verb:configure» exclusive');
  assert.equal(lines[3], '«meta.prompt:root@edge1#» «keyword.verb:show» «delimiter.pipe:|» compare');
  assert.equal(lines[4], '«meta.diff.header:[edit interfaces ge-0/0/1 unit 0 family inet]»');
  assert.equal(lines[5], '«diff.deleted:-»       «keyword.leaf:address» «number.address:198.51.100.1/30»«delimiter:;»');
  assert.equal(lines[6], '«diff.inserted:+»       «keyword.leaf:address» «number.address:198.51.100.9/30»«delimiter:;»');
  assert.equal(lines[8], '«diff.inserted:+»    «keyword.block:family» inet «delimiter.curly:{»');
  assert.equal(lines[11], '«diff.inserted:+»                «keyword.leaf:receive»«delimiter:;»');
  assert.equal(lines[14], '«diff.inserted:+»                «delimiter.curly:}»');
  assert.equal(lines[19], '«diff.changed:!»    «keyword.tag:inactive:» «keyword.block:lldp» «delimiter.curly:{» ... «delimiter.curly:}»');
  assert.equal(lines[20], '«meta.diff.header:[edit]»');
  assert.equal(lines[24], '«meta.prompt:root@edge1#» «keyword.verb:commit» confirmed «number:5» comment «string:"modus: mop.md block 3 (change)"»');
  assert.equal(lines[25], 'commit confirmed will be automatically rolled back in «number:5» minutes unless confirmed');
  assert.match(lines[27]!, /^«comment\.note:modus: edge1 rolls this commit back at .*»$/);
  assert.equal(lines[29], 'Exiting configuration mode');
});

test('operational blocks: every verb the engine runs as a command is coloured as one', () => {
  for (const verb of OP_VERBS) assert.equal(marked(`${verb} something`)[0], `«keyword.verb:${verb}» something`);
  assert.deepEqual(marked('show interfaces terse ge-0/0/0.0 | match up\nshow route 10.255.0.1/32 exact'), [
    '«keyword.verb:show» interfaces terse «variable.interface:ge-0/0/0.0» «delimiter.pipe:|» match up',
    '«keyword.verb:show» route «number.address:10.255.0.1/32» exact',
  ]);
});

test('interface names and addresses, and what only looks like them', () => {
  const t = (text: string): string => marked(text)[0]!;
  assert.equal(t('a ge-0/0/0.0 xe-1/2/3:1 et-0/0/49 ae12.100 lo0 irb.100 vlan.20 em0 fxp0'),
    'a «variable.interface:ge-0/0/0.0» «variable.interface:xe-1/2/3:1» «variable.interface:et-0/0/49» «variable.interface:ae12.100» «variable.interface:lo0» «variable.interface:irb.100» «variable.interface:vlan.20» «variable.interface:em0» «variable.interface:fxp0»');
  assert.equal(t('a 2001:db8::1 ::/0 ::1 fe80::1/64 2001:db8:0:0:0:0:0:1 0.0.0.0/0'),
    'a «number.address:2001:db8::1» «number.address:::/0» «number.address:::1» «number.address:fe80::1/64» «number.address:2001:db8:0:0:0:0:0:1» «number.address:0.0.0.0/0»');
  assert.equal(t('a large-0/0/0 xe-core 19:40:02 65000:100 10g 21.4R3'), 'a large-0/0/0 xe-core «number:19:40:02» «number:65000:100» «number:10g» 21.4R3');
  assert.equal(t('a discarded rejects deny-all'), 'a discarded rejects deny-all');
});

test('one-line configuration: each statement after { or ; is known too', () => {
  assert.deepEqual(marked('unit 0 { family inet { address 192.0.2.1/24; } }'), [
    '«keyword.block:unit» «number:0» «delimiter.curly:{» «keyword.block:family» inet «delimiter.curly:{» «keyword.leaf:address» «number.address:192.0.2.1/24»«delimiter:;» «delimiter.curly:}» «delimiter.curly:}»',
  ]);
  assert.deepEqual(marked('term t { from protocol static; then reject; }'), [
    '«keyword.block:term» t «delimiter.curly:{» «keyword.leaf:from» protocol static«delimiter:;» «keyword.leaf:then» «keyword.deny:reject»«delimiter:;» «delimiter.curly:}»',
  ]);
});

test('a /* */ comment over several lines, and a line-end # comment; # in a prompt is not one', () => {
  assert.deepEqual(marked('/* first\n   second */ system {\n    host-name r1; # the name\n}'), [
    '«comment:/* first»',
    // A statement is known at the start of a line; after a comment it is just words.
    '«comment:   second */» system «delimiter.curly:{»',
    '    «keyword.leaf:host-name» r1«delimiter:;» «comment:# the name»',
    '«delimiter.curly:}»',
  ]);
});

test('CRLF text: spans keep the carriage returns, the tokens are the same', () => {
  const lf = 'system {\n    host-name r1;\n}\n';
  const crlf = lf.replace(/\n/g, '\r\n');
  assert.equal(junosSpans(crlf).map((s) => s.text).join(''), crlf);
  assert.deepEqual(junosSpans(crlf).filter((s) => s.token).map((s) => [s.token, s.text]), junosSpans(lf).filter((s) => s.token).map((s) => [s.token, s.text]));
});

test('every token the table can give is listed (the report\'s sanitiser allows exactly these classes)', () => {
  const given = new Set<string>();
  for (const rules of Object.values(JUNOS_MONARCH.tokenizer)) {
    for (const rule of rules) {
      if (!Array.isArray(rule)) continue;
      const action = rule[1];
      const names = typeof action === 'string' ? [action] : Array.isArray(action) ? action : [(action as { token: string }).token];
      for (const n of names as string[]) if (n !== '') given.add(n);
    }
  }
  assert.deepEqual([...given].sort(), Object.keys(JUNOS_TOKENS).sort());
  assert.equal(junosTokenClass('keyword.block'), 'jt-keyword-block');
  // Monaco's types carry the language: what the editor's theme matches.
  assert.equal(junosLineTokens('system {')[0]![0]!.type, 'keyword.block.junos');
});
