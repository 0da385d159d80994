// What the simulator knows of the Junos configuration grammar: which words
// open a block, which name an entry, which take a value. Junos needs a
// schema to turn `set interfaces ge-0/0/0 unit 0 family inet address A` into
// a hierarchy, to merge (a leaf is replaced, a list entry is added) and to
// print statements in its own order, so the simulator carries a small one.
//
// It covers what realistic router configurations use (system, interfaces,
// protocols bgp/ospf/lldp…, policy-options, firewall, routing-options,
// routing-instances). Containers marked `open` accept statements the schema
// does not list, typed by their shape (see resolve in config-path.ts);
// closed ones (the top level, `protocols`) reject unknown words with a
// syntax error, as Junos does.

export type StatementKind =
  /** `keyword { … }` */
  | 'container'
  /** `keyword NAME { … }` (or `NAME { … }` for named entries); also `keyword NAME;` */
  | 'list'
  /** `keyword VALUE;` — one per parent, a second one replaces it */
  | 'leaf'
  /** `keyword;` */
  | 'flag'
  /** `keyword V;` or `keyword [ V1 V2 ];` — values accumulate */
  | 'leaf-list'
  /** `keyword W1 W2…;` — every distinct word sequence is its own statement (route-filter, community add) */
  | 'multi';

export interface StatementSpec {
  kind: StatementKind;
  /** Container and list: what may appear inside. */
  node?: SchemaNode;
  /** Leaf: how many value words follow the keyword ('rest': all that remain). Default 1. */
  valueWords?: number | 'rest';
  /** Leaf: the value may be absent (`reject;` as well as `reject tcp-reset;`). */
  optionalValue?: boolean;
  /** List: the entry carries values after its name (`as-path NAME "regex";`). */
  entryValues?: boolean;
  /** Printed quoted, followed by `## SECRET-DATA`. */
  secret?: boolean;
  /** A container or entry whose only child is a simple statement prints on one line: `then accept;`. */
  oneLiner?: boolean;
  /** Entries keep the user's order (policy and filter terms); diffs show the preceding entry as context. */
  ordered?: boolean;
  /** XML: the entries' names are element names (`<family><inet>…`), not `<name>` children. */
  xmlChoice?: boolean;
  /** XML element name of named entries (`<interface><name>ge-0/0/0</name>…`). */
  xmlName?: string;
  /** A top-level container that disappears when its last statement is deleted. */
  prunable?: boolean;
  /** The value is a number in this range. */
  range?: [number, number];
}

export interface SchemaNode {
  /** Statements by keyword, in the order Junos prints them. */
  children: Map<string, StatementSpec>;
  /** Entries named by any word that is not a keyword (interface names, group names, name servers). */
  named?: StatementSpec;
  /** Unknown statements are accepted (typed by their shape). */
  open?: boolean;
}

type Children = Record<string, StatementSpec>;

function node(children: Children, extra: { named?: StatementSpec; open?: boolean } = {}): SchemaNode {
  return { children: new Map(Object.entries(children)), ...extra };
}
const openNode = (children: Children = {}, named?: StatementSpec): SchemaNode => node(children, { open: true, named });
const container = (n: SchemaNode, o: Partial<StatementSpec> = {}): StatementSpec => ({ kind: 'container', node: n, ...o });
const list = (n: SchemaNode, o: Partial<StatementSpec> = {}): StatementSpec => ({ kind: 'list', node: n, ...o });
const leaf = (o: Partial<StatementSpec> = {}): StatementSpec => ({ kind: 'leaf', ...o });
const rest = (o: Partial<StatementSpec> = {}): StatementSpec => leaf({ valueWords: 'rest', ...o });
const num = (min: number, max: number): StatementSpec => leaf({ range: [min, max] });
const secret = (): StatementSpec => leaf({ secret: true });
const flag = (): StatementSpec => ({ kind: 'flag' });
const leafList = (): StatementSpec => ({ kind: 'leaf-list' });
const multi = (o: Partial<StatementSpec> = {}): StatementSpec => ({ kind: 'multi', ...o });
const openContainer = (o: Partial<StatementSpec> = {}): StatementSpec => container(openNode(), o);
const openList = (o: Partial<StatementSpec> = {}): StatementSpec => list(openNode(), o);
/** `name;` entries of a container (`name-server { 192.0.2.53; }`, `prefix-list P { 10.0.0.0/8; }`). */
const namedEntries = (children: Children = {}, o: Partial<StatementSpec> = {}): SchemaNode => node({}, { named: list(openNode(children), { oneLiner: true, ...o }) });

/** Statements valid in every container. */
export const UNIVERSAL: ReadonlyMap<string, StatementSpec> = new Map([
  ['apply-groups', leafList()],
  ['apply-groups-except', leafList()],
]);

// ---- system

const authentication = openNode({
  'encrypted-password': secret(),
  'plain-text-password': flag(),
  'ssh-rsa': multi({ secret: true }),
  'ssh-ecdsa': multi({ secret: true }),
  'ssh-ed25519': multi({ secret: true }),
});

const system = openNode({
  'host-name': leaf(),
  'domain-name': leaf(),
  'domain-search': leafList(),
  'time-zone': leaf(),
  'root-authentication': container(authentication),
  'name-server': container(namedEntries({ 'routing-instance': leaf() })),
  login: container(
    openNode({
      announcement: leaf(),
      message: leaf(),
      class: list(openNode({ 'idle-timeout': leaf(), permissions: leafList(), 'allow-commands': leaf(), 'deny-commands': leaf(), 'allow-configuration': leaf(), 'deny-configuration': leaf() })),
      user: list(openNode({ 'full-name': leaf(), uid: num(100, 64000), class: leaf(), authentication: container(authentication) })),
    }),
  ),
  services: container(
    openNode({
      ssh: container(openNode({ 'root-login': leaf(), 'protocol-version': leafList(), 'connection-limit': leaf(), 'rate-limit': leaf() })),
      netconf: container(
        openNode({
          ssh: container(openNode({ port: num(1, 65535), 'connection-limit': leaf(), 'rate-limit': leaf() })),
          'rfc-compliant': flag(),
          'yang-compliant': flag(),
          traceoptions: openContainer(),
        }),
      ),
      'web-management': openContainer(),
      telnet: openContainer(),
    }),
  ),
  syslog: container(openNode({ user: openList(), host: openList(), file: openList(), archive: openContainer(), 'source-address': leaf() })),
  ntp: container(
    openNode({
      'boot-server': leaf(),
      'authentication-key': openList(),
      server: list(openNode({ key: leaf(), version: leaf(), prefer: flag(), 'routing-instance': leaf() }), { oneLiner: true }),
      'source-address': openList(),
      'trusted-key': leafList(),
    }),
  ),
  'authentication-order': leafList(),
  'radius-server': openList(),
  'tacplus-server': openList(),
  'max-configurations-on-flash': leaf(),
  'max-configuration-rollbacks': num(0, 49),
});

// ---- interfaces

const interfaceFamily = openNode({
  filter: container(openNode({ input: leaf(), output: leaf(), 'input-list': leafList(), 'output-list': leafList(), group: leaf() })),
  mtu: leaf(),
  'no-redirects': flag(),
  'unnumbered-address': rest(),
  'interface-mode': leaf(),
  vlan: container(openNode({ members: leafList() })),
  address: list(openNode({ primary: flag(), preferred: flag(), 'vrrp-group': openList(), 'vrrp-inet6-group': openList(), arp: openList() })),
});

const unit = openNode({
  description: leaf(),
  disable: flag(),
  encapsulation: leaf(),
  'vlan-id': num(0, 4094),
  'vlan-id-list': leafList(),
  'vlan-tags': openContainer({ oneLiner: true }),
  bandwidth: leaf(),
  family: list(interfaceFamily, { xmlChoice: true }),
});

const physicalInterface = openNode({
  description: leaf(),
  disable: flag(),
  'vlan-tagging': flag(),
  'flexible-vlan-tagging': flag(),
  'native-vlan-id': leaf(),
  mtu: num(256, 16000),
  speed: leaf(),
  'link-mode': leaf(),
  'hold-time': rest(),
  encapsulation: leaf(),
  'gigether-options': openContainer(),
  'ether-options': openContainer(),
  'aggregated-ether-options': openContainer(),
  esi: openContainer(),
  unit: list(unit, { range: [0, 1073741823] }),
});

const interfaces = node(
  { 'interface-range': openList(), traceoptions: openContainer() },
  { named: list(physicalInterface, { xmlName: 'interface' }) },
);

// ---- routing-options

const staticRoute = openNode({
  'next-hop': leafList(),
  'qualified-next-hop': list(openNode({ preference: leaf(), metric: leaf(), interface: leaf() })),
  discard: flag(),
  reject: flag(),
  receive: flag(),
  'next-table': leaf(),
  preference: leaf(),
  metric: leaf(),
  tag: leaf(),
  community: leafList(),
  resolve: flag(),
  'no-readvertise': flag(),
  readvertise: flag(),
  retain: flag(),
  active: flag(),
  passive: flag(),
  'bfd-liveness-detection': openContainer(),
});

const staticRoutes = openNode({ defaults: openContainer(), 'rib-group': leaf(), route: list(staticRoute, { oneLiner: true }) });

const routingOptions = openNode({
  'interface-routes': openContainer(),
  static: container(staticRoutes),
  aggregate: container(openNode({ defaults: openContainer(), route: openList() })),
  generate: container(openNode({ defaults: openContainer(), route: openList() })),
  martians: openContainer(),
  'maximum-paths': rest(),
  'maximum-prefixes': rest(),
  'router-id': leaf(),
  'route-distinguisher-id': leaf(),
  'autonomous-system': rest(),
  confederation: rest(),
  rib: list(openNode({ static: container(staticRoutes), aggregate: openContainer(), generate: openContainer(), martians: openContainer() })),
  'rib-groups': openList(),
  'instance-import': leafList(),
  'instance-export': leafList(),
  'forwarding-table': container(openNode({ export: leafList(), 'indirect-next-hop': flag(), 'chained-composite-next-hop': openContainer(), 'ecmp-fast-reroute': flag() })),
  'graceful-restart': openContainer(),
  'nonstop-routing': flag(),
  multipath: openContainer(),
  resolution: openContainer(),
  validation: openContainer(),
  'source-packet-routing': openContainer(),
});

// ---- protocols

const addPath = node({
  receive: flag(),
  send: container(node({ 'path-count': num(2, 64), 'prefix-policy': leafList(), multipath: flag(), 'include-backup-path': leaf(), 'path-selection-mode': openContainer() })),
});

const bgpFamilyModifier = openNode({
  'accepted-prefix-limit': openContainer(),
  'prefix-limit': openContainer(),
  'add-path': container(addPath),
  'rib-group': leaf(),
  loops: leaf(),
  aigp: openContainer(),
  'extended-nexthop': flag(),
  'graceful-restart': openContainer(),
  'output-queue-priority': openContainer(),
  protection: flag(),
  'per-prefix-label': flag(),
  'resolve-vpn': flag(),
  'topology': openList(),
});

const bgpFamily = openNode({
  unicast: container(bgpFamilyModifier),
  multicast: container(bgpFamilyModifier),
  'labeled-unicast': container(bgpFamilyModifier),
  flow: container(bgpFamilyModifier),
  signaling: container(bgpFamilyModifier),
  any: container(bgpFamilyModifier),
  'route-target': container(bgpFamilyModifier),
});

/** What a BGP group, a neighbor and the bgp level itself all accept. */
const bgpPeerStatements: Children = {
  traceoptions: openContainer(),
  description: leaf(),
  'metric-out': rest(),
  multihop: container(openNode({ ttl: num(1, 255), 'no-nexthop-change': flag() })),
  'accept-remote-nexthop': flag(),
  preference: leaf(),
  'local-preference': leaf(),
  'local-address': leaf(),
  'local-interface': leaf(),
  'hold-time': num(0, 65535),
  'out-delay': leaf(),
  'log-updown': flag(),
  passive: flag(),
  import: leafList(),
  family: list(bgpFamily, { xmlChoice: true }),
  'authentication-key': secret(),
  'authentication-algorithm': leaf(),
  'authentication-key-chain': leaf(),
  export: leafList(),
  'remove-private': openContainer(),
  'as-override': flag(),
  'advertise-peer-as': flag(),
  'advertise-inactive': flag(),
  'advertise-external': openContainer(),
  'bfd-liveness-detection': openContainer(),
  'graceful-restart': openContainer(),
  'tcp-mss': leaf(),
  damping: flag(),
  keep: leaf(),
  'mtu-discovery': flag(),
  'enforce-first-as': flag(),
  'no-client-reflect': flag(),
  'vpn-apply-export': flag(),
  cluster: leaf(),
  'peer-as': leaf(),
  'local-as': rest(),
  multipath: container(openNode({ 'multiple-as': flag() })),
};

const bgpNeighbor = openNode({ ...bgpPeerStatements });
const bgpGroup = openNode({
  type: leaf(),
  ...bgpPeerStatements,
  allow: leafList(),
  'dynamic-neighbor': openList(),
  neighbor: list(bgpNeighbor),
});
const bgp = openNode({
  'path-selection': openContainer(),
  'precision-timers': flag(),
  type: leaf(),
  ...bgpPeerStatements,
  group: list(bgpGroup),
});

const ospfInterface = openNode({
  disable: flag(),
  'interface-type': leaf(),
  passive: openContainer(),
  metric: num(1, 65535),
  'te-metric': leaf(),
  priority: num(0, 255),
  'hello-interval': num(1, 255),
  'dead-interval': num(1, 65535),
  'retransmit-interval': leaf(),
  authentication: openContainer(),
  'bfd-liveness-detection': openContainer(),
  'link-protection': flag(),
  'node-link-protection': flag(),
  'ldp-synchronization': openContainer(),
  'flood-reduction': flag(),
});
const ospfArea = openNode({
  stub: openContainer(),
  nssa: openContainer(),
  'area-range': openList(),
  'label-switched-path': openList(),
  interface: list(ospfInterface),
  'virtual-link': openList(),
});
const ospf = openNode({
  traceoptions: openContainer(),
  'traffic-engineering': openContainer(),
  'spf-options': openContainer(),
  'rib-group': leaf(),
  overload: openContainer(),
  'no-rfc-1583': flag(),
  'reference-bandwidth': leaf(),
  preference: leaf(),
  'external-preference': leaf(),
  import: leafList(),
  export: leafList(),
  area: list(ospfArea),
});

const lldp = openNode({
  disable: flag(),
  'advertisement-interval': leaf(),
  'hold-multiplier': leaf(),
  'management-address': leaf(),
  'port-id-subtype': leaf(),
  'port-description-type': leaf(),
  interface: list(openNode({ disable: flag() })),
});

const interfaceProtocol = (extra: Children = {}): StatementSpec => container(openNode({ ...extra, interface: openList() }));

const protocols = node({
  rsvp: interfaceProtocol(),
  mpls: interfaceProtocol({ 'label-switched-path': openList(), path: openList() }),
  bgp: container(bgp),
  isis: interfaceProtocol({ level: openList(), export: leafList(), import: leafList() }),
  ospf: container(ospf),
  ospf3: container(ospf),
  ldp: interfaceProtocol({ export: leafList(), import: leafList() }),
  pim: interfaceProtocol(),
  igmp: interfaceProtocol(),
  mld: interfaceProtocol(),
  msdp: openContainer(),
  evpn: openContainer(),
  l2circuit: openContainer(),
  l2vpn: openContainer(),
  vpls: openContainer(),
  bfd: openContainer(),
  connections: openContainer(),
  'router-advertisement': interfaceProtocol(),
  'router-discovery': openContainer(),
  'neighbor-discovery': openContainer(),
  vrrp: openContainer(),
  rip: openContainer(),
  ripng: openContainer(),
  rstp: interfaceProtocol(),
  mstp: interfaceProtocol(),
  vstp: openContainer(),
  lldp: container(lldp),
  'lldp-med': interfaceProtocol(),
  sflow: openContainer(),
  iccp: openContainer(),
  'l2-learning': openContainer(),
  dot1x: openContainer(),
  'igmp-snooping': openContainer(),
  'mld-snooping': openContainer(),
  'source-packet-routing': openContainer(),
  pcep: openContainer(),
  bmp: openContainer(),
});

// ---- policy-options

const policyFrom = openNode({
  instance: leaf(),
  family: leaf(),
  protocol: leafList(),
  rib: leaf(),
  neighbor: leafList(),
  'next-hop': leafList(),
  interface: leafList(),
  area: leaf(),
  'as-path': leafList(),
  'as-path-group': leaf(),
  community: leafList(),
  'community-count': multi(),
  level: leaf(),
  'local-preference': leaf(),
  metric: leaf(),
  origin: leaf(),
  preference: leaf(),
  tag: leaf(),
  'route-type': leaf(),
  external: openContainer(),
  policy: leafList(),
  'prefix-list': openList(),
  'prefix-list-filter': multi(),
  'route-filter': multi(),
  'route-filter-list': multi(),
  'source-address-filter': multi(),
  condition: leaf(),
  state: leaf(),
  'validation-database': leaf(),
});

const policyThen = openNode({
  metric: rest(),
  metric2: rest(),
  tag: rest(),
  preference: rest(),
  color: rest(),
  'local-preference': rest(),
  origin: leaf(),
  community: multi(),
  'as-path-prepend': leaf(),
  'as-path-expand': rest(),
  'next-hop': leaf(),
  'install-nexthop': openContainer(),
  'load-balance': leaf(),
  'forwarding-class': leaf(),
  'destination-class': leaf(),
  'source-class': leaf(),
  'validation-state': leaf(),
  'label-allocation': leaf(),
  priority: leaf(),
  external: openContainer(),
  trace: flag(),
  'default-action': leaf(),
  next: leaf(),
  accept: flag(),
  reject: flag(),
});

const policyTermBody: Children = {
  from: container(policyFrom, { oneLiner: true }),
  to: container(openNode({ neighbor: leafList(), protocol: leafList(), level: leaf(), instance: leaf(), rib: leaf() }), { oneLiner: true }),
  then: container(policyThen, { oneLiner: true }),
};

const policyStatement = openNode({
  term: list(openNode(policyTermBody), { ordered: true }),
  ...policyTermBody,
});

const policyOptions = openNode({
  'prefix-list': list(node({ 'apply-path': leaf() }, { named: list(openNode(), { oneLiner: true }) })),
  'route-filter-list': openList(),
  'policy-statement': list(policyStatement),
  community: list(openNode({ 'invert-match': flag(), members: leafList() }), { oneLiner: true }),
  'as-path': list(openNode(), { entryValues: true }),
  'as-path-group': openList(),
  condition: openList(),
});

// ---- firewall

const addressEntries = namedEntries({ except: flag() });
const prefixListEntries = namedEntries({ except: flag() });
const filterFrom = openNode({
  address: container(addressEntries),
  'source-address': container(addressEntries),
  'destination-address': container(addressEntries),
  'prefix-list': container(prefixListEntries),
  'source-prefix-list': container(prefixListEntries),
  'destination-prefix-list': container(prefixListEntries),
  protocol: leafList(),
  'next-header': leafList(),
  port: leafList(),
  'source-port': leafList(),
  'destination-port': leafList(),
  'icmp-type': leafList(),
  'icmp-code': leafList(),
  'tcp-flags': leaf(),
  'tcp-established': flag(),
  'tcp-initial': flag(),
  'fragment-flags': leaf(),
  'is-fragment': flag(),
  'first-fragment': flag(),
  dscp: leafList(),
  'traffic-class': leafList(),
  'packet-length': leafList(),
  ttl: leafList(),
  precedence: leafList(),
  interface: leafList(),
  'forwarding-class': leafList(),
});
const filterThen = openNode({
  policer: leaf(),
  'three-color-policer': openContainer(),
  count: leaf(),
  'forwarding-class': leaf(),
  'loss-priority': leaf(),
  dscp: leaf(),
  'traffic-class': leaf(),
  'routing-instance': leaf(),
  'next-interface': openContainer(),
  log: flag(),
  syslog: flag(),
  sample: flag(),
  'port-mirror': flag(),
  next: leaf(),
  accept: flag(),
  discard: flag(),
  reject: leaf({ optionalValue: true }),
});
const filter = openNode({
  'interface-specific': flag(),
  'physical-interface-filter': flag(),
  'enhanced-mode': flag(),
  term: list(openNode({ filter: leaf(), from: container(filterFrom, { oneLiner: true }), then: container(filterThen, { oneLiner: true }) }), { ordered: true }),
});
const firewallFamily = openNode({ filter: list(filter), 'service-filter': openList(), 'simple-filter': openList() });
const firewall = openNode({
  family: list(firewallFamily, { xmlChoice: true }),
  policer: list(
    openNode({
      'filter-specific': flag(),
      'logical-interface-policer': flag(),
      'if-exceeding': container(openNode({ 'bandwidth-limit': leaf(), 'bandwidth-percent': leaf(), 'burst-size-limit': leaf() })),
      then: container(openNode({ discard: flag(), 'forwarding-class': leaf(), 'loss-priority': leaf() }), { oneLiner: true }),
    }),
  ),
  'three-color-policer': openList(),
  filter: list(filter),
});

// ---- routing-instances, groups, top level

const routingInstance = openNode({
  description: leaf(),
  'instance-type': leaf(),
  interface: openList(),
  'route-distinguisher': leaf(),
  'vrf-import': leafList(),
  'vrf-export': leafList(),
  'vrf-target': container(openNode({ import: leaf(), export: leaf(), auto: flag() }), { oneLiner: true }),
  'vrf-table-label': flag(),
  'routing-options': container(routingOptions),
  protocols: container(protocols),
  'forwarding-options': openContainer(),
  'bridge-domains': openContainer(),
  vlans: openContainer(),
  'vtep-source-interface': rest(),
});

const top = (o: Partial<StatementSpec> = {}): Partial<StatementSpec> => ({ prunable: true, ...o });

export const ROOT: SchemaNode = node({
  version: leaf(),
  groups: container(openNode(), top()),
  'apply-groups': leafList(),
  system: container(system, top()),
  'logical-systems': openContainer(top()),
  chassis: openContainer(top()),
  services: openContainer(top()),
  security: openContainer(top()),
  interfaces: container(interfaces, top()),
  snmp: container(
    openNode({
      description: leaf(),
      location: leaf(),
      contact: leaf(),
      interface: leafList(),
      community: list(openNode({ authorization: leaf(), clients: container(namedEntries({ restrict: flag() })) })),
      'trap-options': openContainer(),
      'trap-group': openList(),
      view: openList(),
      v3: openContainer(),
    }),
    top(),
  ),
  'forwarding-options': openContainer(top()),
  'event-options': openContainer(top()),
  'routing-options': container(routingOptions, top()),
  protocols: container(protocols, top()),
  'policy-options': container(policyOptions, top()),
  'class-of-service': openContainer(top()),
  firewall: container(firewall, top()),
  access: openContainer(top()),
  applications: openContainer(top()),
  'routing-instances': container(node({}, { named: list(routingInstance, { xmlName: 'instance' }) }), top()),
  'bridge-domains': openContainer(top()),
  vlans: container(node({}, { named: list(openNode({ description: leaf(), 'vlan-id': num(1, 4094), 'l3-interface': leaf(), interface: openList() }), { xmlName: 'vlan' }) }), top()),
  'switch-options': openContainer(top()),
  'ethernet-switching-options': openContainer(top()),
  'multi-chassis': openContainer(top()),
  'virtual-chassis': openContainer(top()),
  poe: openContainer(top()),
});

// A group holds anything the top level does; the groups container names its entries.
ROOT.children.get('groups')!.node = node({}, { named: list(ROOT) });

/** The statement `keyword` is in `n`, or undefined. */
export function statementSpec(n: SchemaNode, keyword: string): StatementSpec | undefined {
  return n.children.get(keyword) ?? UNIVERSAL.get(keyword);
}

/**
 * The print position of a statement among its siblings: the schema's
 * keywords in order (apply-groups first where the schema does not place
 * it), then named entries, then statements the schema does not know (in the
 * order they came).
 */
export function printRank(n: SchemaNode | undefined, keyword: string, named: boolean): number {
  if (n && !named) {
    let i = 0;
    for (const k of n.children.keys()) {
      if (k === keyword) return i;
      i += 1;
    }
  }
  if (!named && (keyword === 'apply-groups' || keyword === 'apply-groups-except')) return -1;
  return named ? 50_000 : 100_000;
}

/** The block of a statement the schema does not know: anything goes, typed by shape. */
export const UNKNOWN_BLOCK: SchemaNode = { children: new Map(), open: true };
