// A device that offers base:1.1 (`netconf rfc-compliant` with version-1.1):
// Modus switches to RFC 6242 chunked framing after the hello, and the same
// blocks work.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { junosSimAvailable } from '../../junos-sim/harness.js';
import { junos, simRun, type SimRun } from './sim-run.js';
import { SshShared } from '../../../main/targets/ssh/ssh-connection.js';
import { SshNetconfLink } from '../../../main/targets/junos/ssh-link.js';
import { NetconfSession } from '../../../main/targets/junos/netconf-session.js';

const skip = junosSimAvailable();
const F = '```';

let s: SimRun;
before(async () => {
  if (!skip) s = await simRun({ devices: [{ name: 'rfc1' }], clock: 'manual', base11: true });
});
after(async () => {
  await s?.close();
});

test('base:1.1 on both sides: chunked framing, op commands and a checked change work as with ]]>]]>', { skip: skip ? `skipped: ${skip}` : false }, async () => {
  const dev = s.sim.devices.get('rfc1')!;
  const before = dev.activeText();
  const r = await s.run(`${junos('rfc1', ':format xml :expect-xpath "//host-name = \'rfc1\'"')}\nshow version\n${F}\n\n${junos('rfc1')}\nset system location building C1\n${F}\n`);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.equal(r.results.block(1)[0]!.attrs.get('status'), 'pass');
  assert.match(r.results.block(2)[0]!.body, /\[edit system\]\n\+ +location \{\n\+ +building C1;/);
  assert.equal(dev.activeText(), before);
  // The client's messages after its hello reached the device whole: every RPC of both blocks is in the transcript.
  assert.ok(dev.transcript().length >= 8);
  // And the framing was the chunked one.
  const shared = new SshShared({ configFile: s.sim.sshConfig });
  try {
    const channel = await new SshNetconfLink('rfc1', { host: 'rfc1' }, shared).open(new AbortController().signal);
    assert.ok(!('failure' in channel));
    const session = await NetconfSession.open(channel, { label: 'rfc1' });
    assert.equal(session.framingInUse, 'chunked');
    await session.close(5000);
  } finally {
    await shared.close();
  }
});
