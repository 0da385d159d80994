// The NETCONF channel over a real OpenSSH (sshd started by the test): the
// subsystem over the host's ControlMaster, the port taken from ssh config,
// and a host with no `netconf` subsystem. The device behind the subsystem is
// a few lines of Python that answer every command (the Junos behaviour is
// tested against the simulator in junos-sim.test.ts); what is tested here
// is the ssh plumbing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeClient, startSshd, stopSshd, sshdAvailable } from '../../helpers/sshd.js';
import { SshShared } from '../../../main/targets/ssh/ssh-connection.js';
import { JunosTarget } from '../../../main/targets/junos/junos-target.js';
import { SshNetconfLink } from '../../../main/targets/junos/ssh-link.js';
import type { ScriptOutcome } from '../../../main/targets/target.js';

const skip = sshdAvailable();

/** Answers the hello and every <command> with its text; end-of-message framing only. */
const RESPONDER = `#!/usr/bin/python3
import sys, re, os
with open(sys.argv[1], "a") as f:
    f.write("%d\\n" % os.getpid())
out = sys.stdout.buffer
def send(x):
    out.write(x.encode() + b"]]>]]>")
    out.flush()
send('<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities><session-id>7</session-id></hello>')
buf = b""
while True:
    b = sys.stdin.buffer.read1(65536)
    if not b:
        break
    buf += b
    while b"]]>]]>" in buf:
        msg, buf = buf.split(b"]]>]]>", 1)
        m = msg.decode()
        if "<hello" in m:
            continue
        mid = re.search(r'message-id="(\\d+)"', m).group(1)
        if "<close-session" in m:
            send('<rpc-reply message-id="%s" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><ok/></rpc-reply>' % mid)
            sys.exit(0)
        cmd = re.search(r"<command[^>]*>(.*)</command>", m)
        send('<rpc-reply message-id="%s" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><output>\\nyou said: %s\\n</output></rpc-reply>' % (mid, cmd.group(1) if cmd else "?"))
`;

async function runOp(target: JunosTarget, commands: string[]): Promise<{ outcome: ScriptOutcome; text: string }> {
  let text = '';
  const outcome = await target.run(
    { language: 'junos', script: commands.join('\n'), junos: { kind: 'op', commands, format: 'text' } },
    { signal: new AbortController().signal, onData: (b) => void (text += Buffer.from(b).toString()) },
  );
  return { outcome, text };
}

test('NETCONF over a real sshd: the subsystem through a ControlMaster, the port from ssh config, one session for several blocks', { skip: skip ?? false }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'modus-netconf-ssh-'));
  const responder = join(dir, 'responder.py');
  await writeFile(responder, RESPONDER);
  await chmod(responder, 0o755);
  const host = await startSshd({ dir: join(dir, 'h1'), name: 'h1', extraConfig: [`Subsystem netconf ${responder} ${join(dir, 'sessions')}`] });
  const client = await makeClient(join(dir, 'client'), [host]);
  const shared = new SshShared({ configFile: client.sshConfig });
  const link = new SshNetconfLink('h1', { host: 'h1' }, shared);
  const target = new JunosTarget('h1', link);
  try {
    const a = await runOp(target, ['show version', 'show "quoted" <&>']);
    assert.equal(a.outcome.kind, 'exited', JSON.stringify(a.outcome));
    assert.equal(a.text, 'root@h1> show version\nyou said: show version\n\nroot@h1> show "quoted" <&>\nyou said: show "quoted" <&>\n');
    assert.equal((await link.connection()).destination.port, host.port);
    const b = await runOp(target, ['show system uptime']);
    assert.equal(b.outcome.kind, 'exited');
    // One NETCONF session for both blocks: the responder started once.
    assert.equal((await readFile(join(dir, 'sessions'), 'utf8')).trim().split('\n').length, 1);
  } finally {
    await target.dispose();
    await shared.close();
    await stopSshd(host, { sessions: true });
    await rm(dir, { recursive: true, force: true });
  }
});

test('a host without the netconf subsystem: a sentence saying so, with the port', { skip: skip ?? false }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'modus-netconf-ssh-'));
  const host = await startSshd({ dir: join(dir, 'h1'), name: 'h1' });
  const client = await makeClient(join(dir, 'client'), [host]);
  const shared = new SshShared({ configFile: client.sshConfig });
  const target = new JunosTarget('h1', new SshNetconfLink('h1', { host: 'h1' }, shared));
  try {
    const { outcome } = await runOp(target, ['show version']);
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.kind === 'failed' && outcome.message, `h1 refused the NETCONF subsystem on port ${host.port} (ssh said: subsystem request failed); enable NETCONF over SSH there (set system services netconf ssh) or give the inventory the right port`);
  } finally {
    await target.dispose();
    await shared.close();
    await stopSshd(host, { sessions: true });
    await rm(dir, { recursive: true, force: true });
  }
});
