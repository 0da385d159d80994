// The lab notebooks of notebooks/ run green against the netns lab with the
// real CLI, each on a copy (the repository keeps them without results), and
// their export reads as a report: every block with its results, every
// verdict pass.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { labAvailable, nftAvailable, startLab, type Lab } from '../../lab/lab.js';
import { REPO, modusDetached, resultsBodies } from '../run/helpers.js';
import { tempDir } from '../../helpers/temp-dir.js';

const skip = labAvailable() ?? nftAvailable();
if (skip) console.log(`skipped: ${skip}`);
let lab: Lab;

before(async () => {
  if (!skip) lab = await startLab({ hosts: 4 });
});
after(async () => {
  await lab?.down();
});


for (const name of ['vxlan-linux.md', 'linux-bridge-isolation.md', 'route-based-vpn.md', 'linux-route-lookup.md']) {
  test(`notebooks/${name} runs green against the lab and exports as a report`, { skip: skip ?? false }, async () => {
    const dir = tempDir('modus-lab-notebook-');
    const nb = join(dir, name);
    await copyFile(join(REPO, 'notebooks', name), nb);
    const r = await modusDetached(['run', nb, '--ssh-config', lab.client.sshConfig, '--inventory', lab.inventory], dir);
    const text = await readFile(nb, 'utf8');
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}\n${text}`);
    const results = resultsBodies(text);
    assert.ok(results.length > 0);
    for (const res of results) assert.match(res.attrs, /:status pass/);
    const html = join(dir, 'report.html');
    const e = await modusDetached(['export', nb, '--html', html], dir);
    assert.equal(e.code, 0, e.stderr);
    const report = await readFile(html, 'utf8');
    assert.match(report, new RegExp(`<span class="total status-pass">${results.length} pass</span>`));
    assert.doesNotMatch(report, /class="badge status-(fail|error|timeout|cancelled)"/);
  });
}
