// `:expect-xpath EXPR`: an XPath 1.0 expression over a Junos block's XML
// replies; it passes when its boolean value is true (a non-empty node-set,
// a non-zero number, a non-empty string, or true), as in
// `//bgp-peer[peer-address = "198.51.100.1"]/peer-state = "Established"`.
//
// Junos puts reply content in per-release namespaces
// (`http://xml.juniper.net/junos/23.4R1/junos-routing`), which XPath 1.0
// cannot match without prefixes bound to URIs nobody knows in advance; as
// PyEZ does, the replies are read without namespaces (every element and
// attribute by its local name), so plain names match.
//
// The document: the reply itself (root `rpc-reply`) for a block of one
// command; for several commands, `<rpc-replies>` holding every reply in
// order, so `//…` finds what any command returned.
//
// Pure (no I/O): compiled at check time, evaluated by the engine.

import type * as XmlDom from '@xmldom/xmldom';
import type { Document, Element, Node } from '@xmldom/xmldom';
import type * as XPath from 'xpath';
import { lazyModule } from '../files/lazy-module.js';

const xmldom = lazyModule<typeof XmlDom>('@xmldom/xmldom');
const xpath = lazyModule<typeof XPath>('xpath');

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

/** A document to try expressions on: elements, attributes and text, so node tests and functions run. */
const PROBE = '<rpc-reply><probe attribute="1">text<inner/></probe></rpc-reply>';

/** Why `expr` is not an XPath 1.0 expression Modus can evaluate, or null. */
export function xpathProblem(expr: string): string | null {
  if (expr.trim() === '') return 'it is empty';
  try {
    evaluate(expr, new (xmldom().DOMParser)().parseFromString(PROBE, 'text/xml'));
    return null;
  } catch (e) {
    return describeXpathError(e, expr);
  }
}

export type XpathVerdict = { value: boolean } | { error: string };

/** The boolean value of `expr` over the replies (XML texts as received). */
export function evaluateXpathExpectation(expr: string, replies: readonly string[]): XpathVerdict {
  let doc: Document;
  try {
    doc = repliesDocument(replies);
  } catch (e) {
    return { error: `the reply is not XML Modus can read (${(e as Error).message})` };
  }
  try {
    return { value: evaluate(expr, doc) };
  } catch (e) {
    return { error: describeXpathError(e, expr) };
  }
}

function evaluate(expr: string, doc: Document): boolean {
  // xpath's types are the browser DOM's; xmldom's nodes are what it walks (the two agree at run time).
  const result = xpath().select(expr, doc as unknown as globalThis.Node);
  if (Array.isArray(result)) return result.length > 0;
  if (typeof result === 'boolean') return result;
  if (typeof result === 'number') return result !== 0 && !Number.isNaN(result);
  if (typeof result === 'string') return result.length > 0;
  return result !== null && result !== undefined;
}

function describeXpathError(e: unknown, expr: string): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/Cannot resolve QName|namespace prefix/i.test(msg)) {
    return `${msg}; replies are read without namespaces, so write names without a prefix (//bgp-peer, not //junos:bgp-peer)`;
  }
  if (/Invalid expression|parse|Unexpected/i.test(msg) || msg === '') return `${msg || 'syntax error'} in ${JSON.stringify(expr)}`;
  return msg;
}

/** The replies as one namespace-free document (see the top of this file). */
export function repliesDocument(replies: readonly string[]): Document {
  const parsed = replies.map((r) => strictParse(r.trimStart()));
  const impl = new (xmldom().DOMImplementation)();
  if (parsed.length === 1) {
    const only = parsed[0]!.documentElement!;
    const doc = impl.createDocument(null, only.localName ?? only.nodeName, null);
    copyChildren(only, doc.documentElement!, doc);
    copyAttributes(only, doc.documentElement!);
    return doc;
  }
  const doc = impl.createDocument(null, 'rpc-replies', null);
  for (const p of parsed) doc.documentElement!.appendChild(copyElement(p.documentElement!, doc));
  return doc;
}

function strictParse(text: string): Document {
  return new (xmldom().DOMParser)({
    onError: (level, msg) => {
      if (level !== 'warning') throw new Error(msg);
    },
  }).parseFromString(text, 'text/xml');
}

function copyElement(src: Element, doc: Document): Element {
  const el = doc.createElement(src.localName ?? src.nodeName);
  copyAttributes(src, el);
  copyChildren(src, el, doc);
  return el;
}

function copyAttributes(src: Element, dest: Element): void {
  for (let i = 0; i < src.attributes.length; i++) {
    const a = src.attributes.item(i)!;
    if (a.name === 'xmlns' || a.prefix === 'xmlns') continue;
    const name = a.localName ?? a.name;
    if (!dest.hasAttribute(name)) dest.setAttribute(name, a.value);
  }
}

function copyChildren(src: Node, dest: Element, doc: Document): void {
  for (let n = src.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === ELEMENT_NODE) dest.appendChild(copyElement(n as Element, doc));
    else if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_SECTION_NODE) dest.appendChild(doc.createTextNode(n.nodeValue ?? ''));
  }
}
