// BGP peers as the simulator imagines them from the active configuration:
// every configured neighbor of a group with a type (and, when external, a
// peer AS) is Established, since the simulated far end always agrees; the
// rest stay Active. Add-path capabilities come from `family … add-path`
// (the neighbor's family statements replace the group's, as on Junos), and
// the far end is assumed to mirror them.

import { activePart, child, entries, entryName, hasFlag, leafValue, leafValues, namedEntries, type ConfigNode } from './config-tree.js';

export interface AddPathFamily {
  /** `inet-unicast`. */
  nlri: string;
  receive: boolean;
  /** path-count when send is configured. */
  sendPathCount: number | null;
}

export interface BgpPeer {
  address: string;
  instance: string;
  group: string;
  type: 'Internal' | 'External' | 'Unknown';
  peerAs: string;
  localAs: string;
  localAddress: string | null;
  description: string | null;
  imports: string[];
  exports: string[];
  holdTime: number;
  /** `inet-unicast`, `inet6-unicast`… */
  families: string[];
  addPath: AddPathFamily[];
  established: boolean;
}

/** `family inet { unicast { add-path … } }` → the NLRI names and their add-path settings. */
function familiesOf(holder: ConfigNode): { families: string[]; addPath: AddPathFamily[] } {
  const families: string[] = [];
  const addPath: AddPathFamily[] = [];
  for (const family of entries(holder, 'family')) {
    const afi = entryName(family);
    const subs = family.children.filter((c) => !c.named && c.words.length === 1 && c.kind === 'container');
    if (subs.length === 0) families.push(`${afi}-unicast`);
    for (const sub of subs) {
      const nlri = `${afi}-${sub.words[0]}`;
      families.push(nlri);
      const ap = child(sub, 'add-path');
      if (!ap) continue;
      const send = child(ap, 'send');
      const count = send ? Number(leafValue(send, 'path-count')) : NaN;
      addPath.push({ nlri, receive: hasFlag(ap, 'receive'), sendPathCount: send ? (Number.isFinite(count) ? count : null) : null });
    }
  }
  return { families, addPath };
}

function bgpOf(active: ConfigNode): { bgp: ConfigNode; instance: string }[] {
  const out: { bgp: ConfigNode; instance: string }[] = [];
  const main = child(active, 'protocols', 'bgp');
  if (main) out.push({ bgp: main, instance: 'master' });
  for (const ri of namedEntries(child(active, 'routing-instances'))) {
    const bgp = child(ri, 'protocols', 'bgp');
    if (bgp) out.push({ bgp, instance: entryName(ri) });
  }
  return out;
}

export function bgpPeers(config: ConfigNode): BgpPeer[] {
  const active = activePart(config);
  const localAs = leafValue(child(active, 'routing-options'), 'autonomous-system')?.split(' ')[0] ?? '0';
  const peers: BgpPeer[] = [];
  for (const { bgp, instance } of bgpOf(active)) {
    for (const group of entries(bgp, 'group')) {
      const typeWord = leafValue(group, 'type') ?? leafValue(bgp, 'type');
      const type = typeWord === 'internal' ? 'Internal' : typeWord === 'external' ? 'External' : 'Unknown';
      for (const neighbor of entries(group, 'neighbor')) {
        const pick = (keyword: string) => leafValue(neighbor, keyword) ?? leafValue(group, keyword) ?? leafValue(bgp, keyword);
        const list = (keyword: string) => {
          for (const holder of [neighbor, group, bgp]) {
            const values = leafValues(holder, keyword);
            if (values.length > 0) return values;
          }
          return [];
        };
        const familyHolder = [neighbor, group, bgp].find((h) => entries(h, 'family').length > 0);
        const { families, addPath } = familyHolder ? familiesOf(familyHolder) : { families: ['inet-unicast'], addPath: [] };
        const peerAs = type === 'Internal' ? localAs : (pick('peer-as') ?? '');
        peers.push({
          address: entryName(neighbor),
          instance,
          group: entryName(group),
          type,
          peerAs: peerAs || '0',
          localAs: pick('local-as')?.split(' ')[0] ?? localAs,
          localAddress: pick('local-address') ?? null,
          description: pick('description') ?? null,
          imports: list('import'),
          exports: list('export'),
          holdTime: Number(pick('hold-time') ?? 90),
          families,
          addPath,
          established: type !== 'Unknown' && peerAs !== '',
        });
      }
    }
  }
  return peers;
}

/** `5:01`, `1:02:03`, `2d 3:04:05`, as Junos prints session ages. */
export function junosElapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  if (days > 0) return `${days}d ${h}:${String(m).padStart(2, '0')}:${sec}`;
  if (h > 0) return `${h}:${String(m).padStart(2, '0')}:${sec}`;
  return `${m}:${sec}`;
}
