// Which renderer a terminal draws with, in headless Chromium through the real
// `modus serve`. Here WebGL exists but is rasterised in software by
// SwiftShader, so "auto" (the default) must pick the DOM renderer and say why;
// switching gpuAcceleration in settings.json moves open panes to WebGL and
// back, live, without losing what they show.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shareModusPage, inspect, run, waitForBuffer, waitForInspect } from '../helpers/browser.js';

const shared = shareModusPage();

/** Canvases xterm's WebGL renderer draws into (the DOM renderer has rows of spans and none of these). */
function webglCanvases(): Promise<number> {
  return shared.page.locator('.tab-content:not([hidden]) .pane .xterm-screen canvas').count();
}

test('"auto" on software WebGL (SwiftShader) draws with the DOM renderer and says why', async () => {
  const choice = await inspect(shared.page, 'rendererChoice');
  assert.match(choice.device ?? '', /SwiftShader/i, 'this Chromium rasterises WebGL in software');
  assert.equal(choice.renderer, 'dom');
  assert.match(choice.reason, /rasterised in software .*SwiftShader/);
  const [pane] = await inspect(shared.page, 'panes');
  assert.equal(pane!.renderer, 'dom');
  await run(shared.page, 'echo dom-$((6*7))');
  await waitForBuffer(shared.page, /^dom-42$/m);
  // The buffer holds the text before the next frame draws it: wait for the frame, then count.
  const drawn = shared.page.locator('.tab-content:not([hidden]) .pane .xterm-rows').getByText('dom-42', { exact: true });
  await drawn.first().waitFor({ timeout: 15_000 });
  assert.equal(await drawn.count(), 1, 'the text is in the DOM rows');
  assert.ok(shared.console.some((l) => /DOM renderer: WebGL is rasterised in software/.test(l)), `the choice is logged: ${shared.console.join(' | ')}`);
});

test('gpuAcceleration "on" moves the open pane to WebGL live; "off" moves it back; the text stays', async () => {
  const settingsFile = join(shared.server.configDir, 'settings.json');
  writeFileSync(settingsFile, JSON.stringify({ gpuAcceleration: 'on' }));
  await waitForInspect(shared.page, 'panes', (p) => p[0]!.renderer === 'webgl', 'the pane to switch to WebGL');
  assert.ok((await webglCanvases()) > 0, 'WebGL draws into a canvas');
  await run(shared.page, 'echo gl-$((6*7))');
  await waitForBuffer(shared.page, /^dom-42$[\s\S]*^gl-42$/m);

  // A new tab follows the setting too.
  await shared.page.keyboard.press('Control+Shift+T');
  await waitForInspect(shared.page, 'tabTitles', (titles) => titles.length === 2, 'a second tab');
  await waitForInspect(shared.page, 'panes', (p) => p.length === 1 && p[0]!.renderer === 'webgl', 'the new tab on WebGL');
  await shared.page.keyboard.press('Control+Shift+W');
  await waitForInspect(shared.page, 'tabTitles', (titles) => titles.length === 1, 'the second tab to close');

  writeFileSync(settingsFile, JSON.stringify({ gpuAcceleration: 'off' }));
  await waitForInspect(shared.page, 'panes', (p) => p[0]!.renderer === 'dom', 'the pane to switch back to the DOM renderer');
  assert.equal(await webglCanvases(), 0, 'no WebGL canvas is left behind');
  const rows = shared.page.locator('.tab-content:not([hidden]) .pane .xterm-rows');
  const redrawn = rows.getByText('gl-42', { exact: true });
  await redrawn.first().waitFor({ timeout: 15_000 });
  assert.equal(await redrawn.count(), 1, 'what WebGL drew is drawn again by the DOM renderer');
  assert.equal((await inspect(shared.page, 'rendererChoice')).reason, 'gpuAcceleration is "off"');
  writeFileSync(settingsFile, '{}\n');
  await waitForInspect(shared.page, 'rendererChoice', (c) => c.reason.includes('software'), 'back to "auto"');
});
