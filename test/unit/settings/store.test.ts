import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync, readFileSync, renameSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SettingsStore } from '../../../main/settings/settings-store.js';
import { SessionStore } from '../../../main/settings/session-store.js';
import { writeFileAtomic } from '../../../main/files/atomic-write.js';
import type { SessionLayout } from '../../../main/protocol.js';
import type { SettingsResult } from '../../../main/settings/validate.js';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'modus-settings-'));

/** Resolves with the first change for which `accept` is true (file events may come in bursts). */
function changeWhere(store: SettingsStore, accept: (r: SettingsResult) => boolean): Promise<SettingsResult> {
  // The watcher does not keep a process alive on its own (by design: it must not hold the CLI open).
  const keepAlive = setInterval(() => undefined, 1000);
  return new Promise((resolve) => {
    const off = store.onChange((r) => {
      if (accept(r)) {
        off();
        clearInterval(keepAlive);
        resolve(r);
      }
    });
  });
}

test('a missing file means defaults and no problems', () => {
  const dir = tempDir();
  const store = new SettingsStore(join(dir, 'settings.json'));
  assert.equal(store.current.settings.fontSize, 11);
  assert.deepEqual(store.current.problems, []);
  store.close();
  rmSync(dir, { recursive: true });
});

test('edits are picked up live, whether the editor writes in place or saves by rename', async () => {
  const dir = tempDir();
  const file = join(dir, 'settings.json');
  writeFileSync(file, '{"fontSize": 12}');
  const store = new SettingsStore(file);
  assert.equal(store.current.settings.fontSize, 12);

  let next = changeWhere(store, (r) => r.settings.fontSize === 15);
  writeFileSync(file, '{"fontSize": 15}');
  assert.equal((await next).settings.fontSize, 15);

  next = changeWhere(store, (r) => r.problems.length > 0);
  writeFileSync(join(dir, 'tmp'), '{"fontSize": 99}');
  renameSync(join(dir, 'tmp'), file);
  const broken = await next;
  assert.equal(broken.settings.fontSize, 11, 'an invalid value falls back to the default');
  assert.match(broken.problems[0]!.message, /fontSize must be a number from 6 to 72/);
  assert.equal(broken.problems[0]!.file, file);

  next = changeWhere(store, (r) => r.settings.fontSize === 13 && r.problems.length === 0);
  writeFileSync(file, '{"fontSize": 13}');
  assert.equal((await next).settings.fontSize, 13);
  store.close();
  rmSync(dir, { recursive: true });
});

test('an unreadable settings file is a positioned problem, not a crash', () => {
  const dir = tempDir();
  const store = new SettingsStore(dir); // a directory, not a file
  assert.equal(store.current.problems.length, 1);
  assert.match(store.current.problems[0]!.message, /cannot read the settings file \(EISDIR\); using the defaults/);
  store.close();
  rmSync(dir, { recursive: true });
});

const layout = (title: string): SessionLayout => ({
  version: 1,
  activeTab: 0,
  tabs: [{ root: { kind: 'split', direction: 'row', ratio: 0.5, first: { kind: 'terminal', cwd: '/tmp', title, scrollback: 'é\x1b[31mred' }, second: { kind: 'terminal', cwd: null, title: 'b', scrollback: '' } } }],
});

test('sessions round-trip through session.json; the last of several quick saves wins; no temp files remain', async () => {
  const dir = tempDir();
  const store = new SessionStore(join(dir, 'session.json'));
  assert.deepEqual(await store.load(), { session: null, problem: null });
  await Promise.all([store.save(layout('one')), store.save(layout('two')), store.save(layout('three'))]);
  assert.deepEqual((await store.load()).session, layout('three'));
  assert.deepEqual(readdirSync(dir), ['session.json']);
  rmSync(dir, { recursive: true });
});

test('a corrupt session file is reported and ignored, and left for the user to inspect', async () => {
  const dir = tempDir();
  const file = join(dir, 'session.json');
  writeFileSync(file, '{"version": 1, "tabs": [');
  const loaded = await new SessionStore(file).load();
  assert.equal(loaded.session, null);
  assert.match(loaded.problem!, /is not a saved session .*; starting with a fresh window/);
  assert.equal(readFileSync(file, 'utf8'), '{"version": 1, "tabs": [');
  rmSync(dir, { recursive: true });
});

test('an atomic write that cannot happen leaves the old file intact', async () => {
  const dir = tempDir();
  const file = join(dir, 'session.json');
  writeFileSync(file, 'old');
  // Renaming a file over a non-empty directory fails.
  mkdirSync(join(dir, 'blocked'));
  writeFileSync(join(dir, 'blocked', 'x'), '');
  await assert.rejects(writeFileAtomic(join(dir, 'blocked'), 'new'), /EISDIR|ENOTEMPTY|EEXIST|EPERM/);
  assert.equal(readFileSync(file, 'utf8'), 'old');
  assert.deepEqual(readdirSync(dir).sort(), ['blocked', 'session.json'], 'the temp file is cleaned up');
  rmSync(dir, { recursive: true });
});
