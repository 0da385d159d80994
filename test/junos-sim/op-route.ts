// show route summary: route counts derived from the configuration — a
// Direct and a Local route per interface address, the static routes, and
// the BGP routes the simulated peers send (none).

import { bgpPeers } from './bgp-peers.js';
import { activePart, child, entries, leafValue } from './config-tree.js';
import { moduleNamespace } from './junos-release.js';
import { interfaceStates } from './op-interfaces.js';
import type { OpContext, OpOutput } from './op-types.js';
import { textElement } from './xml-text.js';

interface TableCounts {
  name: string;
  protocols: { name: string; routes: number }[];
}

function networkOf(address: string): string {
  const [ip = '', len = ''] = address.split('/');
  if (ip.includes(':')) return `${ip}/${len}`;
  const bits = Number(len);
  const n = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const net = (n & mask) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.')}/${bits}`;
}

function tables(ctx: OpContext): TableCounts[] {
  const active = activePart(ctx.state.active);
  const out: TableCounts[] = [];
  for (const [table, family, isV6] of [['inet.0', 'inet', false], ['inet6.0', 'inet6', true]] as const) {
    const addresses = interfaceStates(ctx)
      .filter((p) => p.admin === 'up')
      .flatMap((p) => p.units.filter((u) => u.link === 'up').flatMap((u) => u.families.filter((f) => f.name === family).flatMap((f) => f.addresses)));
    const direct = new Set(addresses.map(networkOf)).size;
    const statics = entries(child(active, 'routing-options', ...(isV6 ? ['rib inet6.0', 'static'] : ['static'])), 'route').length;
    const protocols = [
      { name: 'Direct', routes: direct },
      { name: 'Local', routes: addresses.length },
      { name: 'Static', routes: statics },
      { name: 'BGP', routes: 0 },
    ].filter((p) => p.routes > 0 || (p.name === 'BGP' && !isV6 && bgpPeers(ctx.state.active).length > 0));
    if (protocols.length > 0) out.push({ name: table, protocols });
  }
  return out;
}

export function showRouteSummary(ctx: OpContext): OpOutput {
  const ro = child(ctx.state.active, 'routing-options');
  const as = leafValue(ro, 'autonomous-system')?.split(' ')[0] ?? '';
  const routerId = leafValue(ro, 'router-id') ?? '';
  const all = tables(ctx);
  const total = (t: TableCounts) => t.protocols.reduce((s, p) => s + p.routes, 0);
  const text = [
    ...(as ? [`Autonomous system number: ${as}`] : []),
    ...(routerId ? [`Router ID: ${routerId}`] : []),
    '',
    ...all.flatMap((t) => [
      `${t.name}: ${total(t)} destinations, ${total(t)} routes (${total(t)} active, 0 holddown, 0 hidden)`,
      ...t.protocols.map((p) => `${`${p.name}:`.padStart(20)}${String(p.routes).padStart(7)} routes, ${String(p.routes).padStart(6)} active`),
      '',
    ]),
  ]
    .join('\n')
    .trimEnd();
  const xml = [
    `<route-summary-information xmlns="${moduleNamespace('junos-routing')}">`,
    ...(as ? [textElement('as-number', as)] : []),
    ...(routerId ? [textElement('router-id', routerId)] : []),
    ...all.flatMap((t) => [
      '<route-table>',
      textElement('table-name', t.name),
      textElement('destination-count', total(t)),
      textElement('total-route-count', total(t)),
      textElement('active-route-count', total(t)),
      textElement('holddown-route-count', 0),
      textElement('hidden-route-count', 0),
      ...t.protocols.flatMap((p) => ['<protocols>', textElement('protocol-name', p.name), textElement('protocol-route-count', p.routes), textElement('active-route-count', p.routes), '</protocols>']),
      '</route-table>',
    ]),
    '</route-summary-information>',
  ].join('\n');
  return { text, xml };
}

