// The file is the truth: `modus run` never loses an edit made while it runs,
// never writes a file it must not, and reports bad input before running
// anything. Every error case checks the message and that the bytes are intact.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { journalLines, modus, notebook, resultsBodies, scratch, startModus } from './helpers.js';

const fence = '```';

test('a block that edits the notebook: the edit is kept and results land under the right block', async () => {
  const dir = await scratch();
  const nb = await notebook(dir, [
    '# Procedure', '',
    `${fence}sh`, "sed -i '1a Inserted by the block.' nb.md", 'echo edited', fence, '',
    `${fence}sh`, 'echo after', fence, '',
  ].join('\n'));
  const r = await modus(['run', nb], dir);
  assert.equal(r.code, 0, r.stderr);
  const text = await readFile(nb, 'utf8');
  assert.ok(text.startsWith('# Procedure\nInserted by the block.\n\n```sh\nsed'), text);
  const { scanNotebook } = await import('../../../main/notebook/scan.js');
  const blocks = scanNotebook(text).blocks;
  assert.deepEqual(blocks.map((b) => b.results.map((x) => x.body)), [['edited'], ['after']]);
});

test('a block deleted during the run: clear message, journal keeps the result, exit 1', async () => {
  const dir = await scratch();
  const nb = await notebook(dir, [
    'Intro.', '',
    `${fence}sh :name victim`, "sed -i '/:name victim/,/^```$/d' nb.md", 'echo gone', fence, '',
    'Outro.', '',
  ].join('\n'));
  const r = await modus(['run', nb], dir);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /block 1 \(victim\) is no longer in .*nb\.md \(no block is named victim now\); its results were not written; the results are kept in the journal/);
  assert.equal(await readFile(nb, 'utf8'), 'Intro.\n\n\nOutro.\n');
  const journal = await journalLines(dir);
  assert.equal(journal.length, 1);
  assert.equal(journal[0]!.name, 'victim');
  assert.equal(journal[0]!.output, 'gone\r\n');
});

test('a read-only notebook is not written: message, journal keeps the result, exit 1', async () => {
  const dir = await scratch();
  const source = `${fence}sh\necho result\n${fence}\n`;
  const nb = await notebook(dir, source);
  await chmod(nb, 0o444);
  const r = await modus(['run', nb], dir);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /nb\.md is read-only \(mode 444\); the results are kept in the journal \(\.modus\/journal\/ beside .*nb\.md; modus journal show .*nb\.md\)/);
  assert.equal(await readFile(nb, 'utf8'), source);
  assert.equal((await stat(nb)).mode & 0o777, 0o444);
  assert.equal((await journalLines(dir))[0]!.status, 'pass');
});

test('when neither the notebook nor the journal can be written, the message says nothing was saved, not that the journal has it', async () => {
  const dir = await scratch();
  const source = `${fence}sh\necho result\n${fence}\n`;
  const nb = await notebook(dir, source);
  await chmod(nb, 0o444);
  // A file where the journal's directory would go: the journal cannot be created (as in a directory the user cannot write).
  await writeFile(join(dir, '.modus'), 'in the way\n');
  const r = await modus(['run', nb], dir);
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.stderr, /kept in the journal/);
  assert.match(r.stderr, /nb\.md is read-only \(mode 444\); the journal could not be written either \(.+\), so nothing of this run was saved: copy the notebook to a directory you can write and run it there/);
  assert.equal(await readFile(nb, 'utf8'), source);
});

test('mode is kept and a symlink is written through', async () => {
  const dir = await scratch();
  const real = await notebook(dir, `${fence}sh\necho via link\n${fence}\n`, 'real.md');
  await chmod(real, 0o640);
  const link = join(dir, 'link.md');
  await symlink('real.md', link);
  const r = await modus(['run', link], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await readlink(link), 'real.md');
  assert.equal((await stat(real)).mode & 0o777, 0o640);
  assert.equal(resultsBodies(await readFile(real, 'utf8'))[0]!.body, 'via link');
});

test('unknown variable: exit 2, positioned message, nothing runs, file identical', async () => {
  const dir = await scratch();
  const source = `# T\n\n${fence}sh\ntouch ran.txt\n${fence}\n\n${fence}sh\necho {{nope}}\n${fence}\n`;
  const nb = await notebook(dir, source);
  const r = await modus(['run', nb], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /nb\.md:8:6 unknown variable "nope"; .* \[unknown-variable\]/);
  assert.match(r.stderr, /nothing was run and the file was not changed/);
  assert.equal(await readFile(nb, 'utf8'), source);
  await assert.rejects(stat(join(dir, 'ran.txt')));
  assert.deepEqual(await journalLines(dir), []);
});

test('malformed notebook (bad front matter, bad header argument): exit 2, file intact', async () => {
  const dir = await scratch();
  const source = `---\nvars: [unclosed\n---\n\n${fence}sh :timeout soon\necho x\n${fence}\n`;
  const nb = await notebook(dir, source);
  const r = await modus(['run', nb], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /nb\.md:\d+:\d+ front matter is not valid YAML.*\[front-matter-yaml\]/);
  assert.match(r.stderr, /nb\.md:5:\d+ :timeout "soon" is not valid.*\[header-argument-value\]/);
  assert.equal(await readFile(nb, 'utf8'), source);
});

test('a notebook that is not UTF-8 is refused and untouched', async () => {
  const dir = await scratch();
  const source = Buffer.concat([Buffer.from(`${fence}sh\necho caf`), Buffer.from([0xe9]), Buffer.from(`\n${fence}\n`)]);
  const nb = await notebook(dir, source);
  const r = await modus(['run', nb], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /nb\.md is not valid UTF-8; Modus reads and writes UTF-8 notebooks only/);
  assert.deepEqual(await readFile(nb), source);
});

test('usage errors exit 2 with a message', async () => {
  const dir = await scratch();
  const nb = await notebook(dir, `${fence}sh\necho x\n${fence}\n`);
  for (const [args, re] of [
    [[], /which notebook\?/],
    [[nb, '--jobs', '0'], /--jobs "0" is not a whole number from 1/],
    [[nb, '--block', '1', '--from', '1'], /--block and --from cannot be combined/],
    [[nb, '--frobnicate'], /unknown option --frobnicate/],
    [[nb, '--var', 'bad'], /--var "bad" is not NAME=VALUE/],
    [[join(dir, 'missing.md')], /missing\.md: no such file/],
  ] as const) {
    const r = await modus(['run', ...args], dir);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
});

test('SIGINT cancels the running block and writes it as cancelled', async () => {
  const dir = await scratch();
  const nb = await notebook(dir, `${fence}bash\necho started; sleep 30\n${fence}\n\n${fence}sh\necho never\n${fence}\n`);
  const run = startModus(['run', nb], dir);
  // Wait until the block's sleep is running before interrupting.
  await waitFor(async () => (await childHasSleep(run.child.pid!)));
  run.child.kill('SIGINT');
  const r = await run.done;
  assert.equal(r.code, 1);
  const results = resultsBodies(await readFile(nb, 'utf8'));
  assert.equal(results.length, 1);
  assert.match(results[0]!.attrs, /:status cancelled :hash [0-9a-f]{12}$/);
  assert.equal(results[0]!.body, 'started\nmodus: cancelled');
});

async function waitFor(cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached');
}

/** True when a descendant of pid runs `sleep` (the block is running). */
async function childHasSleep(pid: number): Promise<boolean> {
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    if (!s) continue;
    const m = /^(\d+) \((.*)\) \S+ (\d+)/.exec(s);
    if (m) {
      parents.set(Number(m[1]), Number(m[3]));
      names.set(Number(m[1]), m[2]!);
    }
  }
  for (const [p, name] of names) {
    if (name !== 'sleep') continue;
    for (let q = parents.get(p); q !== undefined && q > 1; q = parents.get(q)) if (q === pid) return true;
  }
  return false;
}

