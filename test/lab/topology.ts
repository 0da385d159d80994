// The lab's names and addresses, computed from the host count alone, so a
// lab of N hosts is the same on every machine and every run. Documentation
// prefixes only, and never 192.0.2.0/24: the build machines' own eth0 and
// default route are on it.
//
//   front 198.51.100.0/24, 2001:db8:100::/64: hosts, bastion .253/::fd, root end of the lab veth .254/::fe
//   back  203.0.113.0/24,  2001:db8:203::/64: every third host, bastion .253/::fd
//
// Host i has .i and ::i on its segment (the decimal digits read as a hex
// group: h10 is ::10), so an address says which host it is.

export const NS_PREFIX = 'mlab-';
export const SWITCH_NS = `${NS_PREFIX}switch`;
export const BASTION = 'bastion';
/** The root namespace's end of its one veth into the lab; the other end is `uplink` on the front bridge. */
export const ROOT_LINK = 'mlab0';
export const ROOT_PEER = 'uplink';
export const FRONT_BRIDGE = 'br-front';
export const BACK_BRIDGE = 'br-back';
export const MAX_HOSTS = 250;

export type Segment = 'front' | 'back';

export const SEGMENTS: Record<Segment, { v4: string; v6: string; bridge: string }> = {
  front: { v4: '198.51.100.', v6: '2001:db8:100::', bridge: FRONT_BRIDGE },
  back: { v4: '203.0.113.', v6: '2001:db8:203::', bridge: BACK_BRIDGE },
};

export const ROOT_ADDRESS = { v4: '198.51.100.254', v6: '2001:db8:100::fe' };

/** One leg of a namespace on a segment: `dev` inside the namespace, `port` its peer on the bridge. */
export interface Leg {
  segment: Segment;
  dev: string;
  port: string;
  address: string;
  address6: string;
}

export interface LabNode {
  name: string;
  ns: string;
  legs: Leg[];
  /** The address sshd listens on and ssh_config names (the first leg's). */
  address: string;
  address6: string;
  behindBastion: boolean;
}

export interface LabPlan {
  hosts: LabNode[];
  bastion: LabNode;
}

/** Every third host is behind the bastion, and with two hosts the second, so any lab of 2 or more has one. */
export function isBehindBastion(index: number, count: number): boolean {
  return index % 3 === 0 || (count === 2 && index === 2);
}

function leg(segment: Segment, dev: string, port: string, v4Part: number, v6Part: string): Leg {
  const s = SEGMENTS[segment];
  return { segment, dev, port, address: `${s.v4}${v4Part}`, address6: `${s.v6}${v6Part}` };
}

export function labPlan(count: number): LabPlan {
  if (!Number.isInteger(count) || count < 1 || count > MAX_HOSTS) throw new Error(`a lab has 1 to ${MAX_HOSTS} hosts, not ${count}`);
  const hosts: LabNode[] = [];
  for (let i = 1; i <= count; i += 1) {
    const name = `h${i}`;
    const behind = isBehindBastion(i, count);
    const only = leg(behind ? 'back' : 'front', 'eth0', name, i, String(i));
    hosts.push({ name, ns: `${NS_PREFIX}${name}`, legs: [only], address: only.address, address6: only.address6, behindBastion: behind });
  }
  const front = leg('front', 'eth0', 'bastion-f', 253, 'fd');
  const back = leg('back', 'eth1', 'bastion-b', 253, 'fd');
  const bastion: LabNode = { name: BASTION, ns: `${NS_PREFIX}${BASTION}`, legs: [front, back], address: front.address, address6: front.address6, behindBastion: false };
  return { hosts, bastion };
}
