// The tree as Junos XML (`<get-configuration format="xml">`, `show
// configuration | display xml`): containers are elements, list entries carry
// a `<name>`, named entries use the schema's element name (`<interface>`),
// `family` entries are element names (`<family><inet>…`), flags are empty
// elements, inactive statements have `inactive="inactive"`. Statements whose
// value Junos splits into elements (route-filter) are given as text here.

import { isBlock, type ConfigNode } from './config-tree.js';
import { escapeText } from './xml-text.js';

function attributes(n: ConfigNode): string {
  return `${n.inactive ? ' inactive="inactive"' : ''}${n.protect ? ' protect="protect"' : ''}`;
}

function comment(n: ConfigNode, indent: string): string[] {
  return n.annotation === undefined ? [] : [`${indent}<junos:comment>/* ${escapeText(n.annotation)} */</junos:comment>`];
}

function element(name: string, attrs: string, inner: string[], indent: string): string[] {
  if (inner.length === 0) return [`${indent}<${name}${attrs}/>`];
  return [`${indent}<${name}${attrs}>`, ...inner, `${indent}</${name}>`];
}

function childrenXml(parent: ConfigNode, indent: string): string[] {
  const out: string[] = [];
  const inner = `${indent}    `;
  const kids = parent.children;
  for (let i = 0; i < kids.length; i += 1) {
    const n = kids[i]!;
    const keyword = n.words[0]!;
    if (n.kind === 'list' && n.spec?.xmlChoice) {
      // family inet, family iso… → one <family> holding <inet>, <iso>.
      const group: ConfigNode[] = [n];
      while (kids[i + 1]?.kind === 'list' && kids[i + 1]!.words[0] === keyword) group.push(kids[++i]!);
      const choices = group.flatMap((g) => [...comment(g, inner), ...element(g.words[1]!, attributes(g), childrenXml(g, inner), inner)]);
      out.push(...element(keyword, '', choices, indent));
      continue;
    }
    out.push(...comment(n, indent));
    if (n.named) {
      const name = n.spec?.xmlName ?? parent.words[0] ?? 'name';
      out.push(...element(name, attributes(n), [`${inner}<name>${escapeText(keyword)}</name>`, ...childrenXml(n, inner)], indent));
      continue;
    }
    switch (n.kind) {
      case 'container':
        out.push(...element(keyword, attributes(n), childrenXml(n, indent + '    '), indent));
        break;
      case 'list':
        out.push(
          ...element(
            keyword,
            attributes(n),
            [`${inner}<name>${escapeText(n.words[1] ?? '')}</name>`, ...n.values.map((v) => `${inner}<value>${escapeText(v)}</value>`), ...childrenXml(n, inner)],
            indent,
          ),
        );
        break;
      case 'leaf':
        out.push(`${indent}<${keyword}${attributes(n)}>${escapeText(n.values.join(' '))}</${keyword}>`);
        break;
      case 'leaf-list':
        for (const v of n.values) out.push(`${indent}<${keyword}${attributes(n)}>${escapeText(v)}</${keyword}>`);
        break;
      case 'flag':
        out.push(`${indent}<${keyword}${attributes(n)}/>`);
        break;
      case 'multi':
        out.push(`${indent}<${keyword}${attributes(n)}>${escapeText(n.words.slice(1).join(' '))}</${keyword}>`);
        break;
    }
  }
  return out;
}

/** `<configuration …>…</configuration>`, with the commit time Junos adds as attributes. */
export function configurationXml(root: ConfigNode, changed?: { seconds: number; localtime: string }): string {
  const attrs = changed ? ` junos:changed-seconds="${changed.seconds}" junos:changed-localtime="${escapeText(changed.localtime)}"` : '';
  const body = isBlock(root) ? childrenXml(root, '    ') : [];
  return element('configuration', attrs, body, '').join('\n');
}
