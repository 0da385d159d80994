// `modus check`, `modus export` and `modus journal` as a user runs them: the
// real CLI in a child process, in a scratch directory (also its HOME, so the
// user's own ~/.ssh/config cannot change the answers).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile, readFile, readdir, rm, chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendJournalRecord, journalPath } from '../../../main/run/journal.js';

const BIN = fileURLToPath(new URL('../../../../bin/modus.js', import.meta.url));
const TOUR = fileURLToPath(new URL('../../../../notebooks/local-tour.md', import.meta.url));

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

async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'modus-cli-'));
}

const PROBLEMS = `---
title: Several problems
vars:
  peer: 192.0.2.1
---

\`\`\`sh :host r1 :timeout 5x :colour red
ping -c1 {{peer}} {{nope}}
\`\`\`

\`\`\`sh :host edge9,-oProxyCommand=x :expect-exit abc
echo {{peer}}
\`\`\`

\`\`\`sh :eval no
echo {{documentation_only}}
\`\`\`

\`\`\`python3
print("{{missing}}")
\`\`\`

\`\`\`json
{"documentation": "{{not_a_variable_here}}"}
\`\`\`

\`\`\`sh
unclosed
`;

test('modus check prints every problem as file:line:col reason [rule], in order, and exits 1', async () => {
  const dir = await scratch();
  await writeFile(join(dir, 'problems.md'), PROBLEMS);
  await writeFile(join(dir, 'inventory.yaml'), 'hosts:\n  r1: {}\n  edge1: {}\n');
  const out = await modus(dir, 'check', 'problems.md');
  assert.equal(out.code, 1, out.stderr);
  assert.equal(out.stderr, '');
  assert.deepEqual(out.stdout.split('\n'), [
    'problems.md:7:25 :timeout "5x" is not valid; expected a duration such as 30s, 5m, 1h, 1h30m, 500ms or a number of seconds [header-argument-value]',
    'problems.md:7:28 unknown header argument :colour (ignored); known: :host :session :dir :timeout :expect :expect-exit :confirm :eval :results :var :parallel :name :redact :commit :action :private :format :expect-xpath [unknown-header-argument]',
    'problems.md:8:19 unknown variable "nope"; define it under vars: in the front matter, with --var nope=VALUE, or with :var nope=VALUE [unknown-variable]',
    'problems.md:11:13 unknown host edge9: not in inventory.yaml or ~/.ssh/config, and not an address; did you mean edge1? [unresolvable-host]',
    'problems.md:11:19 host name "-oProxyCommand=x" starts with "-", which ssh would read as an option [invalid-host-name]',
    'problems.md:11:49 :expect-exit "abc" is not valid; expected an exit status from 0 to 255 [header-argument-value]',
    'problems.md:20:8 unknown variable "missing"; define it under vars: in the front matter, with --var missing=VALUE, or with :var missing=VALUE [unknown-variable]',
    'problems.md:27:1 code block is never closed; it runs to the end of the file. Add a closing ``` line [unclosed-fence]',
    'problems.md: 6 errors, 2 warnings',
    '',
  ]);

  // --var fills the missing variables; the rest stays.
  const withVars = await modus(dir, 'check', 'problems.md', '--var', 'nope=1', '--var=missing=2');
  assert.doesNotMatch(withVars.stdout, /unknown variable/);
  assert.match(withVars.stdout, /problems\.md: 4 errors, 2 warnings/);
  await rm(dir, { recursive: true });
});

test('modus check: an inventory with a YAML error is reported at its own file:line:col', async () => {
  const dir = await scratch();
  await writeFile(join(dir, 'nb.md'), '```sh :host r1\nuptime\n```\n');
  await writeFile(join(dir, 'lab.yaml'), 'hosts:\n  r1: { platform: linux\n');
  const out = await modus(dir, 'check', 'nb.md', '--inventory', 'lab.yaml');
  assert.equal(out.code, 1);
  const lines = out.stdout.trim().split('\n');
  assert.match(lines[0]!, /^nb\.md:1:13 unknown host r1: not in lab\.yaml or ~\/\.ssh\/config, and not an address; add it to lab\.yaml \[unresolvable-host\]$/);
  assert.match(lines[1]!, /^lab\.yaml:\d+:\d+ inventory is not valid YAML: .* \[inventory-yaml\]$/);
  await rm(dir, { recursive: true });
});

test('modus check: a clean notebook says so and exits 0; the tour is clean', async () => {
  const dir = await scratch();
  await writeFile(join(dir, 'fine.md'), '# Fine\n\n```sh :host 192.0.2.10\nuptime\n```\n');
  const out = await modus(dir, 'check', 'fine.md');
  assert.deepEqual([out.code, out.stdout, out.stderr], [0, 'fine.md: no problems\n', '']);
  const tour = await modus(dir, 'check', TOUR);
  assert.equal(tour.code, 0, tour.stdout);
  assert.match(tour.stdout, /local-tour\.md: no problems\n$/);
  await rm(dir, { recursive: true });
});

test('modus check: an unreadable notebook or bad options exit 2 with a clear message', async () => {
  const dir = await scratch();
  const missing = await modus(dir, 'check', 'nope.md');
  assert.deepEqual([missing.code, missing.stdout, missing.stderr], [2, '', 'modus check: cannot read nope.md: no such file or directory\n']);
  await mkdir(join(dir, 'folder.md'));
  const folder = await modus(dir, 'check', 'folder.md');
  assert.equal(folder.stderr, 'modus check: cannot read folder.md: it is a directory\n');
  const badVar = await modus(dir, 'check', 'x.md', '--var', 'no-equals');
  assert.equal(badVar.code, 2);
  assert.match(badVar.stderr, /--var "no-equals" is not NAME=VALUE/);
  const noFile = await modus(dir, 'check');
  assert.equal(noFile.code, 2);
  assert.match(noFile.stderr, /^modus check: give the notebook to check\n/);
  await rm(dir, { recursive: true });
});

async function notebookWithJournal(dir: string): Promise<string> {
  const notebook = join(dir, 'change.md');
  await writeFile(
    notebook,
    `---\ntitle: Change <b>42</b>\nvars:\n  peer: 192.0.2.1\n---\n\nProse with <img src=x onerror=alert(1)> and [x](javascript:alert(1)).\n\n<script>alert(1)</script>\n\n\`\`\`sh :name ping\nping -c1 {{peer}}\n\`\`\`\n\n\`\`\`results :host local :at 2026-01-01T10:00:01Z :took 1.0s :exit 0 :status pass\nok\n\`\`\`\n\n\`\`\`sh\nfalse\n\`\`\`\n\n\`\`\`results :host local :at 2026-01-01T10:00:02Z :took 0.1s :exit 1 :status fail\n\`\`\`\n`,
  );
  const base = { lang: 'sh', host: 'local', command: 'x', output: 'out\n', exitCode: 0 } as const;
  await appendJournalRecord(notebook, { ...base, block: 0, name: 'ping', user: 'alice', start: '2026-01-01T10:00:00Z', end: '2026-01-01T10:00:01Z', status: 'pass' });
  await appendJournalRecord(notebook, { ...base, block: 1, user: 'bob', start: '2026-01-01T10:00:01.900Z', end: '2026-01-01T10:00:02Z', status: 'fail', exitCode: 1 });
  return notebook;
}

test('modus journal verify and show', async () => {
  const dir = await scratch();
  await notebookWithJournal(dir);
  const ok = await modus(dir, 'journal', 'verify', 'change.md');
  assert.deepEqual([ok.code, ok.stdout], [0, 'ok: 2 records, chain intact\n']);

  const show = await modus(dir, 'journal', 'show', 'change.md', '--last', '1');
  assert.equal(show.code, 0);
  assert.equal(show.stdout, '2  2026-01-01T10:00:01Z  100ms  #2  local  bob  fail  exit 1\n');

  const path = await journalPath(join(dir, 'change.md'));
  const text = await readFile(path, 'utf8');
  await writeFile(path, text.replace('"user":"alice"', '"user":"mallory"'));
  const bad = await modus(dir, 'journal', 'verify', 'change.md');
  assert.equal(bad.code, 1);
  assert.deepEqual(bad.stdout.split('\n'), [
    '.modus/journal/change.md.jsonl:1: record 1 was changed after it was written (its content does not match its hash); restore the journal from a backup, or keep this copy as evidence and start a new journal by moving it aside',
    '1 problem in 2 records',
    '',
  ]);

  const none = await modus(dir, 'journal', 'verify', 'other.md');
  assert.equal(none.code, 1);
  assert.match(none.stderr, /^modus journal: no journal for other\.md \(looked for \.modus\/journal\/other\.md\.jsonl\); run the notebook first, or check the path\.\n$/);
  const usage = await modus(dir, 'journal', 'frobnicate', 'change.md');
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /unknown action "frobnicate"/);
  await rm(dir, { recursive: true });
});

test('modus export writes a sanitised report with the journal timeline, atomically', async () => {
  const dir = await scratch();
  await notebookWithJournal(dir);
  const out = await modus(dir, 'export', 'change.md', '--html', 'report.html');
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stdout, 'wrote report.html: 1 pass, 1 fail, 0 error, 0 timeout, 0 cancelled\n');
  const html = await readFile(join(dir, 'report.html'), 'utf8');
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /<title>Change &#60;b&#62;42&#60;\/b&#62;<\/title>/);
  assert.match(html, /<td>Run by<\/td><td>alice, bob<\/td>/);
  assert.match(html, /<td>Journal<\/td><td>2 records, chain intact<\/td>/);
  assert.equal(html.match(/<tr><td>2026-01-01 10:00:0\dZ<\/td>/g)?.length, 2, 'two timeline rows');
  assert.match(html, /<span class="badge status-pass">pass<\/span>/);
  assert.match(html, /<span class="badge status-fail">fail<\/span>/);
  assert.doesNotMatch(html, /<script|onerror|javascript:/i);
  assert.doesNotMatch(html, /<link|<img|src=|@import|url\(/i, 'self-contained: nothing to fetch');
  assert.deepEqual((await readdir(dir)).filter((n) => n.endsWith('.tmp')), [], 'no temp file left');

  // A second export replaces the file in place, keeping its mode.
  await chmod(join(dir, 'report.html'), 0o640);
  assert.equal((await modus(dir, 'export', 'change.md', '--html=report.html')).code, 0);
  const { stat } = await import('node:fs/promises');
  assert.equal((await stat(join(dir, 'report.html'))).mode & 0o777, 0o640);
  await rm(dir, { recursive: true });
});

test('modus export: bad input and unwritable output fail clearly and leave no file', async () => {
  const dir = await scratch();
  const missing = await modus(dir, 'export', 'nope.md', '--html', 'r.html');
  assert.deepEqual([missing.code, missing.stderr], [2, 'modus export: cannot read nope.md: no such file or directory\n']);
  await writeFile(join(dir, 'n.md'), '# n\n');
  const noOut = await modus(dir, 'export', 'n.md');
  assert.equal(noOut.code, 2);
  assert.match(noOut.stderr, /say where the report goes: --html OUT\.html/);
  const badDir = await modus(dir, 'export', 'n.md', '--html', 'missing-dir/r.html');
  assert.equal(badDir.code, 1);
  assert.equal(badDir.stderr, 'modus export: cannot write missing-dir/r.html: no such file or directory; nothing was changed there\n');
  assert.deepEqual((await readdir(dir)).sort(), ['n.md']);
  const toStdout = await modus(dir, 'export', 'n.md', '--html', '-');
  assert.equal(toStdout.code, 0);
  assert.match(toStdout.stdout, /<h1 class="report-title">n<\/h1>/);
  await rm(dir, { recursive: true });
});

const JUNOS_CHANGE = `# Change

\`\`\`junos :host edge1 :commit confirmed 5
interfaces {
    ge-0/0/0 {
        description "</code></pre><script>alert(1)</script>";
        unit 0 { family inet { address 192.0.2.1/24; } }
    }
}
firewall { filter F { term t { then discard; } } }
\`\`\`

\`\`\`results :host edge1 :at 2026-11-23T19:40:02Z :took 1.2s :exit 0 :status pass :rollback-at 2026-11-23T19:45:02Z
root@edge1# show | compare
[edit interfaces ge-0/0/0]
-   description old;
+   description "<img src=x onerror=alert(1)>";
modus: edge1 rolls this commit back at 2026-11-23T19:45:02Z
\`\`\`

\`\`\`junos :host edge1 :format xml
show version
\`\`\`

\`\`\`results :host edge1 :at 2026-11-23T19:41:02Z :took 0.1s :exit 0 :status pass
root@edge1> show version
<software-information><host-name>edge1</host-name></software-information>
\`\`\`
`;

test('modus export colours a Junos block and its diff with the editor\'s tokens, and the report is still sanitised', async () => {
  const dir = await scratch();
  await writeFile(join(dir, 'change.md'), JUNOS_CHANGE);
  const out = await modus(dir, 'export', 'change.md', '--html', 'report.html');
  assert.equal(out.code, 0, out.stderr);
  const html = await readFile(join(dir, 'report.html'), 'utf8');
  const main = /<main class="notebook">([\s\S]*)<\/main>/.exec(html)![1]!;
  // The block, as the editor colours it.
  assert.match(main, /<code class="language-junos"><span class="jt-keyword-block">interfaces<\/span> <span class="jt-delimiter-curly">\{<\/span>\n {4}<span class="jt-variable-interface">ge-0\/0\/0<\/span>/);
  assert.match(main, /<span class="jt-keyword-leaf">address<\/span> <span class="jt-number-address">192\.0\.2\.1\/24<\/span>/);
  assert.match(main, /<span class="jt-keyword-leaf">then<\/span> <span class="jt-keyword-deny">discard<\/span><span class="jt-delimiter">;<\/span>/);
  // Its results: the diff's header and signs.
  assert.match(main, /<pre class="output"><code class="language-junos"><span class="jt-meta-prompt">root@edge1#<\/span> <span class="jt-keyword-verb">show<\/span>/);
  assert.match(main, /<span class="jt-meta-diff-header">\[edit interfaces ge-0\/0\/0\]<\/span>\n<span class="jt-diff-deleted">-<\/span> {3}<span class="jt-keyword-leaf">description<\/span> old/);
  assert.match(main, /<span class="jt-diff-inserted">\+<\/span> {3}<span class="jt-keyword-leaf">description<\/span> <span class="jt-string">"&#x3C;img src=x onerror=alert\(1\)>"<\/span>/);
  assert.match(main, /<span class="jt-comment-note">modus: edge1 rolls this commit back at 2026-11-23T19:45:02Z<\/span>/);
  // XML replies (:format xml) are not Junos configuration: left as they are.
  assert.match(main, /<pre class="output"><code>root@edge1> show version\n&#x3C;software-information>/);
  // Sanitised: the hostile strings are text; no element but the report's own, no attribute but a class.
  assert.match(main, /<span class="jt-string">"&#x3C;\/code>&#x3C;\/pre>&#x3C;script>alert\(1\)&#x3C;\/script>"<\/span>/);
  assert.doesNotMatch(html, /<script|<img/i);
  for (const tag of main.match(/<[^>]*>/g)!) assert.match(tag, /^<\/?(div|span|pre|code|h1)( class="[\w -]+")?>$/, tag);
  // Text in, text out: the code block without its spans is the notebook's.
  const code = /<pre class="source-code"><code class="language-junos">([\s\S]*?)<\/code><\/pre>/.exec(main)![1]!;
  const text = code.replace(/<[^>]+>/g, '').replace(/&#x3C;/g, '<').replace(/&#x26;/g, '&');
  assert.equal(text, /```junos[^\n]*\n([\s\S]*?)\n```/.exec(JUNOS_CHANGE)![1]);
  await rm(dir, { recursive: true });
});
