// The lab's links and addresses as `ip -batch` lines: one batch in the root
// namespace creates every namespace and veth (iproute2 puts each end straight
// into its namespace), one in the switch namespace builds the bridges, and
// one per host sets its addresses.

import { BACK_BRIDGE, FRONT_BRIDGE, ROOT_ADDRESS, ROOT_LINK, ROOT_PEER, SEGMENTS, SWITCH_NS } from './topology.js';
import type { LabNode, LabPlan } from './topology.js';

export function rootBatch(plan: LabPlan): string[] {
  const nodes = [plan.bastion, ...plan.hosts];
  return [
    `netns add ${SWITCH_NS}`,
    ...nodes.map((n) => `netns add ${n.ns}`),
    `link add ${ROOT_LINK} type veth peer name ${ROOT_PEER} netns ${SWITCH_NS}`,
    ...nodes.flatMap((n) => n.legs.map((l) => `link add ${l.dev} netns ${n.ns} type veth peer name ${l.port} netns ${SWITCH_NS}`)),
    `addr add ${ROOT_ADDRESS.v4}/24 dev ${ROOT_LINK}`,
    `addr add ${ROOT_ADDRESS.v6}/64 dev ${ROOT_LINK} nodad`,
    `link set ${ROOT_LINK} up`,
  ];
}

export function switchBatch(plan: LabPlan): string[] {
  const ports = [{ port: ROOT_PEER, bridge: FRONT_BRIDGE }, ...[plan.bastion, ...plan.hosts].flatMap((n) => n.legs.map((l) => ({ port: l.port, bridge: SEGMENTS[l.segment].bridge })))];
  return [
    'link set lo up',
    // Plain switches: without a multicast querier, snooping would decide neighbour discovery by which MLD reports it happened to see.
    ...[FRONT_BRIDGE, BACK_BRIDGE].map((b) => `link add ${b} type bridge mcast_snooping 0`),
    ...ports.map((p) => `link set dev ${p.port} master ${p.bridge} up`),
    ...[FRONT_BRIDGE, BACK_BRIDGE].map((b) => `link set dev ${b} up`),
  ];
}

/** No default route: nothing in a host leaves its segment, and the bastion reaches the back hosts as a neighbour, not a router. */
export function nodeBatch(n: LabNode): string[] {
  return ['link set lo up', ...n.legs.flatMap((l) => [`addr add ${l.address}/24 dev ${l.dev}`, `addr add ${l.address6}/64 dev ${l.dev} nodad`, `link set dev ${l.dev} up`])];
}
