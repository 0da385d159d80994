// Escaping for the XML the simulator writes. Replies are built as text
// (Junos-shaped, newline between elements); requests are parsed with a real
// XML parser (netconf-message.ts), never with regexes.

export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttribute(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}

/** `<name>text</name>`, escaped. */
export function textElement(name: string, text: string | number, attrs = ''): string {
  return `<${name}${attrs}>${escapeText(String(text))}</${name}>`;
}
