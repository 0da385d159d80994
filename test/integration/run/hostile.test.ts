// `modus run` on notebooks it must refuse before anything runs: host names
// that would be ssh options or shell syntax, and the cases of the
// 2026-12-03 audit that used to crash it. Exit 2, the same positioned
// problems `modus check` prints, nothing run, no journal, the file
// byte-identical. HOME is the scratch directory, so the user's own
// ~/.ssh/config cannot change which names resolve.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MODUS, notebook, scratch, type Finished } from './helpers.js';

function modusIn(dir: string, args: string[]): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MODUS, ...args], { cwd: dir, env: { ...process.env, HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** The `file:line:col reason [rule]` lines of an output. */
const problemLines = (output: string): string[] => output.split('\n').filter((l) => /^nb\.md:\d+:\d+ .+ \[[a-z-]+\]( \(warning\))?$/.test(l)).map((l) => l.replace(/ \(warning\)$/, ''));

/** Runs `modus run` (with `extra` arguments) on `text`: it must refuse, run nothing and change nothing. Returns its problem lines. */
async function refusedRun(text: string, extra: string[] = []): Promise<{ dir: string; problems: string[]; stderr: string }> {
  const dir = await scratch();
  const path = await notebook(dir, text);
  const before = await readFile(path);
  const r = await modusIn(dir, ['run', 'nb.md', ...extra]);
  assert.equal(r.code, 2, r.stdout + r.stderr.slice(0, 2000));
  assert.doesNotMatch(r.stderr, /\n\s+at |Error:/, 'no stack trace');
  assert.match(r.stderr, /modus run: nb\.md has errors; nothing was run and the file was not changed\n$/);
  assert.equal(r.stdout, '');
  assert.ok((await readFile(path)).equals(before), 'the notebook is byte-identical');
  assert.equal(await exists(join(dir, '.modus')), false, 'no journal: nothing ran');
  assert.equal(await exists(join(dir, 'ran')), false, 'no block ran');
  return { dir, problems: problemLines(r.stderr), stderr: r.stderr };
}

const PROXY = [
  '# Maintenance', '',
  '```sh', 'touch ran', '```', '',
  '```sh :host r1,-oProxyCommand=touch${IFS}pwned', 'uptime', '```', '',
  '```sh :host "r1;id" :name after', 'touch ran-later', '```', '',
].join('\n');

test('a block on :host -oProxyCommand=… stops the whole notebook before the first block runs, with the problems modus check prints', async () => {
  const { dir, problems } = await refusedRun(PROXY);
  assert.equal(await exists(join(dir, 'pwned')), false);
  assert.deepEqual(problems, [
    'nb.md:7:13 unknown host r1: not in ~/.ssh/config (no inventory file), and not an address; add it to an inventory.yaml beside the notebook [unresolvable-host]',
    'nb.md:7:16 host name "-oProxyCommand=touch${IFS}pwned" starts with "-", which ssh would read as an option [invalid-host-name]',
    'nb.md:11:14 host name "r1;id" contains ";"; host names and users may not contain whitespace, quotes, backticks, ";", "$" or "\\" [invalid-host-name]',
  ]);
  const check = await modusIn(dir, ['check', 'nb.md']);
  assert.equal(check.code, 1);
  assert.deepEqual(problemLines(check.stdout), problems);
  await rm(dir, { recursive: true });
});

test('hosts resolve against the inventory as in modus check: known hosts pass the plan, the bad one still stops everything', async () => {
  const text = PROXY.replace('r1,-oProxyCommand=touch${IFS}pwned', 'r1').replace('"r1;id"', 'edges');
  const dir = await scratch();
  await notebook(dir, 'hosts:\n  r1: {}\n  r2: { platform: linux }\ngroups:\n  edges: [r2, r3]\n', 'inventory.yaml');
  const path = await notebook(dir, text);
  const before = await readFile(path);
  const r = await modusIn(dir, ['run', 'nb.md']);
  assert.equal(r.code, 2, r.stderr);
  assert.deepEqual(problemLines(r.stderr), ['nb.md:11:13 unknown host r3 (member of group edges): not in inventory.yaml or ~/.ssh/config, and not an address; did you mean r1, r2? [unresolvable-host]']);
  assert.ok((await readFile(path)).equals(before));
  assert.equal(await exists(join(dir, 'ran')), false);
  // Without the bad member the plan passes (the hosts then fail to connect: there is no SSH transport here).
  await notebook(dir, 'hosts:\n  r1: {}\n  r2: { platform: linux }\ngroups:\n  edges: [r2]\n', 'inventory.yaml');
  const dry = await modusIn(dir, ['run', 'nb.md', '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /\[3\] after: sh on edges/);
  await rm(dir, { recursive: true });
});

test('with a selection, the blocks that will run are checked: --block 1 runs past a bad host in block 2, --block 2 and --only refuse', async () => {
  const dir = await scratch();
  const path = await notebook(dir, PROXY);
  const only1 = await modusIn(dir, ['run', 'nb.md', '--block', '1']);
  assert.equal(only1.code, 0, only1.stderr);
  assert.equal(await exists(join(dir, 'ran')), true);
  await rm(join(dir, 'ran'));
  const text = await readFile(path, 'utf8');
  for (const extra of [['--block', '2'], ['--only', 'after'], ['--from', '2']]) {
    const r = await modusIn(dir, ['run', 'nb.md', ...extra]);
    assert.equal(r.code, 2, `${extra.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /\[invalid-host-name\]/);
    assert.equal(await readFile(path, 'utf8'), text, `${extra.join(' ')} changed nothing`);
    assert.equal(await exists(join(dir, 'ran')), false);
  }
  await rm(dir, { recursive: true });
});

test('a documentation block (:eval no) may show {{placeholders}} and hosts of the reader\'s world, as in modus check', async () => {
  const dir = await scratch();
  await notebook(dir, '```sh :eval no :host prod-router-7\necho {{secret_of_the_reader}}\n```\n\n```sh\necho fine\n```\n');
  const r = await modusIn(dir, ['run', 'nb.md']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await modusIn(dir, ['check', 'nb.md'])).code, 0);
  await rm(dir, { recursive: true });
});

test('the audit\'s crash cases are refused by modus run with positioned errors: alias bomb, 130k header value, 125k problems, deep lists and quotes', async () => {
  const cases: [string, RegExp][] = [
    ['---\na: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n---\n\n```sh\ntouch ran\n```\n', /^nb\.md:3:8 .* \[front-matter-aliases\]$/],
    [`\`\`\`sh\ntouch ran\n\`\`\`\n\n\`\`\`sh :expect ${'a'.repeat(130_000)}\necho\n\`\`\`\n`, /^nb\.md:5:7 header arguments of 130008 characters .* \[header-arguments-too-long\]$/],
    [`\`\`\`sh\ntouch ran\n\`\`\`\n\n\`\`\`sh\n${'{{x}}'.repeat(125_000)}\n\`\`\`\n`, /^nb\.md:6:5001 more than 1000 problems.* \[too-many-problems\]$/],
    [`\`\`\`sh\ntouch ran\n\`\`\`\n\n${'- '.repeat(50_000)}\`\`\`sh\n${' '.repeat(100_000)}echo deep\n${' '.repeat(100_000)}\`\`\`\n`, /^nb\.md:5:201 nesting deeper than 100 block quote\/list levels is not supported.* \[nesting-too-deep\]$/],
    [`\`\`\`sh\ntouch ran\n\`\`\`\n\n${'>'.repeat(2000)} hi\n`, /^nb\.md:5:101 nesting deeper than 100 .* \[nesting-too-deep\]$/],
  ];
  for (const [text, expected] of cases) {
    const { dir, problems } = await refusedRun(text);
    assert.ok(problems.some((p) => expected.test(p)), `${expected}: ${problems.slice(-3).join('\n')}`);
    assert.ok(problems.length <= 1001);
    await rm(dir, { recursive: true });
  }
});
