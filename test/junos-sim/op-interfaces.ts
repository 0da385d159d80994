// show interfaces terse [NAME]: the physical ports the chassis has (ge-0/0/0
// to ge-0/0/3, lo0) plus any configured ones; a configured, enabled port has
// its link up. Logical units list their families and addresses. The XML, as
// Junos's does, pads names and states with newlines (`<name>\nge-0/0/0\n
// </name>`): clients must trim.

import { activePart, child, entries, entryName, hasFlag, namedEntries, type ConfigNode } from './config-tree.js';
import { moduleNamespace } from './junos-release.js';
import type { OpContext, OpOutput } from './op-types.js';
import { escapeText } from './xml-text.js';

const CHASSIS_PORTS = ['ge-0/0/0', 'ge-0/0/1', 'ge-0/0/2', 'ge-0/0/3', 'lo0'];

interface Logical {
  name: string;
  admin: 'up' | 'down';
  link: 'up' | 'down';
  families: { name: string; addresses: string[] }[];
}

interface Physical {
  name: string;
  admin: 'up' | 'down';
  link: 'up' | 'down';
  units: Logical[];
}

function portOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export function interfaceStates(ctx: OpContext): Physical[] {
  const configured = new Map<string, ConfigNode>(namedEntries(child(activePart(ctx.state.active), 'interfaces')).map((n) => [entryName(n), n]));
  const names = [...new Set([...CHASSIS_PORTS, ...configured.keys()])].filter((n) => !n.includes('*') && !n.startsWith('<')).sort(portOrder);
  return names.map((name) => {
    const config = configured.get(name);
    const admin = config && hasFlag(config, 'disable') ? 'down' : 'up';
    const link = admin === 'up' && (config !== undefined || name === 'lo0') ? 'up' : 'down';
    const units = entries(config, 'unit').map((u): Logical => {
      const unitAdmin = hasFlag(u, 'disable') ? 'down' : 'up';
      return {
        name: `${name}.${entryName(u)}`,
        admin: unitAdmin,
        link: unitAdmin === 'up' && link === 'up' ? 'up' : 'down',
        families: entries(u, 'family').map((f) => ({ name: entryName(f), addresses: entries(f, 'address').map(entryName) })),
      };
    });
    return { name, admin, link, units };
  });
}

function row(name: string, admin: string, link: string, proto = '', local = ''): string {
  return `${name.padEnd(24)}${admin.padEnd(6)}${link.padEnd(5)}${proto.padEnd(9)}${local}`.trimEnd();
}

const padded = (name: string, value: string) => `<${name}>\n${escapeText(value)}\n</${name}>`;

export function showInterfacesTerse(ctx: OpContext, only?: string): OpOutput {
  const all = interfaceStates(ctx).filter((p) => only === undefined || p.name === only || only.startsWith(`${p.name}.`));
  const lines = ['Interface               Admin Link Proto    Local                 Remote'];
  for (const p of all) {
    lines.push(row(p.name, p.admin, p.link));
    for (const u of p.units) {
      if (only !== undefined && only.includes('.') && u.name !== only) continue;
      if (u.families.length === 0) lines.push(row(u.name, u.admin, u.link));
      u.families.forEach((f, fi) => {
        const addresses = f.addresses.length > 0 ? f.addresses : [''];
        addresses.forEach((a, ai) => {
          lines.push(fi === 0 && ai === 0 ? row(u.name, u.admin, u.link, f.name, a) : row('', '', '', ai === 0 ? f.name : '', a));
        });
      });
    }
  }
  const xml = [
    `<interface-information xmlns="${moduleNamespace('junos-interface')}" junos:style="terse">`,
    ...all.flatMap((p) => [
      '<physical-interface>',
      padded('name', p.name),
      padded('admin-status', p.admin),
      padded('oper-status', p.link),
      ...p.units.flatMap((u) => [
        '<logical-interface>',
        padded('name', u.name),
        padded('admin-status', u.admin),
        padded('oper-status', u.link),
        '<filter-information>',
        '</filter-information>',
        ...u.families.flatMap((f) => [
          '<address-family>',
          padded('address-family-name', f.name),
          ...f.addresses.flatMap((a) => ['<interface-address>', `<ifa-local junos:emit="emit">\n${escapeText(a)}\n</ifa-local>`, '</interface-address>']),
          '</address-family>',
        ]),
        '</logical-interface>',
      ]),
      '</physical-interface>',
    ]),
    '</interface-information>',
  ].join('\n');
  return { text: lines.join('\n'), xml };
}
