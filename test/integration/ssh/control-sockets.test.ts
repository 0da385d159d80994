// ControlMaster sockets: Modus's own live in a private directory and are
// closed when the run ends; a Modus killed with -9 leaves its directory and
// master behind, and the next run tells that master to exit and removes the
// directory; a master of the user's own config is used as it is, and never
// touched.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scratchRoot } from '../../../main/files/scratch-dir.js';
import { socketAlive } from '../../../main/targets/ssh/control-dir.js';
import { runProgram } from '../../helpers/sshd.js';
import { notebook, resultsBodies, scratch, startModusDetached, type Finished } from '../run/helpers.js';
import { fixtureForFile } from './fixture.js';

const ssh = fixtureForFile();
const skip = ssh.skip;

function run(args: string[], cwd: string): { pid: number; done: Promise<Finished> } {
  const { child, done } = startModusDetached(args, cwd);
  return { pid: child.pid!, done };
}

async function controlDirsOf(pid: number): Promise<string[]> {
  const names = await readdir(scratchRoot()).catch(() => [] as string[]);
  return names.filter((n) => n.startsWith(`${pid}-ssh-`)).map((n) => join(scratchRoot(), n));
}

async function sockets(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).filter((n) => /^\d+$/.test(n)).map((n) => join(dir, n));
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a run closes its masters; after a kill -9 the next run ends the dead run\'s master and removes its directory', { skip: skip ?? false }, async () => {
  const dir = await scratch();
  const marker = join(dir, 'started');
  const nb = await notebook(dir, `\`\`\`sh :host h1\ntouch ${marker}; sleep 60\n\`\`\`\n`);
  const killed = run(['run', nb, '--ssh-config', ssh.f.client.sshConfig], dir);
  await until(async () => (await stat(marker).catch(() => null)) !== null, 'the block to start on the host');
  const [left] = await controlDirsOf(killed.pid);
  assert.ok(left, 'the run has a control directory');
  assert.equal((await stat(left)).mode & 0o777, 0o700, 'closed to other users: its sockets are logged-in connections');
  assert.equal((await stat(scratchRoot())).mode & 0o777, 0o700, 'and so is the root it is in');
  const [socket] = await sockets(left);
  assert.ok(socket && (await socketAlive(socket)), 'its master is up');
  process.kill(killed.pid, 'SIGKILL');
  await killed.done;
  assert.ok(await socketAlive(socket), 'a killed Modus leaves its master running');

  const nb2 = await notebook(dir, '```sh :host h1\necho second\n```\n', 'second.md');
  const second = run(['run', nb2, '--ssh-config', ssh.f.client.sshConfig], dir);
  const r = await second.done;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(resultsBodies(await readFile(nb2, 'utf8'))[0]!.body, 'second');
  assert.equal(await socketAlive(socket), false, 'the dead run\'s master was told to exit');
  await assert.rejects(stat(left), 'the dead run\'s directory is gone');
  assert.deepEqual(await controlDirsOf(second.pid), [], 'the second run removed its own directory');
});

test('a live master of the user\'s own ControlPath is used as it is and left running', { skip: skip ?? false }, async () => {
  const dir = await scratch();
  const userSockets = join(dir, 'user-sockets');
  await mkdir(userSockets, { mode: 0o700 });
  const config = join(dir, 'ssh_config');
  await writeFile(config, `${await readFile(ssh.f.client.sshConfig, 'utf8')}\nHost *\n  ControlMaster auto\n  ControlPath ${userSockets}/%C\n  ControlPersist 60\n`);
  const up = await runProgram(['ssh', '-F', config, '-fN', 'h1'], { timeoutMs: 20_000 });
  assert.equal(up.code, 0, up.stderr);
  const [userSocket] = (await readdir(userSockets)).map((n) => join(userSockets, n));
  assert.ok(userSocket && (await socketAlive(userSocket)));
  const accepted = async (): Promise<number> => ((await readFile(ssh.f.host.logFile, 'utf8')).match(/Accepted publickey/g) ?? []).length;
  const logins = await accepted();
  const nb = await notebook(dir, '```sh :host h1\necho via-user-master\n```\n');
  const r = run(['run', nb, '--ssh-config', config], dir);
  const done = await r.done;
  assert.equal(done.code, 0, done.stderr);
  assert.equal(resultsBodies(await readFile(nb, 'utf8'))[0]!.body, 'via-user-master');
  assert.ok(await socketAlive(userSocket), 'the user\'s master is still up');
  assert.equal(await accepted(), logins, 'Modus logged in no new connection: it went through the user\'s master');
  const check = await runProgram(['ssh', '-F', config, '-O', 'exit', 'h1'], { timeoutMs: 10_000 });
  assert.equal(check.code, 0, check.stderr);
});

test('a home too long for Unix sockets below it: the masters and askpass live under a short root, and the block runs', { skip: skip ?? false }, async () => {
  const dir = await scratch();
  // ~/.cache of a directory-service home such as /home/emea.corp.example.com/first.last: 80 characters.
  const cache = join(dir, 'c'.repeat(Math.max(1, 80 - dir.length - 1)));
  await mkdir(cache, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache };
  delete env.XDG_RUNTIME_DIR;
  const nb = await notebook(dir, '```sh :host h1\necho "ran with a long home"\n```\n');
  const { child, done } = startModusDetached(['run', nb, '--ssh-config', ssh.f.client.sshConfig], dir, env);
  const r = await done;
  assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
  assert.equal(resultsBodies(await readFile(nb, 'utf8'))[0]!.body, 'ran with a long home');
  assert.equal(scratchRoot(env), join(tmpdir(), `modus-${process.getuid!()}`), 'the short root');
  assert.deepEqual((await readdir(scratchRoot(env)).catch(() => [] as string[])).filter((n) => n.startsWith(`${child.pid}-`)), [], 'and the run cleaned up there');
});
