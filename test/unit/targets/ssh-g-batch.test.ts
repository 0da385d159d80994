// A batch of `ssh -G` runs in one sh: its output is read as it arrives and
// each host's configuration is given out as soon as its status line is in.
// A chunk may end anywhere, inside a status line too: a host must never get
// a wrong status (`25` read as `2`) or part of another host's text.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchOutputReader, EffectiveConfigBatcher, type EffectiveConfig } from '../../../main/targets/ssh/effective-config.js';
import { findExecutable } from '../../../main/files/find-executable.js';

const hostA = 'user root\nhostname 198.51.100.1\nport 22\n';
const hostB = 'ssh: Could not resolve hostname nowhere: Name or service not known\n';
const hostC = 'user netops\nhostname 203.0.113.9\nport 2222\n';
const output = `${hostA}modus-ssh-G-status 0\n${hostB}modus-ssh-G-status 255\n${hostC}modus-ssh-G-status 0\n`;
const expected = [
  { text: hostA, status: 0 },
  { text: hostB, status: 255 },
  { text: hostC, status: 0 },
];

test('every host is read whole, with its own status, wherever the chunks are cut', () => {
  for (let cut = 0; cut <= output.length; cut++) {
    const reader = new BatchOutputReader();
    const got = [...reader.push(output.slice(0, cut)), ...reader.push(output.slice(cut))];
    assert.deepEqual(got, expected, `cut at ${cut}`);
  }
});

test('a host is given out as soon as its status line is complete, before the batch ends', () => {
  const reader = new BatchOutputReader();
  assert.deepEqual(reader.push(`${hostA}modus-ssh-G-status 0`), [], 'not before its newline');
  assert.deepEqual(reader.push(`\n${hostB.slice(0, 10)}`), [expected[0]]);
});

test('a batch of 31 hosts read by parallel workers: each host gets its own configuration, a broken one its own error', { skip: findExecutable('ssh') ? false : 'no ssh client' }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'modus-ssh-g-'));
  try {
    const hosts = Array.from({ length: 30 }, (_, i) => `a${i + 1}`);
    const config = join(dir, 'ssh_config');
    await writeFile(config, [...hosts.map((h, i) => `Host ${h}\n  HostName 198.51.100.${i + 1}\n  Port ${1001 + i}\n  User u${i + 1}\n`), 'Host broken\n  HostName x%z\n'].join('\n'));
    const batcher = new EffectiveConfigBatcher(config);
    const wanted = [...hosts.slice(0, 15), 'broken', ...hosts.slice(15)];
    const got = await Promise.allSettled(wanted.map((host) => batcher.get({ host })));
    got.forEach((r, i) => {
      const host = wanted[i]!;
      if (host === 'broken') {
        assert.equal(r.status, 'rejected');
        assert.match(String((r as PromiseRejectedResult).reason), /cannot read the ssh configuration for broken: .*unknown key %z/);
        return;
      }
      assert.equal(r.status, 'fulfilled', `${host}: ${String((r as PromiseRejectedResult).reason)}`);
      const n = Number(host.slice(1));
      const cfg = (r as PromiseFulfilledResult<EffectiveConfig>).value;
      assert.deepEqual([cfg.hostname, cfg.port, cfg.user], [`198.51.100.${n}`, 1000 + n, `u${n}`], host);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
