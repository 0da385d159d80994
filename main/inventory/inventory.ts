// Where `:host` names lead (DESIGN "Inventory"). In order:
//  1. the inventory file: the notebook's `inventory:` front-matter entry,
//     else `inventory.yaml` beside the notebook, else `--inventory`;
//     hosts, groups (nested, cycles refused) and globs (`edge*`);
//  2. the user's ~/.ssh/config aliases (concrete `Host` names are listed;
//     wildcard patterns match but are never listed as hosts);
//  3. literal addresses and dotted DNS names.
// A bare word that is none of these is an error with the nearest names,
// because it is far more often a typo than a DNS search-domain trick.

import { readFile, readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, basename } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node as YamlNode, Pair } from 'yaml';
import type { BlockArgs } from '../notebook/header-args.js';
import { appendAll, message } from '../notebook/messages.js';
import type { NotebookMessage } from '../notebook/types.js';
import { compileGlob, globToRegExp, invalidNameReason, isGlob, looksLikeAddress, nearNames, sshHostReason, sshUserReason } from './names.js';

export type Platform = 'linux' | 'junos';
const PLATFORMS: readonly Platform[] = ['linux', 'junos'];
const HOST_KEYS = ['address', 'platform', 'user', 'port'] as const;

export interface ResolvedHost {
  /** The name as the notebook (or inventory) writes it; results are labelled with it. */
  name: string;
  address?: string;
  platform?: Platform;
  user?: string;
  port?: number;
  /** Where the name was found. */
  source: 'local' | 'inventory' | 'ssh-config' | 'address';
}

export interface InventoryHost {
  name: string;
  address?: string;
  platform?: Platform;
  user?: string;
  port?: number;
}

export interface Inventory {
  /** The inventory file, or null when there is none. */
  file: string | null;
  hosts: Map<string, InventoryHost>;
  groups: Map<string, string[]>;
  /** Concrete `Host` aliases from ssh config, in file order. */
  sshAliases: string[];
  /** Wildcard `Host` patterns from ssh config (match only). */
  sshPatterns: RegExp[];
  /** The ssh config file read, as messages name it; null when none was read. Absent: ~/.ssh/config. */
  sshConfigFile?: string | null;
}

export interface LoadInventoryOptions {
  notebookPath: string;
  /** The front matter's `inventory:` value, as written. */
  declared?: unknown;
  /** `--inventory FILE` from the command line (relative to the working directory). */
  cliInventory?: string;
  /** Defaults to ~/.ssh/config; null to ignore ssh config. */
  sshConfigPath?: string | null;
}

export interface LoadedInventory {
  inventory: Inventory;
  /** Problems with positions in the inventory file (or the notebook, for `inventory:`). */
  messages: NotebookMessage[];
}

function msg(file: string, line: number, column: number, reason: string, ruleId: string, severity: 'error' | 'warning' = 'error'): NotebookMessage {
  return { file, line, column, reason, ruleId, severity };
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw err;
  }
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}

// --- inventory YAML ----------------------------------------------------------

function parseInventoryYaml(text: string, file: string): { hosts: Map<string, InventoryHost>; groups: Map<string, string[]>; messages: NotebookMessage[] } {
  const shown = displayPath(file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const messages: NotebookMessage[] = [];
  const hosts = new Map<string, InventoryHost>();
  const groups = new Map<string, string[]>();
  const at = (node: YamlNode | null | undefined): { line: number; col: number } => {
    const pos = lineCounter.linePos(node?.range?.[0] ?? 0);
    return { line: pos.line, col: pos.col };
  };
  const report = (node: YamlNode | null | undefined, reason: string, ruleId: string, severity: 'error' | 'warning' = 'error') => {
    const p = at(node);
    messages.push(msg(shown, p.line, p.col, reason, ruleId, severity));
  };
  for (const e of doc.errors) {
    const [line, col] = e.linePos ? [e.linePos[0].line, e.linePos[0].col] : [1, 1];
    messages.push(msg(shown, line, col, `inventory is not valid YAML: ${e.message.replace(/ at line \d+, column \d+[\s\S]*$/, '')}`, 'inventory-yaml'));
  }
  if (doc.errors.length > 0) return { hosts, groups, messages };
  const root = doc.contents;
  if (root === null) return { hosts, groups, messages };
  if (!isMap(root)) {
    report(root, 'inventory must be a mapping with `hosts:` and `groups:`', 'inventory-shape');
    return { hosts, groups, messages };
  }
  for (const pair of root.items as Pair<YamlNode, YamlNode | null>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key === 'hosts') readHosts(pair.value);
    else if (key === 'groups') readGroups(pair.value);
    else report(pair.key, `unknown inventory section ${JSON.stringify(key)}; expected hosts or groups`, 'inventory-shape', 'warning');
  }
  return { hosts, groups, messages };

  function readHosts(node: YamlNode | null): void {
    if (node === null || (isScalar(node) && node.value === null)) return;
    if (!isMap(node)) return report(node, '`hosts:` must map host names to their settings', 'inventory-shape');
    for (const pair of node.items as Pair<YamlNode, YamlNode | null>[]) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      const bad = invalidNameReason(name, 'host name');
      if (bad) {
        report(pair.key, bad, 'invalid-host-name');
        continue;
      }
      const host: InventoryHost = { name };
      const value = pair.value;
      if (value !== null && !(isScalar(value) && value.value === null)) {
        if (!isMap(value)) {
          report(value, `host ${name}: settings must be a mapping like { address: 192.0.2.1, platform: junos }`, 'inventory-shape');
          continue;
        }
        for (const field of value.items as Pair<YamlNode, YamlNode | null>[]) {
          const k = isScalar(field.key) ? String(field.key.value) : '';
          const v = isScalar(field.value) ? field.value.value : undefined;
          if (!(HOST_KEYS as readonly string[]).includes(k)) {
            const near = nearNames(k, HOST_KEYS);
            report(field.key, `host ${name}: unknown setting ${JSON.stringify(k)}${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; known: ${HOST_KEYS.join(', ')}`, 'inventory-unknown-key');
          } else if (k === 'port') {
            if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) report(field.value, `host ${name}: port must be a number from 1 to 65535`, 'inventory-bad-value');
            else host.port = v;
          } else if (k === 'platform') {
            if (!PLATFORMS.includes(v as Platform)) report(field.value, `host ${name}: platform must be one of ${PLATFORMS.join(', ')}, got ${JSON.stringify(v ?? null)}`, 'inventory-bad-value');
            else host.platform = v as Platform;
          } else {
            const text = v === undefined || v === null ? '' : String(v);
            // These reach ssh as they are: what ssh would refuse is refused here, so `modus check` and a run agree.
            const bad2 = invalidNameReason(text, k === 'user' ? 'user' : 'address') ?? (k === 'user' ? sshUserReason(text) : sshHostReason(text));
            if (bad2) report(field.value ?? field.key, `host ${name}: ${bad2}`, k === 'user' ? 'invalid-user' : 'invalid-host-name');
            else if (k === 'user') host.user = text;
            else host.address = text;
          }
        }
      }
      if (hosts.has(name)) report(pair.key, `host ${name} is defined twice`, 'inventory-duplicate');
      hosts.set(name, host);
    }
  }

  function readGroups(node: YamlNode | null): void {
    if (node === null || (isScalar(node) && node.value === null)) return;
    if (!isMap(node)) return report(node, '`groups:` must map group names to lists of hosts', 'inventory-shape');
    for (const pair of node.items as Pair<YamlNode, YamlNode | null>[]) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      const bad = invalidNameReason(name, 'group name');
      if (bad) {
        report(pair.key, bad, 'invalid-host-name');
        continue;
      }
      const value = pair.value;
      if (!isSeq(value)) {
        report(value ?? pair.key, `group ${name} must be a list of host names, like [edge1, edge2]`, 'inventory-shape');
        continue;
      }
      const members: string[] = [];
      for (const item of value.items as YamlNode[]) {
        const member = isScalar(item) ? String(item.value) : '';
        const badMember = invalidNameReason(member, 'host name');
        if (badMember) report(item, `group ${name}: ${badMember}`, 'invalid-host-name');
        else members.push(member);
      }
      if (hosts.has(name)) report(pair.key, `${name} is both a host and a group; rename one of them`, 'inventory-duplicate');
      groups.set(name, members);
    }
  }
}

// --- ssh config --------------------------------------------------------------

async function readSshConfig(path: string, seen = new Set<string>()): Promise<{ aliases: string[]; patterns: RegExp[] }> {
  const aliases: string[] = [];
  const patterns: RegExp[] = [];
  if (seen.has(path) || seen.size > 32) return { aliases, patterns };
  seen.add(path);
  const text = await readIfExists(path).catch(() => null);
  if (text === null) return { aliases, patterns };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\w+)\s*(?:=\s*|\s)\s*(.*)$/.exec(line);
    if (!m) continue;
    const keyword = m[1]!.toLowerCase();
    const args = m[2]!.split(/\s+/).filter(Boolean).map((a) => a.replace(/^"(.*)"$/, '$1'));
    if (keyword === 'host') {
      for (const a of args) {
        if (a.startsWith('!')) continue;
        if (!isGlob(a)) {
          if (invalidNameReason(a, 'host') === null) aliases.push(a);
          continue;
        }
        // A pattern that is no regular expression (`[z-a]`) matches nothing rather than stopping the check.
        try {
          patterns.push(globToRegExp(a));
        } catch {
          continue;
        }
      }
    } else if (keyword === 'include') {
      for (const pattern of args) {
        const expanded = pattern.startsWith('~/') ? join(homedir(), pattern.slice(2)) : isAbsolute(pattern) ? pattern : join(homedir(), '.ssh', pattern);
        for (const file of await expandFileGlob(expanded)) {
          const inner = await readSshConfig(file, seen);
          appendAll(aliases, inner.aliases);
          appendAll(patterns, inner.patterns);
        }
      }
    }
  }
  return { aliases, patterns };
}

/** `~/.ssh/config.d/*` style includes: a glob in the last path component only. */
async function expandFileGlob(path: string): Promise<string[]> {
  if (!isGlob(basename(path))) return [path];
  const dir = dirname(path);
  const re = globToRegExp(basename(path));
  try {
    return (await readdir(dir)).filter((n) => re.test(n)).sort().map((n) => join(dir, n));
  } catch {
    return [];
  }
}

// --- loading -----------------------------------------------------------------

/** Finds and reads the inventory and ssh config for a notebook. Never throws for bad content: see messages. */
export async function loadInventory(options: LoadInventoryOptions): Promise<LoadedInventory> {
  const notebookDir = dirname(resolve(options.notebookPath));
  const messages: NotebookMessage[] = [];
  let file: string | null = null;
  let origin = '';
  if (options.declared !== undefined && options.declared !== null) {
    if (typeof options.declared !== 'string' || options.declared.trim() === '') {
      messages.push(msg(displayPath(resolve(options.notebookPath)), 1, 1, 'front matter `inventory:` must be a file path, like ./inventory.yaml', 'front-matter-inventory'));
    } else {
      file = resolve(notebookDir, options.declared);
      origin = 'front matter `inventory:`';
    }
  }
  if (file === null) {
    const beside = join(notebookDir, 'inventory.yaml');
    if ((await readIfExists(beside)) !== null) {
      file = beside;
      origin = 'inventory.yaml beside the notebook';
    }
  }
  if (options.cliInventory !== undefined) {
    const cli = resolve(options.cliInventory);
    if (file === null) {
      file = cli;
      origin = '--inventory';
    } else if (cli !== file) {
      messages.push(msg(displayPath(cli), 1, 1, `--inventory ${options.cliInventory} is not used: the notebook's inventory comes from ${origin} (${displayPath(file)})`, 'inventory-overridden', 'warning'));
    }
  }

  const inventory: Inventory = { file, hosts: new Map(), groups: new Map(), sshAliases: [], sshPatterns: [] };
  if (file !== null) {
    let text: string | null;
    try {
      text = await readIfExists(file);
    } catch (err) {
      text = null;
      messages.push(msg(displayPath(file), 1, 1, `cannot read the inventory (${origin}): ${(err as Error).message}`, 'inventory-unreadable'));
    }
    if (text === null && !messages.some((m) => m.ruleId === 'inventory-unreadable')) {
      messages.push(msg(displayPath(file), 1, 1, `inventory file not found (named by ${origin}); create it or fix the path`, 'inventory-missing'));
    } else if (text !== null) {
      const parsed = parseInventoryYaml(text, file);
      inventory.hosts = parsed.hosts;
      inventory.groups = parsed.groups;
      appendAll(messages, parsed.messages);
    }
  }
  const sshPath = options.sshConfigPath === undefined ? join(homedir(), '.ssh', 'config') : options.sshConfigPath;
  inventory.sshConfigFile = options.sshConfigPath === undefined ? '~/.ssh/config' : sshPath === null ? null : displayPath(resolve(sshPath));
  if (sshPath !== null) {
    const ssh = await readSshConfig(sshPath);
    inventory.sshAliases = ssh.aliases;
    inventory.sshPatterns = ssh.patterns;
  }
  return { inventory, messages };
}

/** Builds an inventory from YAML text directly (tests, the UI's unsaved buffers). */
export function inventoryFromYaml(text: string, file: string): LoadedInventory {
  const parsed = parseInventoryYaml(text, file);
  return { inventory: { file, hosts: parsed.hosts, groups: parsed.groups, sshAliases: [], sshPatterns: [] }, messages: parsed.messages };
}

// --- resolution -----------------------------------------------------------------

export interface HostProblem {
  message: string;
  /** `unresolvable-host`, `invalid-host-name`, `invalid-user` or `host-group-cycle`. */
  ruleId: string;
}

export interface HostResolution {
  hosts: ResolvedHost[];
  /** One per name that could not be resolved. */
  problems: HostProblem[];
}

/** Inventory hosts, groups and ssh aliases, each once: a lab's hosts are in both its inventory and its ssh config. */
function knownNames(inv: Inventory): string[] {
  return [...new Set([...inv.hosts.keys(), ...inv.groups.keys(), ...inv.sshAliases])];
}

/** Where a name was looked for: `inventory.yaml or lab/ssh_config`, the files actually read. */
function searched(inv: Inventory): string {
  const ssh = inv.sshConfigFile === undefined ? '~/.ssh/config' : inv.sshConfigFile;
  if (inv.file && ssh !== null) return `${displayPath(inv.file)} or ${ssh}`;
  if (inv.file) return displayPath(inv.file);
  return ssh !== null ? `${ssh} (no inventory file)` : 'no inventory file and no ssh config';
}

function fromInventory(h: InventoryHost): ResolvedHost {
  const r: ResolvedHost = { name: h.name, source: 'inventory' };
  if (h.address !== undefined) r.address = h.address;
  if (h.platform !== undefined) r.platform = h.platform;
  if (h.user !== undefined) r.user = h.user;
  if (h.port !== undefined) r.port = h.port;
  return r;
}

/**
 * Why ssh could not be given the host the way a run gives it, or null: a
 * Junos device goes by its name (the address as HostName), any other host by
 * its inventory address, else by its name. A run would refuse it at the last
 * step before ssh (destination.ts); a check says so first.
 */
function sshProblem(h: ResolvedHost): string | null {
  if (h.source === 'local') return null;
  const byName = h.platform === 'junos' || h.address === undefined;
  const name = byName ? sshHostReason(h.name) : null;
  if (name) return `host ${h.name}: ${name}, so ssh cannot be given it${h.address === undefined ? '; give it an address in the inventory, or rename it' : '; rename it'}`;
  const address = h.address !== undefined ? sshHostReason(h.address) : null;
  if (address) return `host ${h.name}: address: ${address}`;
  const user = h.user !== undefined ? sshUserReason(h.user) : null;
  return user ? `host ${h.name}: ${user}` : null;
}

/**
 * Resolves a `:host` value (`r1,edges,edge*`, `netops@r2`) to concrete hosts,
 * in order, without duplicates. `local` (or `localhost`) is the local machine.
 */
export function resolveHosts(spec: string, inv: Inventory): HostResolution {
  const hosts: ResolvedHost[] = [];
  const problems: HostProblem[] = [];
  const seen = new Set<string>();
  const add = (h: ResolvedHost) => {
    const key = `${h.user ?? ''}@${h.name}`;
    if (!seen.has(key)) {
      seen.add(key);
      hosts.push(h);
    }
  };
  const tokens = spec.split(',').map((t) => t.trim());
  if (spec.trim() === '') problems.push({ message: ':host is empty; name a host, a group or a glob, or leave :host out to run locally', ruleId: 'unresolvable-host' });
  for (const token of tokens) {
    if (token === '') continue;
    let user: string | undefined;
    let name = token;
    const atSign = token.lastIndexOf('@');
    if (atSign > 0) {
      user = token.slice(0, atSign);
      name = token.slice(atSign + 1);
      const badUser = invalidNameReason(user, 'user');
      if (badUser) {
        problems.push({ message: badUser, ruleId: 'invalid-user' });
        continue;
      }
    }
    const bad = invalidNameReason(name, 'host name');
    if (bad) {
      problems.push({ message: bad, ruleId: 'invalid-host-name' });
      continue;
    }
    const expanded = expand(name, inv, problems);
    for (const h of expanded) {
      const host = user !== undefined ? { ...h, user } : h;
      const problem = sshProblem(host);
      if (problem) problems.push({ message: problem, ruleId: 'invalid-host-name' });
      else add(host);
    }
  }
  return { hosts, problems };
}

/**
 * A name's hosts: a group is walked depth first, in order, without
 * recursion, and each group once per resolution. Inventories are files a
 * notebook can name: 30 groups that each list the next twice would expand
 * to a billion entries, and ten thousand nested ones would overflow the
 * stack.
 */
function expand(name: string, inv: Inventory, problems: HostProblem[]): ResolvedHost[] {
  if (!isGroup(name, inv)) return expandName(name, inv, null, problems);
  const out: ResolvedHost[] = [];
  const finished = new Set<string>();
  const path: { group: string; members: string[]; next: number }[] = [{ group: name, members: inv.groups.get(name)!, next: 0 }];
  const onPath = new Set([name]);
  while (path.length > 0) {
    const top = path[path.length - 1]!;
    if (top.next >= top.members.length) {
      path.pop();
      onPath.delete(top.group);
      finished.add(top.group);
      continue;
    }
    const member = top.members[top.next++]!;
    if (!isGroup(member, inv)) {
      appendAll(out, expandName(member, inv, top.group, problems));
    } else if (onPath.has(member)) {
      problems.push({ message: `group ${member} contains itself (${[...path.map((f) => f.group), member].join(' → ')}); fix the inventory`, ruleId: 'host-group-cycle' });
    } else if (!finished.has(member)) {
      path.push({ group: member, members: inv.groups.get(member)!, next: 0 });
      onPath.add(member);
    }
  }
  return out;
}

function isGroup(name: string, inv: Inventory): boolean {
  return name !== 'local' && name !== 'localhost' && !inv.hosts.has(name) && inv.groups.has(name);
}

/** A name that is not a group: `group` is the group it was listed in, for the message. */
function expandName(name: string, inv: Inventory, group: string | null, problems: HostProblem[]): ResolvedHost[] {
  if (name === 'local' || name === 'localhost') return [{ name, source: 'local' }];
  const host = inv.hosts.get(name);
  if (host) return [fromInventory(host)];
  if (isGlob(name)) {
    const matchesGlob = compileGlob(name);
    const matches = [...new Set([...inv.hosts.keys(), ...inv.sshAliases])].filter(matchesGlob);
    if (matches.length === 0) {
      problems.push({ message: `no host matches ${name} in ${searched(inv)}`, ruleId: 'unresolvable-host' });
      return [];
    }
    return matches.map((m) => inv.hosts.has(m) ? fromInventory(inv.hosts.get(m)!) : { name: m, source: 'ssh-config' as const });
  }
  if (inv.sshAliases.includes(name) || inv.sshPatterns.some((re) => re.test(name))) return [{ name, source: 'ssh-config' }];
  if (looksLikeAddress(name)) return [{ name, address: name.replace(/^\[(.*)\]$/, '$1'), source: 'address' }];
  const inGroup = group !== null ? ` (member of group ${group})` : '';
  const known = knownNames(inv);
  const near = nearNames(name, known);
  const hint = near.length > 0 ? `did you mean ${near.join(', ')}?` : known.length > 0 ? `known: ${known.slice(0, 10).join(', ')}` : inv.file ? `add it to ${displayPath(inv.file)}` : 'add it to an inventory.yaml beside the notebook';
  problems.push({ message: `unknown host ${name}${inGroup}: not in ${searched(inv)}, and not an address; ${hint}`, ruleId: 'unresolvable-host' });
  return [];
}

/**
 * The problems of a block's `:host` names (what `modus check` reports and
 * `modus run` refuses on), each positioned at the name itself. `cache`
 * keeps the answer per name across the blocks of one notebook: a name
 * repeated in many blocks is looked up, and its near names ranked, once.
 */
export function hostProblems(args: BlockArgs, inv: Inventory, file?: string, cache = new Map<string, HostProblem[]>()): NotebookMessage[] {
  const messages: NotebookMessage[] = [];
  const hostArg = args.raw.find((a) => a.key === 'host');
  if (!hostArg || args.hosts.length === 0) return messages;
  let from = 0;
  for (const name of args.hosts) {
    const index = hostArg.value.indexOf(name, from);
    from = index < 0 ? from : index + name.length;
    const offset = index < 0 ? hostArg.valueAt.offset : (hostArg.valueOffsets[index] ?? hostArg.valueAt.offset);
    const at = { line: hostArg.valueAt.line, column: hostArg.valueAt.column + (offset - hostArg.valueAt.offset) };
    let problems = cache.get(name);
    if (problems === undefined) {
      problems = resolveHosts(name, inv).problems;
      cache.set(name, problems);
    }
    for (const p of problems) messages.push(message(at, p.message, p.ruleId, 'error', file));
  }
  return messages;
}
