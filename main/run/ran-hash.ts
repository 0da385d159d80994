// The short hash a results block carries of what ran (`:hash 3f9a1c2b7d4e`),
// so `modus check` and the app can tell results that no longer describe the
// block: its text after substitution (so its variables), its host, and the
// arguments that decide what ran or what the verdict means. What is left
// out changes neither: :name, :results, :parallel, :confirm, :eval.
//
// The input is versioned: a later change of what counts starts a new
// version instead of making every existing result look stale for no reason.
// Arguments that came later (Junos's :private :format :expect-xpath) are
// added to the input only when given, so results of blocks without them
// keep their hash.

import { createHash } from 'node:crypto';
import type { BlockArgs } from '../notebook/header-args.js';
import type { HostSpec } from '../targets/target.js';

export const RAN_HASH_ATTR = 'hash';
const VERSION = 'modus-ran/1';
const HEX_DIGITS = 12;

export interface WhatRuns {
  lang: string;
  /** The code after variable substitution: exactly what is sent. */
  script: string;
  args: Pick<BlockArgs, 'dir' | 'session' | 'timeoutMs' | 'expect' | 'expectExit' | 'redact' | 'commit' | 'action' | 'private' | 'format' | 'expectXpath'>;
}

/** The hash for one host's results; `host` undefined (no `:host`) and `:host local` are the same place. */
export function ranHash(what: WhatRuns, host: HostSpec | undefined): string {
  const a = what.args;
  const where = host === undefined || host.local ? ['local'] : [host.label, host.address ?? null, host.user ?? null, host.port ?? null, host.platform ?? null];
  const later: [string, unknown][] = [];
  if (a.private) later.push(['private', true]);
  if (a.format !== null) later.push(['format', a.format]);
  if (a.expectXpath.length > 0) later.push(['expect-xpath', a.expectXpath]);
  const input = JSON.stringify([
    VERSION,
    what.lang,
    what.script,
    a.dir,
    a.session,
    a.timeoutMs,
    a.expect.map(pattern),
    a.expectExit,
    a.redact.map(pattern),
    a.commit,
    a.action,
    where,
    ...(later.length > 0 ? [later] : []),
  ]);
  return createHash('sha256').update(input).digest('hex').slice(0, HEX_DIGITS);
}

function pattern(r: RegExp): string {
  return `/${r.source}/${r.flags}`;
}
