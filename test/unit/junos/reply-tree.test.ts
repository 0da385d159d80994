// Replies are read by saxes into a small tree (reply-tree.ts); a DOM
// (xmldom, xml.ts) is built only for `:format xml` output. Both must read a
// reply the same way: the same elements, attributes and text, so the same
// rpc-error fields. And the tree must refuse everything that is not
// well-formed, with a reason and a place, as the DOM parser did.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isReplyElement, readReply, type ReplyElement } from '../../../main/targets/junos/reply-tree.js';
import { rpcErrorsIn, type RpcError } from '../../../main/targets/junos/rpc-error.js';
import { childElements, parseXml, XmlError, type Element, type Node } from '../../../main/targets/junos/xml.js';
import { NC, rpcError } from '../../helpers/netconf-peer.js';

const JUNOS = 'xmlns:junos="http://xml.juniper.net/junos/23.4R1/junos"';
const wrap = (inner: string, id = '7'): string => `\n<rpc-reply xmlns="${NC}" ${JUNOS} message-id="${id}">\n${inner}\n</rpc-reply>\n`;

/** Replies as Junos (and the simulator) send them, with what a parser can trip on: entities, CDATA, comments, prefixed attributes, non-ASCII. */
const REPLIES = [
  wrap('<software-information>\n<host-name>r1</host-name>\n<package-information>\n<name>junos</name>\n<comment>JUNOS Base OS boot [21.4R3.15]</comment>\n</package-information>\n</software-information>'),
  wrap(''),
  wrap('<ok/>'),
  wrap('<commit-results>\n<routing-engine junos:style="normal">\n<name>re0</name>\n<commit-check-success/>\n</routing-engine>\n</commit-results>'),
  wrap('<output>\nInterface  Admin Link &lt;&amp;&gt; &quot;q&quot; &#233;t&#xE9;\nge-0/0/0   up    up\n</output>'),
  wrap('<configuration-information><configuration-output><![CDATA[[edit system]\n+  location <building "bench">;\n]]></configuration-output></configuration-information>'),
  wrap(`<!-- a comment --><load-configuration-results>
    ${rpcError({ message: 'syntax error', path: '[edit protocols]', bad: 'lldpx' })}
    ${rpcError({ message: 'statement not found', severity: 'warning', path: '[edit system]', bad: 'ntp' })}
    <load-error-count>1</load-error-count></load-configuration-results>`),
  wrap(`<commit-results>${rpcError({ message: 'Referenced policy not defined\nin two lines', path: '[edit protocols bgp group rr]', bad: 'export', tag: 'invalid-value', type: 'application' })}${rpcError({ message: 'configuration check-out failed' })}</commit-results>`),
  wrap('<commit-information><commit-history><sequence-number>0</sequence-number><user>modus</user><date-time junos:seconds="1795460402">2026-11-23 19:40:02 UTC</date-time><log>modus: nb.md block 2 — ünïcode</log></commit-history></commit-information>'),
  `<?xml version="1.0" encoding="UTF-8"?>${wrap('<rpc-error><error-severity>error</error-severity><error-tag>lock-denied</error-tag></rpc-error>').trimStart()}`,
];

/** What a reader sees of an element: its names, attributes and children, adjacent text merged (parsers split text differently). */
type Shape = { tag: string; local: string; attrs: [string, string, string][]; children: (Shape | string)[] };

function treeShape(el: ReplyElement): Shape {
  return { tag: el.tagName, local: el.localName, attrs: el.attributes.map((a) => [a.name, a.localName, a.value] as [string, string, string]), children: merged(el.children.map((n) => (isReplyElement(n) ? treeShape(n) : n))) };
}

function domShape(el: Element): Shape {
  const attrs: [string, string, string][] = [];
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i)!;
    attrs.push([a.name, a.localName ?? a.name, a.value]);
  }
  const children: (Shape | string)[] = [];
  for (let n: Node | null = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1) children.push(domShape(n as Element));
    else if (n.nodeType === 3 || n.nodeType === 4) children.push(n.nodeValue ?? '');
  }
  return { tag: el.tagName, local: el.localName ?? el.tagName, attrs, children: merged(children) };
}

function merged(nodes: (Shape | string)[]): (Shape | string)[] {
  const out: (Shape | string)[] = [];
  for (const n of nodes) {
    const last = out[out.length - 1];
    if (typeof n === 'string' && typeof last === 'string') out[out.length - 1] = last + n;
    else if (n !== '') out.push(n);
  }
  return out;
}

/** The DOM's own lookups, independent of reply-tree.ts: by local name, any namespace. */
const domChild = (el: Element, localName: string): Element | null => childElements(el).find((e) => e.localName === localName) ?? null;
const domText = (el: Element | null): string => el?.textContent ?? '';
function domDescendants(root: Element, localName: string): Element[] {
  const list = root.getElementsByTagNameNS('*', localName);
  const out: Element[] = [];
  for (let i = 0; i < list.length; i++) out.push(list.item(i)!);
  return out;
}

/** rpc-error fields read from the DOM, as the reply's errors were read before the tree. */
function domRpcErrors(root: Element): RpcError[] {
  return domDescendants(root, 'rpc-error').map((el) => {
    const text = (name: string): string => domText(domChild(el, name)).trim();
    const info = domChild(el, 'error-info');
    const bad = info ? domText(domChild(info, 'bad-element')).trim() : '';
    return {
      severity: text('error-severity') === 'warning' ? 'warning' : 'error',
      type: text('error-type'),
      tag: text('error-tag'),
      path: text('error-path') === '' ? null : text('error-path'),
      badElement: bad === '' ? null : bad,
      message: text('error-message') || (text('error-tag') ? `${text('error-tag')} (the device gave no message)` : 'the device gave no message'),
    };
  });
}

test('the tree reads every sample reply as the DOM does: names, attributes (prefixed ones too), text, entities and CDATA', () => {
  for (const text of REPLIES) {
    const tree = readReply(text.trimStart());
    const dom = parseXml(text.trimStart()).documentElement!;
    assert.deepEqual(treeShape(tree), domShape(dom), text);
  }
});

test('rpc-error fields (severity, type, tag, path, bad element, message) are identical from the tree and from the DOM', () => {
  let seen = 0;
  for (const text of REPLIES) {
    const fromTree = rpcErrorsIn(readReply(text.trimStart()));
    assert.deepEqual(fromTree, domRpcErrors(parseXml(text.trimStart()).documentElement!), text);
    seen += fromTree.length;
  }
  assert.equal(seen, 5);
  const [syntax, warning] = rpcErrorsIn(readReply(REPLIES[6]!.trimStart()));
  assert.deepEqual(syntax, { severity: 'error', type: 'protocol', tag: 'operation-failed', path: '[edit protocols]', badElement: 'lldpx', message: 'syntax error' });
  assert.equal(warning!.severity, 'warning');
});

test('the root keeps its message-id; element children and text come in document order', () => {
  const root = readReply(REPLIES[0]!.trimStart());
  assert.equal(root.localName, 'rpc-reply');
  assert.equal(root.getAttribute('message-id'), '7');
  assert.equal(root.getAttribute('nope'), null);
  const info = childElements(parseXml(REPLIES[0]!.trimStart()).documentElement!)[0]!;
  assert.equal(info.localName, 'software-information');
});

const MALFORMED: [string, RegExp][] = [
  [`<rpc-reply xmlns="${NC}" message-id="1"><output>half</rpc-reply>`, /close tag/],
  [`<rpc-reply xmlns="${NC}"><output>x</output>`, /unclosed tag: rpc-reply/],
  [`<rpc-reply xmlns="${NC}"><junos:x/></rpc-reply>`, /unbound namespace prefix/],
  [`<rpc-reply xmlns="${NC}"/><rpc-reply/>`, /only one root/],
  [`<rpc-reply xmlns="${NC}"/>trailing`, /outside of root/],
  [`<rpc-reply xmlns="${NC}">&nbsp;</rpc-reply>`, /undefined entity/],
  [`<rpc-reply xmlns="${NC}" a="<"/>`, /disallowed character/],
  [`<rpc-reply xmlns="${NC}" a="1" a="2"/>`, /duplicate attribute/],
  ['', /root element/],
  ['error: the device is busy', /outside of root/],
];

test('a reply that is not well-formed is refused with the parser\'s reason and its line and column; the DOM parser refuses it too', () => {
  for (const [text, reason] of MALFORMED) {
    assert.throws(() => readReply(text), (e: Error) => e instanceof XmlError && reason.test(e.message) && /\(line \d+, column \d+\)$/.test(e.message), text);
    assert.throws(() => parseXml(text), XmlError, text);
  }
});

test('every cut-short reply is refused (a reply is never half-read)', () => {
  for (const full of REPLIES) {
    const text = full.trim();
    for (let end = 0; end < text.length; end++) assert.throws(() => readReply(text.slice(0, end)), XmlError, JSON.stringify(text.slice(0, end)));
  }
});
