// The browser page's connection to `modus serve`: the WebSocket is read in a
// worker (renderer/src/transport/socket-worker.ts says why), and where no
// worker can start the page reads it itself and works the same. Headless
// Chromium, the real server.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startServe, launchChromium, openModus, inspect, run, waitForBuffer, waitForInspect, waitForPrompt, type ModusServer } from '../helpers/browser.js';

let server: ModusServer;
let browser: Browser;

before(async () => {
  server = await startServe();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** 300,000 numbered lines: 2.3 MB through the pty (CR LF), more than one batch, so several binary frames cross. */
const BIG_OUTPUT = 'seq 1 300000';
const BIG_OUTPUT_BYTES = 1_988_895 + 300_000;

/**
 * Runs BIG_OUTPUT and checks that all of it arrived and was parsed. The
 * tests share one server, so a page may open with the last test's session
 * restored, scrollback and all: the end is a marker of this run (printf
 * prints it; the echoed command line does not hold it), and the bytes are
 * counted from before the command.
 */
async function bigOutputArrives(page: Parameters<typeof run>[0]): Promise<void> {
  await waitForPrompt(page);
  const [before] = await inspect(page, 'panes');
  const marker = Math.random().toString(36).slice(2, 10);
  await run(page, `${BIG_OUTPUT}; printf 'END-%s\\n' ${marker}`);
  await waitForBuffer(page, new RegExp(`^299999\\n300000\\nEND-${marker}$`, 'm'), 30_000);
  await waitForPrompt(page);
  // Everything received is parsed and acknowledged (xterm calls back once its parser is through).
  const [pane] = await waitForInspect(page, 'panes', (p) => p[0]!.ackedBytes === p[0]!.receivedBytes, 'everything received to be acknowledged');
  const received = pane!.receivedBytes - before!.receivedBytes;
  assert.ok(received > BIG_OUTPUT_BYTES, `received ${received} bytes for the command, the output alone is ${BIG_OUTPUT_BYTES}`);
}

test('the page reads its socket in a worker; typing and a 2.3 MB output go through it', async () => {
  const { page, console, context } = await openModus(browser, server);
  try {
    assert.equal(await inspect(page, 'transportRoute'), 'websocket in a worker');
    await bigOutputArrives(page);
    assert.deepEqual(console.filter((l) => l.startsWith('pageerror') || l.includes('socket worker')), []);
  } finally {
    await context.close();
  }
});

const noWorkerCases: { name: string; initScript: () => void; why: RegExp }[] = [
  {
    name: 'a browser without Worker',
    initScript: () => {
      (globalThis as unknown as { Worker?: unknown }).Worker = undefined;
    },
    why: /this browser has no Worker/,
  },
  {
    name: 'a worker script that does not load',
    initScript: () => {
      // Every worker the page starts asks for a script the server does not have (404).
      const g = globalThis as unknown as { Worker: new (url: string | URL, options?: object) => object };
      const Native = g.Worker;
      g.Worker = class extends Native {
        constructor(_url: string | URL, options?: object) {
          super('./no-such-worker.js', options);
        }
      };
    },
    why: /socket worker could not start/,
  },
];

for (const { name, initScript, why } of noWorkerCases) {
  test(`with ${name}, the page reads the socket on its main thread, says so in the console, and works the same`, async () => {
    const { page, console, context } = await openModus(browser, server, undefined, initScript);
    try {
      assert.equal(await inspect(page, 'transportRoute'), 'websocket on the main thread');
      assert.ok(console.some((l) => l.startsWith('warning:') && why.test(l) && /main thread/.test(l)), `a console warning says why: ${console.join('\n')}`);
      await bigOutputArrives(page);
      assert.deepEqual(console.filter((l) => l.startsWith('pageerror')), []);
    } finally {
      await context.close();
    }
  });
}

test('when modus serve stops, the page says the connection is lost and what to do', async () => {
  const own = await startServe();
  const { page, context } = await openModus(browser, own);
  try {
    assert.equal(await inspect(page, 'transportRoute'), 'websocket in a worker');
    await own.stop();
    const banner = page.locator('#banners', { hasText: 'Disconnected from the Modus host' });
    await banner.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await banner.innerText(), /Restart `modus serve` and reload this page/);
  } finally {
    await context.close();
    await own.stop();
  }
});
