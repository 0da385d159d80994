// Commit-time checks ("commit check" and every commit): mistakes Junos
// refuses, each reported with its `[edit …]` path and the statement at
// fault; the caller ends the list with `configuration check-out failed`.
// Only active statements count (inactive ones are not checked, as on Junos).
// Which messages are Junos's own words and which are approximations is
// listed in README.md.

import { activePart, child, entries, entryName, hasFlag, leafValue, namedEntries, type ConfigNode } from './config-tree.js';

export interface CheckError {
  path: string[];
  /** The statement at fault, for <bad-element>. */
  element?: string;
  message: string;
}

type Visit = (n: ConfigNode, path: string[]) => void;

function walk(n: ConfigNode, path: string[], visit: Visit): void {
  for (const c of n.children) {
    visit(c, path);
    walk(c, [...path, ...c.words], visit);
  }
}

function names(parent: ConfigNode | undefined, keyword: string): Set<string> {
  return new Set(entries(parent, keyword).map(entryName));
}

/** A policy expression (`(A && B)`) is not a policy name. */
function isPolicyName(v: string): boolean {
  return !/[()&|!]/.test(v);
}

const POLICY_REFERENCES = new Set(['import', 'export', 'vrf-import', 'vrf-export', 'instance-import', 'instance-export', 'prefix-policy']);

function undefinedPolicies(root: ConfigNode): CheckError[] {
  const defined = names(child(root, 'policy-options'), 'policy-statement');
  const errors: CheckError[] = [];
  walk(root, [], (n, path) => {
    const keyword = n.words[0]!;
    const routing = ['protocols', 'routing-options', 'routing-instances'].includes(path[0] ?? '');
    const subroutine = path[0] === 'policy-options' && keyword === 'policy' && path.includes('from');
    if (n.kind !== 'leaf-list' || !((routing && POLICY_REFERENCES.has(keyword)) || subroutine)) return;
    for (const name of n.values) {
      if (isPolicyName(name) && !defined.has(name)) errors.push({ path, element: keyword, message: `Policy error: Policy ${name} referenced but not defined` });
    }
  });
  return errors;
}

function undefinedPrefixLists(root: ConfigNode): CheckError[] {
  const defined = names(child(root, 'policy-options'), 'prefix-list');
  const errors: CheckError[] = [];
  walk(root, [], (n, path) => {
    const keyword = n.words[0]!;
    if (path[0] === 'policy-options' && path.includes('from')) {
      const name = keyword === 'prefix-list' || keyword === 'prefix-list-filter' ? n.words[1] : undefined;
      if (name !== undefined && !defined.has(name)) errors.push({ path, element: keyword, message: `Policy error: prefix-list ${name} referenced but not defined` });
    }
    if (path[0] === 'firewall' && path[path.length - 1] === 'from' && ['prefix-list', 'source-prefix-list', 'destination-prefix-list'].includes(keyword)) {
      for (const e of namedEntries(n)) {
        const name = entryName(e);
        if (!defined.has(name)) errors.push({ path: [...path, keyword], element: name, message: `Referenced prefix-list '${name}' is not defined` });
      }
    }
  });
  return errors;
}

function undefinedCommunities(root: ConfigNode): CheckError[] {
  const defined = names(child(root, 'policy-options'), 'community');
  const errors: CheckError[] = [];
  walk(root, [], (n, path) => {
    if (path[0] !== 'policy-options' || n.words[0] !== 'community') return;
    const used = path[path.length - 1] === 'from' && n.kind === 'leaf-list' ? n.values : path[path.length - 1] === 'then' && n.kind === 'multi' ? n.words.slice(2, 3) : [];
    for (const name of used) if (!defined.has(name)) errors.push({ path, element: 'community', message: `Policy error: community ${name} referenced but not defined` });
  });
  return errors;
}

function undefinedFiltersAndPolicers(root: ConfigNode): CheckError[] {
  const firewall = child(root, 'firewall');
  const filtersOf = (family: string) => new Set([...names(child(firewall, `family ${family}`), 'filter'), ...(family === 'inet' ? names(firewall, 'filter') : [])]);
  const policers = names(firewall, 'policer');
  const errors: CheckError[] = [];
  walk(root, [], (n, path) => {
    const keyword = n.words[0]!;
    if (path[0] === 'interfaces' && path[path.length - 1] === 'filter' && ['input', 'output', 'input-list', 'output-list'].includes(keyword)) {
      const family = path[path.length - 2] ?? 'inet';
      const defined = filtersOf(family);
      for (const name of n.values) if (!defined.has(name)) errors.push({ path, element: keyword, message: `Referenced filter '${name}' is not defined` });
    }
    if (path[0] === 'firewall' && path[path.length - 1] === 'then' && keyword === 'policer') {
      const name = n.values[0] ?? '';
      if (!policers.has(name)) errors.push({ path, element: 'policer', message: `Referenced policer '${name}' is not defined` });
    }
  });
  return errors;
}

/** Every `protocols bgp`, in the main instance and in routing instances, with its path. */
function bgpInstances(root: ConfigNode): { bgp: ConfigNode; path: string[] }[] {
  const found: { bgp: ConfigNode; path: string[] }[] = [];
  const main = child(root, 'protocols', 'bgp');
  if (main) found.push({ bgp: main, path: ['protocols', 'bgp'] });
  for (const ri of namedEntries(child(root, 'routing-instances'))) {
    const bgp = child(ri, 'protocols', 'bgp');
    if (bgp) found.push({ bgp, path: ['routing-instances', entryName(ri), 'protocols', 'bgp'] });
  }
  return found;
}

function bgpGroups(root: ConfigNode): CheckError[] {
  const errors: CheckError[] = [];
  for (const { bgp, path } of bgpInstances(root)) {
    for (const group of entries(bgp, 'group')) {
      const groupPath = [...path, ...group.words];
      const type = leafValue(group, 'type') ?? leafValue(bgp, 'type');
      if (type === undefined) {
        errors.push({ path: groupPath, element: 'type', message: "Missing mandatory statement: 'type'" });
        continue;
      }
      if (type !== 'external') continue;
      const groupAs = leafValue(group, 'peer-as') ?? leafValue(bgp, 'peer-as');
      for (const neighbor of entries(group, 'neighbor')) {
        if (groupAs === undefined && leafValue(neighbor, 'peer-as') === undefined) {
          errors.push({ path: [...groupPath, ...neighbor.words], element: 'peer-as', message: `Error in neighbor ${entryName(neighbor)} of group ${entryName(group)}: peer AS number must be configured for an external peer` });
        }
      }
    }
  }
  return errors;
}

function addPath(root: ConfigNode): CheckError[] {
  const errors: CheckError[] = [];
  walk(root, [], (n, path) => {
    if (n.words[0] !== 'add-path' || !path.includes('bgp')) return;
    const here = [...path, 'add-path'];
    const send = child(n, 'send');
    if (!send && !hasFlag(n, 'receive')) errors.push({ path: here, element: 'add-path', message: 'add-path: at least one of send or receive must be configured' });
    if (send && leafValue(send, 'path-count') === undefined) errors.push({ path: [...here, 'send'], element: 'path-count', message: "Missing mandatory statement: 'path-count'" });
  });
  return errors;
}

const FAMILY_FOR_PROTOCOL: Record<string, string> = { ospf: 'inet', ospf3: 'inet6', isis: 'iso', mpls: 'mpls', rsvp: 'mpls', ldp: 'mpls' };

/** A protocol running on a unit that exists but lacks the family the protocol needs (see README: stricter than Junos). */
function protocolInterfaceFamilies(root: ConfigNode): CheckError[] {
  const errors: CheckError[] = [];
  const interfaces = child(root, 'interfaces');
  const protocols = child(root, 'protocols');
  walk(protocols ?? { words: [], kind: 'container', values: [], children: [] }, ['protocols'], (n, path) => {
    const protocol = path[1] ?? '';
    const family = FAMILY_FOR_PROTOCOL[protocol];
    if (!family || n.kind !== 'list' || n.words[0] !== 'interface') return;
    const name = entryName(n);
    if (name === 'all' || name.includes('*')) return;
    const [physical = '', unitNumber = '0'] = name.split('.');
    const unit = child(interfaces, physical, `unit ${unitNumber}`);
    if (unit && !child(unit, `family ${family}`)) {
      errors.push({ path: [...path, ...n.words], element: name, message: `interface ${name} is not configured with family ${family}` });
    }
  });
  return errors;
}

export const VALIDATORS: readonly { name: string; check: (root: ConfigNode) => CheckError[] }[] = [
  { name: 'undefined policy', check: undefinedPolicies },
  { name: 'undefined prefix-list', check: undefinedPrefixLists },
  { name: 'undefined community', check: undefinedCommunities },
  { name: 'undefined filter or policer', check: undefinedFiltersAndPolicers },
  { name: 'bgp group type and peer-as', check: bgpGroups },
  { name: 'bgp add-path', check: addPath },
  { name: 'protocol interface family', check: protocolInterfaceFamilies },
];

export const CHECK_OUT_FAILED = 'configuration check-out failed';

/** What commit check finds wrong with `candidate`; empty when it would commit. */
export function commitCheck(candidate: ConfigNode): CheckError[] {
  const effective = activePart(candidate);
  return VALIDATORS.flatMap((v) => v.check(effective));
}
