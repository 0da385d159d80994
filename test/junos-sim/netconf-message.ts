// Incoming NETCONF messages parsed with a real XML parser (@xmldom/xmldom):
// the client's <hello> and its <rpc>s. Elements are matched by local name,
// so `<nc:rpc xmlns:nc=…>` and `<rpc xmlns=…>` are the same.

import { DOMParser, type Element } from '@xmldom/xmldom';

export type IncomingMessage =
  | { kind: 'hello'; capabilities: string[] }
  | { kind: 'rpc'; attributes: { name: string; value: string }[]; messageId: string | undefined; operation: Element | null }
  | { kind: 'other'; name: string }
  | { kind: 'malformed'; error: string };

export function parseXml(text: string): Element {
  const doc = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(message);
    },
  }).parseFromString(text, 'text/xml');
  const root = doc.documentElement;
  if (!root) throw new Error('no document element');
  return root;
}

export function childElements(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

export function firstChild(el: Element, localName: string): Element | undefined {
  return childElements(el).find((c) => c.localName === localName);
}

/** The element's text (all descendant text, as textContent gives it). */
export function textOf(el: Element | undefined): string | undefined {
  return el ? (el.textContent ?? '') : undefined;
}

export function parseMessage(text: string): IncomingMessage {
  let root: Element;
  try {
    root = parseXml(text);
  } catch (err) {
    return { kind: 'malformed', error: err instanceof Error ? err.message : String(err) };
  }
  if (root.localName === 'hello') {
    const caps = firstChild(root, 'capabilities');
    const capabilities = caps ? childElements(caps).filter((c) => c.localName === 'capability').map((c) => (c.textContent ?? '').trim()) : [];
    return { kind: 'hello', capabilities };
  }
  if (root.localName === 'rpc') {
    const attributes: { name: string; value: string }[] = [];
    for (let i = 0; i < root.attributes.length; i += 1) {
      const a = root.attributes.item(i)!;
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
      attributes.push({ name: a.localName ?? a.name, value: a.value });
    }
    return { kind: 'rpc', attributes, messageId: root.getAttribute('message-id') ?? undefined, operation: childElements(root)[0] ?? null };
  }
  return { kind: 'other', name: root.localName ?? root.nodeName };
}
