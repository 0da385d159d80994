// A standard client against the Junos simulator: ncclient's Junos device
// handler (Debian's python3-ncclient, run by /usr/bin/python3) connects
// through the real sshd, locks, loads, compares, commit-checks, commits
// confirmed, unlocks and runs commands (test/junos-sim/ncclient-session.py).
// The device's state is checked afterwards.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProgram } from '../../helpers/sshd.js';
import { junosSimAvailable, startJunosSim, type JunosSim } from '../../junos-sim/harness.js';

const PYTHON = '/usr/bin/python3';
// The script is not compiled: it is read from the source tree (dist/test/… → test/…).
const SCRIPT = fileURLToPath(new URL('../../../../test/junos-sim/ncclient-session.py', import.meta.url));

function ncclientMissing(): string | null {
  if (!existsSync(PYTHON)) return `no ${PYTHON}`;
  const r = spawnSync(PYTHON, ['-c', 'import ncclient, lxml'], { encoding: 'utf8' });
  return r.status === 0 ? null : `${PYTHON} cannot import ncclient (Debian: apt-get install python3-ncclient)`;
}

const why = junosSimAvailable() ?? ncclientMissing();
const skipped = why ? `skipped: ${why}` : false;
let dir: string;
let sim: JunosSim;

before(async () => {
  if (why) return;
  dir = await mkdtemp(join(tmpdir(), 'modus-junos-ncclient-'));
  sim = await startJunosSim({ dir: join(dir, 'sim'), devices: [{ name: 'vmx1' }], clock: 'manual' });
});

after(async () => {
  await sim?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Seen {
  session_id: string;
  capabilities: string[];
  load_ok: boolean;
  diff: string;
  check: string[];
  commit: string[];
  bgp_peer_states: string[];
  version_text: string;
  system_commit: string;
}

test('ncclient (Junos handler) locks, loads, compares, checks, commits confirmed, unlocks and runs commands', { skip: skipped }, async () => {
  const device = sim.devices.get('vmx1')!;
  const change = 'protocols {\n    bgp {\n        group rr {\n            neighbor 10.255.0.253 {\n                description "second rr";\n            }\n        }\n    }\n}\n';
  const r = await runProgram(
    [PYTHON, SCRIPT, '--ssh-config', sim.sshConfig, '--host', 'vmx1', '--port', String(device.port), '--config-text', change, '--confirm-minutes', '5', '--log', 'modus ncclient test'],
    { timeoutMs: 120_000 },
  );
  assert.equal(r.code, 0, `ncclient script failed: ${r.stderr}`);
  const seen = JSON.parse(r.stdout) as Seen;

  assert.ok(seen.capabilities.includes('http://xml.juniper.net/netconf/junos/1.0'));
  assert.equal(seen.load_ok, true);
  assert.equal(seen.diff, '[edit protocols bgp group rr]\n+  neighbor 10.255.0.253 {\n+      description "second rr";\n+  }');
  assert.deepEqual(seen.check, ['re0', 'commit-results', 'commit-check-success']);
  assert.deepEqual(seen.commit, ['commit-success']);
  assert.deepEqual(seen.bgp_peer_states, ['Established', 'Established']);
  assert.match(seen.version_text, /^Hostname: vmx1$/m);
  assert.match(seen.system_commit, /^0 {3}.* by root via netconf commit confirmed, rollback in 5mins\n {4}modus ncclient test$/m);

  // The device afterwards: committed (confirmed, 5 minutes), unlocked, the session gone, the RPCs as sent.
  assert.match(device.activeText(), /neighbor 10\.255\.0\.253 \{\n\s+description "second rr";/);
  assert.equal(device.lockHolder(), null);
  assert.equal(device.history()[0]!.comment, 'commit confirmed, rollback in 5mins');
  assert.equal(device.history()[0]!.log, 'modus ncclient test');
  const deadline = device.pendingConfirm()!.deadline.getTime();
  assert.equal(deadline - device.history()[0]!.at.getTime(), 5 * 60_000);
  const rpcs = device.transcript().map((t) => /<(?:\w+:)?rpc\b[^>]*>\s*<(?:\w+:)?([\w-]+)/.exec(t.rpc)?.[1]);
  assert.deepEqual(rpcs, ['lock', 'load-configuration', 'get-configuration', 'commit-configuration', 'commit-configuration', 'unlock', 'command', 'command', 'command', 'close-session']);
  assert.match(device.transcript()[4]!.rpc, /<confirm-timeout>5<\/confirm-timeout>/);

  // Not confirmed: five minutes later the change is gone.
  await sim.advanceClock(5 * 60_000);
  assert.doesNotMatch(device.activeText(), /10\.255\.0\.253/);
  assert.equal(device.history()[0]!.comment, 'Commit was not confirmed; automatic rollback complete');
});
