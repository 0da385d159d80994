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

test('notebooks/vxlan-linux.md fails when a host is left off the overlay: every peer must answer, every peer must be flooded to and learned', { skip: skip ?? false }, async () => {
  const dir = tempDir('modus-lab-notebook-');
  const nb = join(dir, 'vxlan-linux.md');
  await copyFile(join(REPO, 'notebooks', 'vxlan-linux.md'), nb);
  // h2's underlay address left out: h2 is not on the overlay, h4 still is.
  const r = await modusDetached(['run', nb, '--ssh-config', lab.client.sshConfig, '--inventory', lab.inventory, '--var', 'peers=198.51.100.1 198.51.100.4', '--keep-going'], dir);
  const text = await readFile(nb, 'utf8');
  assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}\n${text}`);
  const results = new Map(resultsBodies(text).map((res, i) => [`${blockOf(text, i)} ${/:host (\S+)/.exec(res.attrs)![1]}`, res]));
  for (const host of ['h1', 'h2', 'h4']) assert.match(results.get(`flood ${host}`)!.attrs, /:status fail/, `flood on ${host}`);
  assert.match(results.get('flood h2')!.body, /^h2 \(198\.51\.100\.2\) is not in peers/);
  const ping = results.get('ping h1')!;
  assert.match(ping.attrs, /:exit 1 :status fail/);
  assert.match(ping.body, /2001:db8:a::2 ping statistics ---\n3 packets transmitted, 0 received/);
  assert.doesNotMatch(ping.body, /PING 2001:db8:a::4/, 'the block stopped at the first peer that did not answer');
  assert.match(results.get('learned h1')!.attrs, /:status fail/);
  assert.match(results.get('teardown h2')!.attrs, /:status pass/, 'the clean-up still ran');
});

/** The :name of the code block that the i-th results block of `text` belongs to. */
function blockOf(text: string, i: number): string {
  let seen = -1;
  let name = '';
  for (const line of text.split('\n')) {
    const code = /^```(?!results)\S+ .*:name (\S+)/.exec(line);
    if (code) name = code[1]!;
    else if (line.startsWith('```results ') && ++seen === i) return name;
  }
  return '';
}
