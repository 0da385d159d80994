// Hostile notebooks through the real `modus check` and `modus export`: the
// cases of the 2026-12-03 audit (each used to end in a stack trace, exit 1)
// and a handful of generated ones. Every one must end in positioned
// errors, exit 2, the notebook byte-identical and no report written.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { hostileNotebook, insideFile, lineLengths } from '../../unit/notebook/hostile-gen.js';

const BIN = fileURLToPath(new URL('../../../../bin/modus.js', import.meta.url));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function modus(cwd: string, ...args: string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, HOME: cwd }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const ALIAS_BOMB = '---\na: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n---\n\n```sh\necho hi\n```\n';

/** `file:line:col reason [rule]` lines of the output, as [line, col, rule]. */
function positioned(output: string, file: string): [number, number, string][] {
  const out: [number, number, string][] = [];
  for (const l of output.split('\n')) {
    const m = new RegExp(`^${file.replace(/\./g, '\\.')}:(\\d+):(\\d+) .+ \\[([a-z-]+)\\]$`).exec(l);
    if (m) out.push([Number(m[1]), Number(m[2]), m[3]!]);
  }
  return out;
}

/** Runs check and export on `text`; both must refuse it with positioned errors and change nothing. */
async function refused(text: string, expected: [number, number, string]): Promise<{ check: Outcome; exported: Outcome }> {
  const dir = await mkdtemp(join(tmpdir(), 'modus-hostile-'));
  try {
    const bytes = Buffer.from(text);
    await writeFile(join(dir, 'nb.md'), bytes);
    await writeFile(join(dir, 'old.html'), 'an earlier report\n');

    const check = await modus(dir, 'check', 'nb.md');
    assert.equal(check.code, 2, check.stdout + check.stderr);
    assert.doesNotMatch(check.stderr, /\n\s+at |Error:/, 'no stack trace');
    assert.deepEqual(positioned(check.stdout, 'nb.md').find((p) => p[2] === expected[2]), expected, check.stdout.slice(0, 2000));
    assert.match(check.stderr, /^modus check: nb\.md goes past one of Modus's limits/);

    const exported = await modus(dir, 'export', 'nb.md', '--html', 'out.html');
    assert.equal(exported.code, 2, exported.stderr);
    assert.doesNotMatch(exported.stderr, /\n\s+at |Error:/, 'no stack trace');
    assert.deepEqual(positioned(exported.stderr, 'nb.md')[0], expected, exported.stderr.slice(0, 2000));
    assert.match(exported.stderr, /modus export: nb\.md was not exported; nothing was written\n$/);
    await assert.rejects(stat(join(dir, 'out.html')), { code: 'ENOENT' });
    const over = await modus(dir, 'export', 'nb.md', '--html', 'old.html');
    assert.equal(over.code, 2);
    assert.equal(await readFile(join(dir, 'old.html'), 'utf8'), 'an earlier report\n');
    const toStdout = await modus(dir, 'export', 'nb.md', '--html', '-');
    assert.deepEqual([toStdout.code, toStdout.stdout], [2, '']);

    assert.ok((await readFile(join(dir, 'nb.md'))).equals(bytes), 'the notebook is byte-identical');
    return { check, exported };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('front matter with three levels of YAML aliases (a 166-byte alias bomb): positioned error at the first alias, exit 2', async () => {
  const { check } = await refused(ALIAS_BOMB, [3, 8, 'front-matter-aliases']);
  assert.equal(check.stdout.split('\n')[0], 'nb.md:3:8 front matter YAML aliases (*name) expand to too much data; Modus does not read this notebook (write the values out instead of nesting aliases) [front-matter-aliases]');
});

test('a header value of 130k characters: positioned error at the header arguments, exit 2', async () => {
  const { check } = await refused(`# Long\n\n\`\`\`sh :expect ${'a'.repeat(130_000)}\necho\n\`\`\`\n`, [3, 7, 'header-arguments-too-long']);
  assert.match(check.stdout, /^nb\.md:3:7 header arguments of 130008 characters are not supported \(at most 65536\); put long values under vars: in the front matter and write \{\{name\}\} here \[header-arguments-too-long\]$/m);
});

test('125k problems in one block: the first 1000 positioned, then where the rest start, exit 2', async () => {
  const { check } = await (async () => {
    // export renders such a notebook (unknown variables are no limit of the report), so only check refuses it.
    const dir = await mkdtemp(join(tmpdir(), 'modus-hostile-'));
    const bytes = Buffer.from(`\`\`\`sh\n${'{{x}}'.repeat(125_000)}\n\`\`\`\n`);
    await writeFile(join(dir, 'nb.md'), bytes);
    const out = await modus(dir, 'check', 'nb.md');
    assert.ok((await readFile(join(dir, 'nb.md'))).equals(bytes));
    await rm(dir, { recursive: true, force: true });
    return { check: out };
  })();
  assert.equal(check.code, 2, check.stderr);
  const problems = positioned(check.stdout, 'nb.md');
  assert.equal(problems.length, 1001);
  assert.deepEqual(problems[0], [2, 1, 'unknown-variable']);
  assert.deepEqual(problems[1000], [2, 5001, 'too-many-problems']);
  assert.match(check.stdout, /^nb\.md:2:5001 more than 1000 problems; the ones from here on are not listed\. Fix these and check again \[too-many-problems\]$/m);
});

test('export of a 4 KB line of 2,000 nested block quotes: positioned error where level 101 starts, exit 2', async () => {
  const { exported } = await refused(`${'>'.repeat(2000)} hi\n`, [1, 101, 'nesting-too-deep']);
  assert.equal(exported.stderr.split('\n')[0], 'nb.md:1:101 nesting deeper than 100 block quote/list levels is not supported; Modus does not read this notebook (the quotes and lists here go on past level 100) [nesting-too-deep]');
});

test('a code block 50k list items deep (the audit took 52 s to check it), and 100k nested quotes: refused where level 101 starts', async () => {
  const pad = ' '.repeat(100_000);
  await refused(`${'- '.repeat(50_000)}\`\`\`sh\n${pad}echo deep\n${pad}\`\`\`\n`, [1, 201, 'nesting-too-deep']);
  await refused(`intro\n\n${'> '.repeat(100_000)}x\n`, [3, 201, 'nesting-too-deep']);
});

test('generated hostile notebooks: check and export end with exit 0, 1 or 2, never a stack trace, and change nothing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'modus-hostile-'));
  try {
    for (const text of fc.sample(hostileNotebook, { numRuns: 4, seed: 42 })) {
      const bytes = Buffer.from(text);
      await writeFile(join(dir, 'nb.md'), bytes);
      const lengths = lineLengths(bytes.toString('utf8'));
      for (const args of [['check', 'nb.md'], ['export', 'nb.md', '--html', 'out.html']]) {
        const out = await modus(dir, ...args);
        assert.ok([0, 1, 2].includes(out.code), `${args[0]}: exit ${out.code}\n${out.stderr.slice(0, 2000)}`);
        assert.doesNotMatch(out.stderr, /\n\s+at /, `${args[0]}: no stack trace`);
        for (const [line, column] of positioned(out.stdout + out.stderr, 'nb.md')) {
          assert.ok(insideFile({ line, column }, lengths), `${args[0]}: ${line}:${column} is inside the file`);
        }
        assert.ok((await readFile(join(dir, 'nb.md'))).equals(bytes), `${args[0]} left the notebook byte-identical`);
      }
      await rm(join(dir, 'out.html'), { force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
