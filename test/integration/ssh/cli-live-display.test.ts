// `modus run` fanning out under a real pty of 40 columns and 10 rows, its
// output rendered by a terminal emulator (@xterm/headless): the live lines
// fit the terminal (cut to its width, no more than its height allows), are
// redrawn at the new size when it grows, and none is left behind, on the
// screen or in the scrollback, once the run is over.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as pty from 'node-pty';
import xtermHeadless from '@xterm/headless';
import { MODUS, notebook, scratch } from '../run/helpers.js';
import { fixtureForFile } from './fixture.js';

const HOSTS = Array.from({ length: 16 }, (_, i) => `web-frontend-node-${String(i + 1).padStart(2, '0')}`);

let config: string;
const ssh = fixtureForFile(async (f) => {
  config = join(f.dir, 'ssh_config.live');
  await writeFile(config, `${await readFile(f.client.sshConfig, 'utf8')}\n${HOSTS.map((h) => f.alias(h)).join('\n')}\n`);
});

type Row = { text: string; wrapped: boolean };

/**
 * The CLI on a pty of `columns` x `rows`, with a log of what it wrote and
 * of the resizes, in order, so that the screen can be rendered as it was
 * at any point: just after a frame, not halfway through the next one.
 */
class Screen {
  readonly proc: pty.IPty;
  data = '';
  readonly exited: Promise<number>;
  private readonly resizes: { at: number; columns: number; rows: number }[] = [];
  private waiters: { from: number; re: RegExp; resolve: (end: number) => void }[] = [];

  constructor(args: string[], cwd: string, private readonly columns: number, private readonly rowCount: number) {
    this.proc = pty.spawn(process.execPath, [MODUS, ...args], { cwd, cols: columns, rows: rowCount, env: { ...process.env, TERM: 'xterm-256color' } as Record<string, string> });
    this.proc.onData((d) => {
      this.data += d;
      this.waiters = this.waiters.filter((w) => {
        const end = this.matchEnd(w.re, w.from);
        if (end === null) return true;
        w.resolve(end);
        return false;
      });
    });
    this.exited = new Promise((resolve) => this.proc.onExit(({ exitCode }) => resolve(exitCode)));
  }

  /** Where the first match of `re` in what the program wrote from `from` on ends, once there is one. */
  waitFor(re: RegExp, from: number): Promise<number> {
    const end = this.matchEnd(re, from);
    if (end !== null) return Promise.resolve(end);
    return new Promise((resolve) => this.waiters.push({ from, re, resolve }));
  }

  /** As a terminal window does: the emulator rewraps at once, after what it has shown so far; the program gets SIGWINCH. */
  resize(columns: number, rows: number): void {
    this.resizes.push({ at: this.data.length, columns, rows });
    this.proc.resize(columns, rows);
  }

  /** Every row of the scrollback and the screen, after the first `upTo` characters the program wrote. */
  async render(upTo = this.data.length): Promise<Row[]> {
    const term = new xtermHeadless.Terminal({ cols: this.columns, rows: this.rowCount, scrollback: 10_000, allowProposedApi: true, logLevel: 'off' });
    const feed = (text: string): Promise<void> => new Promise((resolve) => term.write(text, resolve));
    let at = 0;
    for (const r of this.resizes.filter((x) => x.at < upTo)) {
      await feed(this.data.slice(at, r.at));
      term.resize(r.columns, r.rows);
      at = r.at;
    }
    await feed(this.data.slice(at, upTo));
    const buf = term.buffer.active;
    const out: Row[] = [];
    for (let y = 0; y < buf.length; y++) {
      const line = buf.getLine(y)!;
      out.push({ text: line.translateToString(true), wrapped: line.isWrapped });
    }
    term.dispose();
    return out;
  }

  private matchEnd(re: RegExp, from: number): number | null {
    const m = re.exec(this.data.slice(from));
    return m ? from + m.index + m[0].length : null;
  }
}

async function started(dir: string): Promise<number> {
  return (await readdir(dir)).filter((n) => n.startsWith('started.')).length;
}

const running = (rows: Row[]): string[] => rows.map((r) => r.text).filter((t) => /running/.test(t));

test('a fan-out on a 40x10 pty: live lines cut to the width, nine at most, redrawn when it grows, none left behind', { skip: ssh.skip ?? false, timeout: 180_000 }, async () => {
  const dir = await scratch();
  // Each host says it started, then waits for the test: every live line is on the screen at once, for as long as the test needs.
  const nb = await notebook(dir, `\`\`\`sh :host web-frontend-node-* :timeout 2m\nmktemp ${dir}/started.XXXXXX >/dev/null\nwhile [ ! -e ${dir}/go ]; do sleep 0.1; done\necho done\n\`\`\`\n`);
  const s = new Screen(['run', nb, '--ssh-config', config], dir, 40, 10);
  // A guard against a hang, so the test fails with the screen instead of timing out silently.
  const guard = setTimeout(() => s.proc.kill('SIGKILL'), 150_000);
  try {
    while ((await started(dir)) < HOSTS.length) await new Promise((resolve) => setTimeout(resolve, 50));
    // All sixteen run: the next frame shows eight of them and a count, within the ten rows.
    const frame = await s.waitFor(/… and \d+ more running\r\n/, s.data.length);
    const small = running(await s.render(frame));
    assert.equal(small.at(-1), '… and 8 more running', small.join('\n'));
    assert.equal(small.length, 9, small.join('\n'));
    for (const line of small) assert.ok([...line].length <= 39, line);

    const grown = s.data.length;
    s.resize(60, 30);
    // The names whole, and twelve lines, once the program has drawn at the new size.
    const bigFrame = await s.waitFor(/\[1\] sh web-frontend-node-\d\d … running [^\n]*\r\n(?:[^\n]*\r\n)*?… and 5 more running\r\n/, grown);
    const big = running(await s.render(bigFrame));
    assert.equal(big.length, 12, big.join('\n'));
    assert.match(big[0]!, /^\[1\] sh web-frontend-node-\d\d … running /);

    await writeFile(join(dir, 'go'), '');
    assert.equal(await s.exited, 0, s.data);
    const rows = await s.render();
    const shown = rows.map((r) => r.text).join('\n');
    assert.deepEqual(running(rows), [], `no running line left, on the screen or in the scrollback:\n${shown}`);
    assert.deepEqual(rows.filter((r) => r.wrapped), [], `no line wider than the terminal:\n${shown}`);
    for (const host of HOSTS) assert.equal(rows.filter((r) => r.text.startsWith(`[1] sh ${host} … pass `)).length, 1, `${host}:\n${shown}`);
    assert.ok(rows.some((r) => r.text === '[1] all pass: 16 pass'), shown);
  } finally {
    clearTimeout(guard);
  }
});
