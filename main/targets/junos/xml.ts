// XML as a DOM, where NETCONF needs one: requests built as a DOM and
// serialised, so text from a notebook (commands, configuration, commit
// comments) is escaped by the serialiser, not by hand; and a strict parse
// for `:format xml` output, serialised again as the device sent it. What the
// device sends is otherwise read by reply-tree.ts.

import type * as XmlDom from '@xmldom/xmldom';
import type { Document, Element, Node } from '@xmldom/xmldom';
import { lazyModule } from '../../files/lazy-module.js';

const xmldom = lazyModule<typeof XmlDom>('@xmldom/xmldom');

export type { Document, Element, Node };

export const NETCONF_NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';

export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

/** Parses a whole document; XmlError (with xmldom's position) when it is not well-formed. */
export function parseXml(text: string): Document {
  let problem: string | null = null;
  const parser = new (xmldom().DOMParser)({
    onError: (level, msg) => {
      if (level === 'warning') return;
      problem ??= msg;
      throw new XmlError(msg);
    },
  });
  let doc: Document;
  try {
    doc = parser.parseFromString(text, 'text/xml');
  } catch (e) {
    throw new XmlError(cleanParserMessage(problem ?? (e as Error).message));
  }
  if (!doc.documentElement) throw new XmlError('no root element');
  return doc;
}

/** xmldom's messages carry `[xmldom error]` prefixes and a `||@#[line:3,col:5]` locator: keep the words and the place. */
function cleanParserMessage(msg: string): string {
  const where = /@#\[line:(\d+),col:(\d+)\]/.exec(msg);
  const words = msg.replace(/\|\|@#\[line:\d+,col:\d+\]/g, '').replace(/^\[xmldom [a-zA-Z]+\]\s*/, '').replace(/\s+/g, ' ').trim();
  return where ? `${words} (line ${where[1]}, column ${where[2]})` : words;
}

const ELEMENT_NODE = 1;

/** The element children of `el`, in order. */
export function childElements(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === ELEMENT_NODE) out.push(n as Element);
  return out;
}

export function serializeXml(node: Node): string {
  return new (xmldom().XMLSerializer)().serializeToString(node);
}

/** A small element tree for building requests: `['load-configuration', {action: 'merge'}, ['configuration-text', 'text']]`. */
export type XmlSpec = [name: string, attrs?: Record<string, string> | XmlContent, ...content: XmlContent[]];
export type XmlContent = string | XmlSpec;

/** Serialises a spec as an element (text escaped by the serialiser). */
export function buildXml(spec: XmlSpec): string {
  const doc = new (xmldom().DOMImplementation)().createDocument(null, 'x', null);
  return serializeXml(buildElement(doc, spec));
}

function buildElement(doc: Document, spec: XmlSpec): Element {
  const [name, maybeAttrs, ...rest] = spec;
  const el = doc.createElement(name);
  const content: XmlContent[] = [];
  if (maybeAttrs !== undefined) {
    if (typeof maybeAttrs === 'object' && !Array.isArray(maybeAttrs)) {
      for (const [k, v] of Object.entries(maybeAttrs)) el.setAttribute(k, v);
    } else {
      content.push(maybeAttrs);
    }
  }
  content.push(...rest);
  for (const c of content) el.appendChild(typeof c === 'string' ? doc.createTextNode(c) : buildElement(doc, c));
  return el;
}
