// show bgp summary, show bgp neighbor [ADDRESS]: text and XML shaped like
// Junos's, from the peers bgp-peers.ts derives. Message counters grow with
// the session's age (a keepalive each 30 s), so they move with the clock.
// The add-path lines and elements are described in README.md (their exact
// Junos spelling is unverified).

import { bgpPeers, junosElapsed, type BgpPeer } from './bgp-peers.js';
import { child, leafValue } from './config-tree.js';
import { moduleNamespace } from './junos-release.js';
import type { OpContext, OpOutput } from './op-types.js';
import { fail } from './rpc-error.js';
import { textElement } from './xml-text.js';

interface PeerView {
  peer: BgpPeer;
  ageSeconds: number;
  inMessages: number;
  outMessages: number;
  table: string;
}

function views(ctx: OpContext): PeerView[] {
  const now = ctx.state.clock.now().getTime();
  return bgpPeers(ctx.state.active).map((peer) => {
    const ageSeconds = Math.floor((now - ctx.peerUpSince(peer.instance, peer.address).getTime()) / 1000);
    const keepalives = peer.established ? Math.floor(ageSeconds / 30) : 0;
    return {
      peer,
      ageSeconds,
      inMessages: peer.established ? 3 + keepalives : 0,
      outMessages: peer.established ? 2 + keepalives : 0,
      table: peer.instance === 'master' ? 'inet.0' : `${peer.instance}.inet.0`,
    };
  });
}

const RIB_HEADING = 'Peer                     AS      InPkt     OutPkt    OutQ   Flaps Last Up/Dwn State|#Active/Received/Accepted/Damped...';

export function showBgpSummary(ctx: OpContext): OpOutput {
  const all = views(ctx);
  const groups = new Set(all.map((v) => `${v.peer.instance}/${v.peer.group}`)).size;
  const down = all.filter((v) => !v.peer.established).length;
  const tables = [...new Set(all.map((v) => v.table))];
  if (tables.length === 0) tables.push('inet.0');
  const text = [
    'Threading mode: BGP I/O',
    'Default eBGP mode: advertise - accept, receive - accept',
    `Groups: ${groups} Peers: ${all.length} Down peers: ${down}`,
    'Table          Tot Paths  Act Paths Suppressed    History Damp State    Pending',
    ...tables.flatMap((t) => [t, `${'0'.padStart(24)}${'0'.padStart(11)}${'0'.padStart(11)}${'0'.padStart(11)}${'0'.padStart(11)}${'0'.padStart(11)}`]),
    RIB_HEADING,
    ...all.flatMap((v) => {
      const state = v.peer.established ? 'Establ' : 'Active';
      const line = `${v.peer.address.padEnd(20)}${v.peer.peerAs.padStart(8)}${String(v.inMessages).padStart(11)}${String(v.outMessages).padStart(11)}${'0'.padStart(8)}${'0'.padStart(8)}${junosElapsed(v.ageSeconds).padStart(12)} ${state}`;
      return v.peer.established ? [line, `  ${v.table}: 0/0/0/0`] : [line];
    }),
  ].join('\n');
  const xml = [
    `<bgp-information xmlns="${moduleNamespace('junos-routing')}">`,
    textElement('bgp-thread-mode', 'BGP I/O'),
    textElement('default-ebgp-advertise-mode', 'accept'),
    textElement('default-ebgp-receive-mode', 'accept'),
    textElement('group-count', groups),
    textElement('peer-count', all.length),
    textElement('down-peer-count', down),
    ...tables.flatMap((t) => [
      '<bgp-rib junos:style="brief">',
      textElement('name', t),
      ...['total-prefix-count', 'received-prefix-count', 'accepted-prefix-count', 'active-prefix-count', 'suppressed-prefix-count', 'history-prefix-count', 'damped-prefix-count', 'pending-prefix-count'].map((e) => textElement(e, 0)),
      '</bgp-rib>',
    ]),
    ...all.flatMap((v) => [
      `<bgp-peer junos:style="terse" heading="${RIB_HEADING}">`,
      textElement('peer-address', v.peer.address),
      textElement('peer-as', v.peer.peerAs),
      textElement('input-messages', v.inMessages),
      textElement('output-messages', v.outMessages),
      textElement('route-queue-count', 0),
      textElement('flap-count', 0),
      textElement('elapsed-time', junosElapsed(v.ageSeconds), ` junos:seconds="${v.ageSeconds}"`),
      v.peer.established ? textElement('peer-state', 'Established', ' junos:format="Establ"') : textElement('peer-state', 'Active'),
      ...(v.peer.description ? [textElement('description', v.peer.description)] : []),
      ...(v.peer.instance === 'master' ? [] : [textElement('peer-cfg-rti', v.peer.instance)]),
      ...(v.peer.established
        ? ['<bgp-rib junos:style="terse">', textElement('name', v.table), ...['active-prefix-count', 'received-prefix-count', 'accepted-prefix-count', 'suppressed-prefix-count'].map((e) => textElement(e, 0)), '</bgp-rib>']
        : []),
      '</bgp-peer>',
    ]),
    '</bgp-information>',
  ].join('\n');
  return { text, xml };
}

function addPathLines(p: BgpPeer): { text: string[]; xml: string[] } {
  if (p.addPath.length === 0) return { text: ['  Peer does not support Addpath'], xml: ['<peer-addpath-not-supported/>'] };
  const send = p.addPath.filter((a) => a.sendPathCount !== null);
  const receive = p.addPath.filter((a) => a.receive);
  const text = ['  Peer supports Addpath'];
  if (send.length > 0) text.push(`  NLRI's for which peer can receive multiple paths: ${send.map((a) => a.nlri).join(' ')}`);
  if (receive.length > 0) text.push(`  NLRI's for which peer can send multiple paths: ${receive.map((a) => a.nlri).join(' ')}`);
  const parts = [
    ...(send.length > 0 ? [`send ${send.map((a) => `${a.nlri} (path-count ${a.sendPathCount})`).join(' ')}`] : []),
    ...(receive.length > 0 ? [`receive ${receive.map((a) => a.nlri).join(' ')}`] : []),
  ];
  text.push(`  Addpath: ${parts.join(', ')}`);
  const xml = [
    ...(send.length > 0 ? [textElement('nlri-type-addpath-send', send.map((a) => a.nlri).join(' '))] : []),
    ...(receive.length > 0 ? [textElement('nlri-type-addpath-receive', receive.map((a) => a.nlri).join(' '))] : []),
    ...send.map((a) => `<addpath-send-path-count nlri="${a.nlri}">${a.sendPathCount}</addpath-send-path-count>`),
  ];
  return { text, xml };
}

function neighborDetail(ctx: OpContext, v: PeerView): { text: string[]; xml: string[] } {
  const p = v.peer;
  const routerId = leafValue(child(ctx.state.active, 'routing-options'), 'router-id') ?? p.localAddress ?? '0.0.0.0';
  const local = p.localAddress ?? routerId;
  const state = p.established ? 'Established' : 'Active';
  const options = ['Preference', ...(p.localAddress ? ['LocalAddress'] : []), 'AddressFamily', 'Refresh'];
  const addPath = addPathLines(p);
  const policies = [...(p.exports.length > 0 ? [`Export: [ ${p.exports.join(' ')} ]`] : []), ...(p.imports.length > 0 ? [`Import: [ ${p.imports.join(' ')} ]`] : [])];
  const text = [
    `Peer: ${p.address}+179 AS ${p.peerAs}    Local: ${local}+${p.established ? 57422 : 0} AS ${p.localAs}`,
    ...(p.description ? [`  Description: ${p.description}`] : []),
    `  Group: ${p.group.padEnd(22)}Routing-Instance: ${p.instance}`,
    `  Forwarding routing-instance: ${p.instance}`,
    `  Type: ${p.type}    State: ${state}    Flags: <${p.established ? 'Sync' : ''}>`,
    `  Last State: ${p.established ? 'OpenConfirm' : 'Idle'}   Last Event: ${p.established ? 'RecvKeepAlive' : 'Start'}`,
    '  Last Error: None',
    ...(policies.length > 0 ? [`  ${policies.join(' ')}`] : []),
    `  Options: <${options.join(' ')}>`,
    ...(p.addPath.length > 0 ? ['  Options: <AddPath>'] : []),
    `  Address families configured: ${p.families.join(' ')}`,
    `  Local Address: ${local} Holdtime: ${p.holdTime} Preference: 170`,
    '  Number of flaps: 0',
    ...(p.established
      ? [
          `  Peer ID: ${p.address.padEnd(16)}Local ID: ${routerId.padEnd(16)}Active Holdtime: ${p.holdTime}`,
          `  Keepalive Interval: ${Math.floor(p.holdTime / 3)}         Group index: 0    Peer index: 0    SNMP index: 0`,
          `  NLRI for restart configured on peer: ${p.families.join(' ')}`,
          `  NLRI advertised by peer: ${p.families.join(' ')}`,
          `  NLRI for this session: ${p.families.join(' ')}`,
          '  Peer supports Refresh capability (2)',
          `  Peer supports 4 byte AS extension (peer-as ${p.peerAs})`,
          ...addPath.text,
          `  Table ${v.table} Bit: 20000`,
          '    RIB State: BGP restart is complete',
          '    Send state: in sync',
          '    Active prefixes:              0',
          '    Received prefixes:            0',
          '    Accepted prefixes:            0',
          '    Suppressed due to damping:    0',
          '    Advertised prefixes:          0',
          `  Last traffic (seconds): Received ${v.ageSeconds % 30}   Sent ${v.ageSeconds % 30}   Checked ${v.ageSeconds % 30}`,
          `  Input messages:  Total ${String(v.inMessages).padEnd(7)}Updates 1       Refreshes 0     Octets ${v.inMessages * 19 + 40}`,
          `  Output messages: Total ${String(v.outMessages).padEnd(7)}Updates 0       Refreshes 0     Octets ${v.outMessages * 19 + 40}`,
        ]
      : []),
  ];
  const xml = [
    '<bgp-peer junos:style="detail">',
    textElement('peer-address', `${p.address}+179`),
    textElement('peer-as', p.peerAs),
    textElement('local-address', `${local}+${p.established ? 57422 : 0}`),
    textElement('local-as', p.localAs),
    ...(p.description ? [textElement('description', p.description)] : []),
    textElement('peer-group', p.group),
    textElement('peer-cfg-rti', p.instance),
    textElement('peer-fwd-rti', p.instance),
    textElement('peer-type', p.type),
    textElement('peer-state', state),
    textElement('peer-flags', p.established ? 'Sync' : ''),
    textElement('last-state', p.established ? 'OpenConfirm' : 'Idle'),
    textElement('last-event', p.established ? 'RecvKeepAlive' : 'Start'),
    textElement('last-error', 'None'),
    '<bgp-option-information>',
    ...(p.exports.length > 0 ? [textElement('export-policy', p.exports.join(' '))] : []),
    ...(p.imports.length > 0 ? [textElement('import-policy', p.imports.join(' '))] : []),
    textElement('bgp-options', options.join(' ')),
    ...(p.addPath.length > 0 ? [textElement('bgp-options2', 'AddPath')] : []),
    textElement('address-families', p.families.join(' ')),
    textElement('local-address', local),
    textElement('holdtime', p.holdTime),
    textElement('preference', 170),
    '</bgp-option-information>',
    textElement('flap-count', 0),
    ...(p.established
      ? [
          textElement('peer-id', p.address),
          textElement('local-id', routerId),
          textElement('active-holdtime', p.holdTime),
          textElement('keepalive-interval', Math.floor(p.holdTime / 3)),
          textElement('peer-restart-nlri-configured', p.families.join(' ')),
          textElement('nlri-type-peer', p.families.join(' ')),
          textElement('nlri-type-session', p.families.join(' ')),
          textElement('peer-refresh-capability', 2),
          textElement('peer-4byte-as-capability-advertised', p.peerAs),
          ...addPath.xml,
          '<bgp-rib junos:style="detail">',
          textElement('name', v.table),
          textElement('rib-bit', 20000),
          textElement('bgp-rib-state', 'BGP restart is complete'),
          textElement('send-state', 'in sync'),
          ...['active-prefix-count', 'received-prefix-count', 'accepted-prefix-count', 'suppressed-prefix-count', 'advertised-prefix-count'].map((e) => textElement(e, 0)),
          '</bgp-rib>',
          textElement('input-messages', v.inMessages),
          textElement('output-messages', v.outMessages),
        ]
      : []),
    '</bgp-peer>',
  ];
  return { text, xml };
}

export function showBgpNeighbor(ctx: OpContext, address?: string): OpOutput {
  const all = views(ctx).filter((v) => address === undefined || v.peer.address === address);
  if (address !== undefined && all.length === 0) fail(`BGP peer ${address} not found`, { type: 'application', tag: 'invalid-value', badElement: address });
  const details = all.map((v) => neighborDetail(ctx, v));
  return {
    text: details.map((d) => d.text.join('\n')).join('\n\n'),
    xml: [`<bgp-information xmlns="${moduleNamespace('junos-routing')}">`, ...details.flatMap((d) => d.xml), '</bgp-information>'].join('\n'),
  };
}
