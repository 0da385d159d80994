// Reading the simulator's replies in tests: elements by local name (Junos
// puts operational XML in its own default namespaces), trimmed texts, and a
// condition wait with a hang guard (never a fixed sleep).

import type { Element } from '@xmldom/xmldom';
import { JUNOS_NS } from './junos-release.js';
import { parseXml } from './netconf-message.js';

/**
 * Parses a reply, or an operational XML fragment taken out of one (whose
 * `junos:` attributes then need the prefix declared, as rpc-reply does).
 */
export function xml(text: string): Element {
  const fragment = !/^<rpc-reply/.test(text) && /\bjunos:/.test(text) && !/xmlns:junos=/.test(text);
  if (!fragment) return parseXml(text);
  return parseXml(`<fragment xmlns:junos="${JUNOS_NS}">${text}</fragment>`).firstChild as Element;
}

/** Every element named `localName` below `root` (any namespace). */
export function elements(root: Element, localName: string): Element[] {
  const found = root.getElementsByTagNameNS('*', localName);
  const out: Element[] = [];
  for (let i = 0; i < found.length; i += 1) out.push(found.item(i)!);
  return out;
}

/** The trimmed texts of every `localName` element. */
export function texts(root: Element | string, localName: string): string[] {
  const el = typeof root === 'string' ? xml(root) : root;
  return elements(el, localName).map((e) => (e.textContent ?? '').trim());
}

export function text(root: Element | string, localName: string): string | undefined {
  return texts(root, localName)[0];
}

/** The rpc-errors of a reply, as [severity, message, path, bad-element]. */
export function rpcErrors(reply: string): [string, string, string, string][] {
  return elements(xml(reply), 'rpc-error').map((e) => [text(e, 'error-severity') ?? '', text(e, 'error-message') ?? '', text(e, 'error-path') ?? '', text(e, 'bad-element') ?? '']);
}

/** Resolves when `done()` holds; polls, and gives up (throws) after `deadlineMs` so a hang fails instead of stalling. */
export async function waitFor(done: () => boolean, what: string, deadlineMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > deadlineMs) throw new Error(`gave up waiting for ${what} after ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
