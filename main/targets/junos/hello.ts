// The NETCONF hello exchange (RFC 6241 §8.1): both sides send their
// capabilities at once, end-of-message framed. Modus offers base:1.0 and
// base:1.1; chunked framing follows only when the device offers base:1.1
// too (Junos does only with `netconf rfc-compliant` and `version-1.1`).

import { child, childElements, readReply, textOf } from './reply-tree.js';
import { NETCONF_NS, buildXml, XmlError } from './xml.js';

export const BASE_10 = 'urn:ietf:params:netconf:base:1.0';
export const BASE_11 = 'urn:ietf:params:netconf:base:1.1';

export function clientHello(): string {
  const hello = buildXml(['hello', { xmlns: NETCONF_NS }, ['capabilities', ['capability', BASE_10], ['capability', BASE_11]]]);
  return `<?xml version="1.0" encoding="UTF-8"?>${hello}`;
}

export interface ServerHello {
  capabilities: string[];
  /** The device's session id (on Junos the pid of its NETCONF process), when given. */
  sessionId: string | null;
}

export class HelloError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HelloError';
  }
}

/** Reads the device's hello; HelloError saying what came instead. */
export function parseServerHello(text: string): ServerHello {
  let root;
  try {
    root = readReply(text.trimStart());
  } catch (e) {
    const shown = text.trim().slice(0, 120);
    throw new HelloError(`it did not start with a NETCONF hello (${e instanceof XmlError ? `not well-formed XML: ${e.message}` : String(e)}; it sent ${JSON.stringify(shown)})`);
  }
  if (root.localName !== 'hello') throw new HelloError(`it did not start with a NETCONF hello (it sent <${root.tagName}> instead)`);
  const caps = child(root, 'capabilities');
  const capabilities = caps ? childElements(caps).filter((c) => c.localName === 'capability').map((c) => textOf(c).trim()) : [];
  if (!capabilities.includes(BASE_10) && !capabilities.includes(BASE_11)) {
    throw new HelloError(`its hello offers neither ${BASE_10} nor ${BASE_11}, so it is not a NETCONF server Modus can talk to`);
  }
  const id = textOf(child(root, 'session-id')).trim();
  return { capabilities, sessionId: id === '' ? null : id };
}
