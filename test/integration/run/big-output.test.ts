// 100 MB of output: the results keep head and tail with the omitted count,
// the journal keeps every byte (in a compressed blob beside a small record),
// and memory stays bounded.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { HEAD_LINES, TAIL_LINES, omittedLine } from '../../../main/run/capture.js';
import { readJournal, readRecordOutput } from '../../../main/run/journal.js';
import { MODUS, notebook, resultsBodies, scratch } from './helpers.js';

const LINE = '0123456789 abcdefghij 0123456789 abcdefghij';
const BYTES = 100_000_000;
const RSS_LIMIT_KB = 400 * 1024;

test('100 MB of output: head + omitted count + tail in the file, every byte in the journal, RSS under 400 MB', async () => {
  const dir = await scratch();
  const nb = await notebook(dir, `\`\`\`sh\nyes "${LINE}" | head -c ${BYTES}\necho done\n\`\`\`\n`);
  // Report the CLI's peak RSS from inside the process as it exits.
  const report = 'data:text/javascript,process.on("exit",()=>process.stderr.write("maxrss="+process.resourceUsage().maxRSS+"\\n"))';
  const child = spawn(process.execPath, ['--import', report, MODUS, 'run', nb], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, stderr);
  const maxRss = Number(/maxrss=(\d+)/.exec(stderr)![1]);
  assert.ok(maxRss < RSS_LIMIT_KB, `peak RSS ${Math.round(maxRss / 1024)} MB`);

  const fullLines = Math.floor(BYTES / (LINE.length + 1));
  const partial = LINE.slice(0, BYTES - fullLines * (LINE.length + 1));
  const total = fullLines + 1;
  const body = resultsBodies(await readFile(nb, 'utf8'))[0]!.body.split('\n');
  assert.equal(body.length, HEAD_LINES + 1 + TAIL_LINES);
  assert.ok(body.slice(0, HEAD_LINES).every((l) => l === LINE));
  assert.equal(body[HEAD_LINES], omittedLine(total - HEAD_LINES - TAIL_LINES));
  assert.equal(body.at(-1), `${partial}done`);

  const [record] = await readJournal(nb, { output: false });
  // The pty turns each \n into \r\n: the journal has exactly what the terminal received.
  assert.equal(record!.outputBytes, BYTES + fullLines + 'done\r\n'.length);
  assert.ok((await stat(join(dir, '.modus', 'journal', 'nb.md.jsonl'))).size < 4096, 'the record is small; the output is out of line');
  assert.ok((await stat(join(dir, '.modus', 'journal', 'blobs', `${record!.outputBlob}.gz`))).size > 0);
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const piece of readRecordOutput(nb, record!.seq)) {
    hash.update(piece);
    bytes += piece.length;
  }
  assert.equal(bytes, record!.outputBytes);
  assert.equal(hash.digest('hex'), record!.outputBlob);
});
