// The notebook host behind the app, on a real hub connection with real
// shells: open, trust, run, results into the file and the editor, edits
// racing results, changes on disk, conflicts, :confirm, cancel.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rendererFor } from '../terminals/hub-client.js';
import { EditorClient } from './editor-client.js';
import { MODUS, startModus } from '../run/helpers.js';
import type { OpenNotebook } from '../../../main/host/notebooks/open-notebook.js';
import { tempDir } from '../../helpers/temp-dir.js';

const TOUR = [
  '---',
  'title: Host test',
  'vars:',
  '  greeting: hello',
  '---',
  '',
  '# Steps',
  '',
  '```sh',
  'echo "{{greeting}} from one"',
  '```',
  '',
  'Between the blocks.',
  '',
  '```sh :expect "^two$"',
  'echo two',
  '```',
  '',
].join('\n');

async function setup(t: import('node:test').TestContext, text = TOUR) {
  const dir = tempDir('modus-nbhost-');
  const path = join(dir, 'tour.md');
  await writeFile(path, text);
  const r = rendererFor(t, { configDir: join(dir, 'config') });
  const ed = new EditorClient(r, 1);
  await ed.open(path);
  return { dir, path, r, ed };
}

test('an opened notebook shows its text and blocks, and is untrusted: a run is refused and the file untouched', async (t) => {
  const { path, r, ed } = await setup(t);
  assert.equal(ed.text, TOUR);
  assert.equal(ed.opened?.trusted, false);
  const a = await ed.waitAnalysis((x) => x.blocks.length === 2, 'the analysis');
  assert.deepEqual(a.blocks.map((b) => [b.number, b.startLine, b.endLine, b.lang, b.runnable]), [[1, 9, 11, 'sh', true], [2, 15, 17, 'sh', true]]);
  assert.equal(a.title, 'Host test');
  assert.deepEqual(a.variables, [{ name: 'greeting', value: 'hello' }]);
  const run = ed.run({ kind: 'all' });
  const done = await ed.waitDone(run);
  assert.match(done.summary.problems.join('\n'), /not trusted/);
  assert.equal(await readFile(path, 'utf8'), TOUR, 'nothing ran, nothing written');
  assert.equal(ed.streams.size, 0);
  void r;
});

test('trusted, a run streams output live, writes results into the file and puts them in the editor: both match and nothing is unsaved', async (t) => {
  const { path, r, ed } = await setup(t);
  ed.trust();
  await r.waitFor(() => ed.trusted, 'trusted');
  const run = ed.run({ kind: 'all' });
  const done = await ed.waitDone(run);
  assert.deepEqual(done.summary.counts, { pass: 2 });
  assert.match(ed.output(1), /hello from one/);
  assert.match(ed.output(2), /two/);
  const onDisk = await readFile(path, 'utf8');
  assert.match(onDisk, /```results :host local :at \S+ :took \S+ :exit 0 :status pass :hash [0-9a-f]{12}\nhello from one\n```/);
  await r.waitFor(() => ed.text === onDisk && !ed.dirty, 'the editor to hold the results and be clean');
  // Every byte outside the results is as it was.
  assert.equal(onDisk.replace(/\n\n```results[^]*?\n```/g, ''), TOUR);
  const a = await ed.waitAnalysis((x) => x.blocks.every((b) => b.results.length === 1 && b.run === null), 'results in the analysis');
  assert.deepEqual(a.blocks.map((b) => b.results[0]!.status), ['pass', 'pass']);
});

test('results land where the block is now while the user types above it and inside another block; the typing stays, the file gets only the results', async (t) => {
  // The block waits on a FIFO beside the notebook (its working directory) until the test has typed.
  const { dir, path, r, ed } = await setup(t, TOUR.replace('echo "{{greeting}} from one"', 'cat gate > /dev/null; echo "{{greeting}} from one"'));
  const gate = join(dir, 'gate');
  const { execFileSync } = await import('node:child_process');
  execFileSync('mkfifo', [gate]);
  ed.trust();
  await r.waitFor(() => ed.trusted, 'trusted');
  const run = ed.run({ kind: 'block', number: 1 });
  await r.waitFor(() => [...ed.streams.values()].some((s) => s.block === 1), 'block 1 to start');
  // The user types a new paragraph above the block and edits prose between the blocks.
  ed.typeBefore('# Steps', 'Typed while it ran.\n\n');
  ed.replace('Between the blocks.', 'Between the two blocks (edited).');
  await writeFile(gate, 'go\n');
  await ed.waitDone(run);
  await r.waitFor(() => /hello from one\n```/.test(ed.text), 'results in the editor');
  assert.match(ed.text, /Typed while it ran\.\n\n# Steps/);
  assert.match(ed.text, /Between the two blocks \(edited\)\./);
  const resultsAt = ed.text.indexOf('```results');
  assert.ok(resultsAt > ed.text.indexOf('from one"\n```') && resultsAt < ed.text.indexOf('Between the two'), 'under block 1, where it is now');
  const onDisk = await readFile(path, 'utf8');
  assert.doesNotMatch(onDisk, /Typed while it ran/, 'unsaved typing is not written by a run');
  assert.match(onDisk, /hello from one/);
  assert.equal(ed.dirty, true);
  ed.save();
  await r.waitFor(() => !ed.dirty, 'saved');
  assert.equal(await readFile(path, 'utf8'), ed.text);
});

test('an edit made while the host sends results is not lost: the host makes its edit again against the newer text', async (t) => {
  const { path, r, ed } = await setup(t);
  ed.trust();
  await r.waitFor(() => ed.trusted, 'trusted');
  ed.holdApplies = true;
  const run = ed.run({ kind: 'block', number: 2 });
  await ed.waitDone(run);
  await r.waitFor(() => ed.held.length === 1, 'the results edit');
  // The user typed before the edit arrived: the editor is a version ahead of it.
  ed.typeBefore('# Steps', 'X');
  ed.holdApplies = false;
  ed.applyFromHost(ed.held.shift()!);
  await r.waitFor(() => /^two\n```/m.test(ed.text), 'the results, made again');
  assert.equal(ed.applies.length, 2, 'one refused, one applied');
  assert.match(ed.text, /X# Steps/);
  const onDisk = await readFile(path, 'utf8');
  assert.equal(ed.text, onDisk.replace('# Steps', 'X# Steps'));
});

test('a change on disk by another program reloads a clean editor; with unsaved edits it is a conflict, and saving refuses to overwrite it', async (t) => {
  const { path, r, ed } = await setup(t);
  await writeFile(path, TOUR.replace('Between the blocks.', 'Changed by vim.'));
  await r.waitFor(() => ed.text.includes('Changed by vim.') && !ed.dirty, 'the reload');
  ed.replace('# Steps', '# My steps');
  await r.waitFor(() => ed.dirty, 'dirty');
  await writeFile(path, TOUR.replace('Between the blocks.', 'Changed again.'));
  await r.waitFor(() => ed.conflicts.length === 1, 'a conflict');
  assert.match(ed.conflicts[0]!, /Changed again\./);
  assert.match(ed.text, /# My steps/, 'the editor keeps the user\'s text');
  ed.save();
  await r.waitFor(() => ed.conflicts.length === 2, 'the save refused as a conflict');
  assert.match(await readFile(path, 'utf8'), /Changed again\./, 'the other program\'s change is still on disk');
  // The user keeps theirs: the next save overwrites.
  r.connection.receive({ type: 'nb.resolve', doc: 1, take: 'mine' });
  await r.waitFor(() => ed.dirty, 'still dirty');
  ed.save();
  await r.waitFor(() => !ed.dirty, 'saved');
  assert.match(await readFile(path, 'utf8'), /# My steps/);
});

test('results written by modus run on the command line keep the trust; a code change by another program loses it', async (t) => {
  const { dir, path, r, ed } = await setup(t);
  ed.trust();
  await r.waitFor(() => ed.trusted, 'trusted');
  const cli = startModus(['run', path], dir);
  assert.equal((await cli.done).code, 0);
  await r.waitFor(() => ed.text.includes('```results') && !ed.dirty, 'the CLI results reloaded');
  assert.equal(ed.trusted, true);
  await writeFile(path, (await readFile(path, 'utf8')).replace('echo two', 'echo two; rm -rf "$HOME/x"'));
  await r.waitFor(() => ed.text.includes('rm -rf') && !ed.trusted, 'untrusted after the code changed');
  const run = ed.run({ kind: 'all' });
  assert.match((await ed.waitDone(run)).summary.problems.join(''), /not trusted/);
  void MODUS;
});

test(':confirm asks the renderer with the hosts and the exact command; no runs nothing and says cancelled', async (t) => {
  const { path, r, ed } = await setup(t, TOUR.replace('```sh :expect', '```sh :confirm :expect'));
  ed.trust();
  await r.waitFor(() => ed.trusted, 'trusted');
  const run = ed.run({ kind: 'block', number: 2 });
  const q = await r.waitFor(() => ed.confirms[0], 'the question');
  assert.deepEqual([q.block, q.lang, q.hosts, q.script], [2, 'sh', ['local'], 'echo two']);
  r.connection.receive({ type: 'nb.confirm.answer', doc: 1, request: q.request, answer: 'no' });
  const done = await ed.waitDone(run);
  assert.deepEqual(done.summary.counts, { cancelled: 1 });
  assert.match(await readFile(path, 'utf8'), /:status cancelled[^\n]*\nmodus: not run: confirmation declined/);
});

test('Stop cancels a long block: it is written as cancelled and its process is gone', async (t) => {
  const { path, r, ed } = await setup(t, TOUR.replace('echo two', 'echo started; sleep 600'));
  ed.trust();
  await r.waitFor(() => ed.trusted, 'trusted');
  const run = ed.run({ kind: 'block', number: 2 });
  await r.waitFor(() => ed.output(2).includes('started'), 'the block to start');
  const a = await r.waitFor(() => ed.analysis?.blocks[1]?.run?.state === 'running' && ed.analysis, 'the block shown running');
  assert.equal(a.blocks[1]!.run!.runId, run);
  r.connection.receive({ type: 'nb.cancel', doc: 1, run: null });
  const done = await ed.waitDone(run);
  assert.deepEqual(done.summary.counts, { cancelled: 1 });
  assert.match(await readFile(path, 'utf8'), /:status cancelled/);
});

test('a block edited after its run is stale in the analysis, as modus check says', async (t) => {
  const { r, ed } = await setup(t);
  ed.trust();
  await r.waitFor(() => ed.trusted, 'trusted');
  await ed.waitDone(ed.run({ kind: 'all' }));
  await r.waitFor(() => ed.text.includes('two\n```') && !ed.dirty, 'results');
  ed.replace('echo two', 'echo three');
  const a = await ed.waitAnalysis((x) => x.blocks[1]!.stale.length > 0, 'block 2 stale');
  assert.match(a.blocks[1]!.stale[0]!, /stale: the block's code, its variables, its arguments or its host changed/);
  assert.deepEqual(a.blocks[0]!.stale, []);
});

test('bad requests get clear errors: a relative path, a missing file, a directory, a notebook that is not UTF-8', async (t) => {
  const dir = tempDir('modus-nbhost-');
  const r = rendererFor(t, { configDir: join(dir, 'config') });
  await writeFile(join(dir, 'latin1.md'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  const cases: [string, RegExp][] = [
    ['notes.md', /give an absolute path/],
    [join(dir, 'none.md'), /no such file/i],
    [dir, /is not a file/],
    [join(dir, 'latin1.md'), /not valid UTF-8/],
  ];
  let doc = 1;
  for (const [path, reason] of cases) {
    const ed = new EditorClient(r, doc++);
    await ed.open(path);
    assert.equal(ed.opened, null, path);
    assert.match(ed.errors.join('\n'), reason, path);
  }
});

test('Electron prints the report to NAME.report.pdf beside the notebook; a browser host says to use its print dialog', async (t) => {
  const dir = tempDir('modus-nbhost-');
  const path = join(dir, 'printed.md');
  await writeFile(path, TOUR);
  const r = rendererFor(t, { configDir: join(dir, 'config') });
  const pdf = new TextEncoder().encode('%PDF-1.7 stand-in for printToPDF\n');
  const electron = r.hub.connect((m) => electronSeen.push(m), { printToPdf: async () => pdf });
  const electronSeen: import('../../../main/protocol.js').HostMessage[] = [];
  electron.receive({ type: 'nb.open', doc: 1, path });
  await r.waitFor(() => electronSeen.some((m) => m.type === 'nb.opened'), 'opened over the Electron connection');
  electron.receive({ type: 'nb.pdf', doc: 1 });
  const exported = await r.waitFor(() => electronSeen.find((m) => m.type === 'nb.exported'), 'the PDF written');
  assert.equal(exported.type === 'nb.exported' ? exported.file : '', join(dir, 'printed.report.pdf'));
  assert.deepEqual(new Uint8Array(await readFile(join(dir, 'printed.report.pdf'))), pdf);
  electron.close();
  const ed = new EditorClient(r, 2);
  await ed.open(path);
  r.connection.receive({ type: 'nb.pdf', doc: 2 });
  await r.waitFor(() => ed.errors.some((m) => /Save as PDF/.test(m)), 'the browser host\'s answer');
});

test('a commit confirmed pending in the journal is sent on open; Confirm is refused untrusted or for a host with nothing pending (file untouched); trusted, it appends its block and runs it, and a device it cannot reach leaves the countdown', async (t) => {
  const { appendJournalRecord } = await import('../../../main/run/journal.js');
  const dir = tempDir('modus-nbhost-');
  const path = join(dir, 'mop.md');
  const text = '# MOP\n\n```junos :host edge9 :commit confirmed 5 :name change\nset system location building X\n```\n';
  await writeFile(path, text);
  // A device nothing listens for: the confirm block's run fails to connect.
  await writeFile(join(dir, 'inventory.yaml'), 'hosts:\n  edge9: { address: 127.0.0.1, port: 1, platform: junos }\n');
  const at = new Date(Date.now() + 10 * 60_000);
  const iso = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const now = new Date();
  await appendJournalRecord(path, { block: 0, name: 'change', lang: 'junos', host: 'edge9', start: now, end: now, command: 'set system location building X', output: '', exitCode: 0, status: 'pass', details: { rollbackAt: iso } });

  const r = rendererFor(t, { configDir: join(dir, 'config') });
  const pending: { host: string; rollbackAt: string; block: number; name: string | null }[][] = [];
  r.listen((m) => {
    if (m.type === 'nb.pending' && m.doc === 1) pending.push(m.pending);
  });
  const ed = new EditorClient(r, 1);
  await ed.open(path);
  await r.waitFor(() => pending.length > 0, 'nb.pending');
  assert.deepEqual(pending.at(-1), [{ host: 'edge9', rollbackAt: iso, block: 1, name: 'change' }]);

  const settle = (run: number, host: string): void => r.connection.receive({ type: 'nb.settle', doc: 1, run, host, action: 'confirm', vars: {} });
  settle(101, 'edge9');
  assert.match((await ed.waitDone(101)).summary.problems.join('\n'), /mop\.md is not trusted: nothing runs until you trust it, so the commit confirmed on edge9 was not confirmed/);
  ed.trust();
  await r.waitFor(() => ed.trusted, 'trusted');
  settle(102, 'edge1');
  assert.match((await ed.waitDone(102)).summary.problems.join('\n'), /no commit confirmed of this notebook is pending on edge1 any more/);
  assert.equal(await readFile(path, 'utf8'), text, 'nothing was added');

  settle(103, 'edge9');
  const done = await ed.waitDone(103);
  assert.deepEqual(done.summary.counts, { error: 1 });
  const onDisk = await readFile(path, 'utf8');
  assert.equal(onDisk.slice(0, text.length), text, 'what was there is untouched');
  assert.match(onDisk.slice(text.length), new RegExp(`^\\n\\*\\*edge9\\*\\*: confirm the commit confirmed of block 1 \\(change\\), due to roll back at ${iso}\\.\\n\\n\`\`\`junos :host edge9 :commit confirm\\n\`\`\`\\n\\n\`\`\`results :host edge9 [^\\n]*:status error`));
  await r.waitFor(() => ed.text === onDisk && !ed.dirty, 'the editor to hold the block and its results');
  // It could not reach the device, so nothing changed there: the countdown stays.
  assert.deepEqual(pending.at(-1), [{ host: 'edge9', rollbackAt: iso, block: 1, name: 'change' }]);
});

test("Modus's own append is never taken for another program's change, whenever the disk is checked: trust kept, each block once, nothing unsaved", async (t) => {
  const { path, r, ed } = await setup(t);
  ed.trust();
  await r.waitFor(() => ed.trusted, 'trusted');
  const conflicts: unknown[] = [];
  r.listen((m) => {
    if (m.type === 'nb.conflict') conflicts.push(m);
  });
  // The connection's notebook half and its open notebook: the test runs the file watcher's check itself.
  const host = r.connection.notebooks;
  const nb = (host as unknown as { docs: Map<number, OpenNotebook> }).docs.get(1)!;
  // One check is made in the window itself, whatever the machine's speed: while the append, written, keeps the notebook
  // trusted (before its text is registered), a disk check starts and gets time to read the file.
  const store = (host as unknown as { ctx: { trust: { trust(path: string, text: string): Promise<void> } } }).ctx.trust;
  const trust = store.trust.bind(store);
  store.trust = async (real, text) => {
    const during = nb.checkDisk();
    await Promise.race([during, new Promise((done) => setTimeout(done, 200))]);
    return trust(real, text);
  };
  for (let i = 0; i < 5; i++) {
    let appending = true;
    // Before, during and after the append, as often as a check can run: one of them reads the file between
    // the append's write and its registration, where a watcher event after a slow trust write used to land.
    const checks = (async () => {
      while (appending) {
        await nb.checkDisk();
        await new Promise((done) => setImmediate(done));
      }
    })();
    const result = await host.appendToNotebook(path, `\`\`\`sh\necho appended ${i}\n\`\`\`\n`, 'a terminal');
    appending = false;
    await checks;
    assert.deepEqual(result, { ok: true, path });
  }
  const onDisk = await readFile(path, 'utf8');
  await r.waitFor(() => ed.text === onDisk && !ed.dirty, 'the editor to hold the appends, saved');
  for (let i = 0; i < 5; i++) assert.equal(onDisk.split(`echo appended ${i}\n`).length, 2, `block ${i} once`);
  assert.ok(ed.trusted, 'still trusted');
  assert.deepEqual(conflicts, []);
});
