// A NETCONF reply read into a small element tree by saxes, a conformant
// streaming XML parser that checks well-formedness and namespaces (an
// unbound prefix, a mismatched or unclosed tag, text after the root: each
// an error with its line and column). Every reply is read this way: it is
// what the reply's meaning (rpc-errors, output text, diff, commit history)
// needs, at a fraction of a DOM's cost per RPC. A DOM (xml.ts) is built only
// where one is wanted: `:format xml` output, serialised as the device sent
// it, and XPath expectations. Lookups are by local name, as in xml.ts:
// Junos puts reply content in per-release namespaces.

import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';
import { XmlError } from './xml.js';

export interface ReplyAttribute {
  /** As written (`junos:seconds`). */
  name: string;
  localName: string;
  value: string;
}

/** A node of the tree: an element, or text (character data and CDATA, as the parser delivered it). */
export type ReplyNode = ReplyElement | string;

export class ReplyElement {
  readonly children: ReplyNode[] = [];

  constructor(
    /** As written, prefix included. */
    readonly tagName: string,
    readonly localName: string,
    readonly attributes: readonly ReplyAttribute[],
  ) {}

  /** The attribute written with this name, or null (as the DOM's getAttribute). */
  getAttribute(name: string): string | null {
    for (const a of this.attributes) if (a.name === name) return a.value;
    return null;
  }
}

/**
 * Reads a whole document into a tree (comments and processing instructions
 * dropped); XmlError with the parser's reason and position when it is not
 * well-formed.
 */
export function readReply(text: string): ReplyElement {
  const parser = new SaxesParser({ xmlns: true });
  let root: ReplyElement | null = null;
  const open: ReplyElement[] = [];
  const addText = (t: string): void => {
    // Text outside the root is whitespace (anything else is an error the parser reports).
    const parent = open[open.length - 1];
    if (parent) parent.children.push(t);
  };
  parser.on('opentag', (tag: SaxesTagNS) => {
    const el = new ReplyElement(tag.name, tag.local, attributesOf(tag.attributes));
    const parent = open[open.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    open.push(el);
  });
  parser.on('closetag', () => void open.pop());
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('error', (e: Error) => {
    // Stops at the first error: a reply that is not well-formed is never half-read.
    // saxes prefixes its message with `LINE:COLUMN: ` (the column zero-based): said the way xml.ts says xmldom's.
    const at = /^(\d+):(\d+): /.exec(e.message);
    throw new XmlError(at ? `${e.message.slice(at[0].length).replace(/\.$/, '')} (line ${at[1]}, column ${Number(at[2]) + 1})` : e.message);
  });
  parser.write(text).close();
  if (!root) throw new XmlError('no root element');
  return root;
}

function attributesOf(attrs: Record<string, SaxesAttributeNS>): ReplyAttribute[] {
  const out: ReplyAttribute[] = [];
  for (const name in attrs) {
    const a = attrs[name]!;
    out.push({ name: a.name, localName: a.local, value: a.value });
  }
  return out;
}

export function isReplyElement(n: ReplyNode | undefined): n is ReplyElement {
  return typeof n === 'object';
}

/** The element children of `el`, in order. */
export function childElements(el: ReplyElement): ReplyElement[] {
  return el.children.filter(isReplyElement);
}

/** The first child element with this local name (any namespace). */
export function child(el: ReplyElement, localName: string): ReplyElement | null {
  for (const n of el.children) if (isReplyElement(n) && n.localName === localName) return n;
  return null;
}

/** Every descendant element with this local name, in document order (any namespace). */
export function descendants(el: ReplyElement, localName: string): ReplyElement[] {
  const out: ReplyElement[] = [];
  const walk = (e: ReplyElement): void => {
    for (const n of e.children) {
      if (!isReplyElement(n)) continue;
      if (n.localName === localName) out.push(n);
      walk(n);
    }
  };
  walk(el);
  return out;
}

/** The text content of an element (text and CDATA of all its descendants). */
export function textOf(el: ReplyElement | null): string {
  if (!el) return '';
  let out = '';
  for (const n of el.children) out += isReplyElement(n) ? textOf(n) : n;
  return out;
}

/** The attribute with this local name (any prefix), or null. */
export function attributeByLocalName(el: ReplyElement, localName: string): string | null {
  for (const a of el.attributes) if (a.localName === localName || a.name === localName) return a.value;
  return null;
}
