#!/usr/bin/env node
// `npm start`: opens Modus in Electron; where Electron's binary is missing,
// says why and how to get it, then serves the same UI with `modus serve` and
// opens it in the default browser.
//
//   npm start [-- ARGS]      ARGS go to Electron, or to `modus serve` in the fallback
//
// Environment:
//   ELECTRON_OVERRIDE_DIST_PATH=DIR  use the Electron in DIR
//   ELECTRON_SKIP_BINARY_DOWNLOAD=1  do not try to download Electron
//   MODUS_ELECTRON_DOWNLOAD_TIMEOUT_MS=N  give the download N ms (default 60000)
//   MODUS_NO_BROWSER=1               fallback: print the URL, open no browser
//   MODUS_START_EXIT_AFTER_READY=1   fallback: stop the server and exit 0 once its URL is printed (tests)
// With CI=true, or when stdout is not a terminal, no browser is opened either:
// nothing ever waits on a browser. The server runs until Ctrl-C (or SIGTERM).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const env = process.env;
const flag = (name) => env[name] !== undefined && env[name] !== '' && env[name] !== '0' && env[name] !== 'false';

function say(text) {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

// 1. Build once if there is nothing to run.
const electronMain = join(root, 'dist', 'main', 'host', 'electron', 'main.js');
const rendererIndex = join(root, 'dist', 'renderer', 'index.html');
if (!existsSync(electronMain) || !existsSync(rendererIndex) || !existsSync(join(root, 'dist', 'main', 'host', 'cli', 'main.js'))) {
  say('Modus: dist/ is incomplete; building (npm run build)...');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const built = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], shell: process.platform === 'win32' });
  if (built.status !== 0) {
    say('Modus: the build failed (see above); fix it and run `npm start` again.');
    process.exit(built.status ?? 1);
  }
}

const { findElectronBinary, electronMissingHelp } = await import(pathToFileURL(join(root, 'dist', 'main', 'host', 'electron', 'electron-binary.js')).href);

// 2. Find Electron; try the standard download once if it is missing.
let lookup = findElectronBinary(root, env);
let downloadError = null;
if (!lookup.found && !env.ELECTRON_OVERRIDE_DIST_PATH && !flag('ELECTRON_SKIP_BINARY_DOWNLOAD') && existsSync(join(root, 'node_modules', 'electron', 'install.js'))) {
  say(`Modus: ${lookup.reason}; trying to download it once...`);
  const timeout = Number(env.MODUS_ELECTRON_DOWNLOAD_TIMEOUT_MS) || 60_000;
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], { cwd: root, encoding: 'utf8', timeout, env });
  if (r.error?.code === 'ETIMEDOUT') downloadError = `gave up after ${Math.round(timeout / 1000)} s`;
  else if (r.status !== 0) {
    downloadError = firstErrorLine(r.stderr) || `exit status ${r.status}`;
    if (/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT/.test(downloadError)) downloadError += ' (no network access to the download host?)';
  }
  lookup = findElectronBinary(root, env);
}

if (lookup.found) {
  runElectron(lookup.path);
} else {
  say(electronMissingHelp(lookup.reason, downloadError));
  serveInBrowser();
}

function firstErrorLine(stderr) {
  const lines = String(stderr ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  const cause = lines.find((l) => /^(\w*Error|error)\b|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|HTTPError|\b[45]\d\d\b/.test(l));
  return cause ?? lines[0] ?? '';
}

function forwardSignals(child) {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (child.exitCode === null) child.kill(signal);
    });
  }
}

function runElectron(binary) {
  const childEnv = { ...env };
  // Electron obeys this variable by running as plain Node; never inherit it.
  delete childEnv.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, [root, ...args], { cwd: root, stdio: 'inherit', env: childEnv });
  forwardSignals(child);
  child.on('error', (e) => {
    say(`Modus: could not start Electron (${binary}): ${e.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function onPath(command) {
  return (env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
}

/** Opens a URL in the default browser without waiting for it. Returns false when there is no way to. */
function openInBrowser(url) {
  let command;
  let commandArgs;
  if (process.platform === 'darwin') [command, commandArgs] = ['open', [url]];
  else if (process.platform === 'win32') [command, commandArgs] = ['cmd', ['/c', 'start', '""', url]];
  else if (onPath('xdg-open')) [command, commandArgs] = ['xdg-open', [url]];
  else return false;
  const opener = spawn(command, commandArgs, { stdio: 'ignore', detached: true, windowsHide: true });
  opener.on('error', (e) => say(`Modus: could not open a browser (${command}: ${e.message}); open ${url} yourself.`));
  opener.unref();
  return true;
}

function serveInBrowser() {
  const server = spawn(process.execPath, [join(root, 'bin', 'modus.js'), 'serve', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env });
  forwardSignals(server);
  let ready = false;
  let pending = '';
  server.stdout.setEncoding('utf8');
  server.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (ready) return;
    pending += chunk;
    const match = /Modus UI: (https?:\/\/\S+)/.exec(pending);
    if (!match) {
      pending = pending.slice(-4096);
      return;
    }
    ready = true;
    const url = match[1];
    const headless = flag('CI') || !process.stdout.isTTY;
    if (flag('MODUS_NO_BROWSER') || headless) {
      say(`Modus: not opening a browser (${flag('MODUS_NO_BROWSER') ? 'MODUS_NO_BROWSER is set' : flag('CI') ? 'CI is set' : 'stdout is not a terminal'}); open ${url}`);
    } else if (!openInBrowser(url)) {
      say(`Modus: no way to open a browser here (no xdg-open); open ${url} yourself.`);
    }
    if (flag('MODUS_START_EXIT_AFTER_READY')) server.kill('SIGTERM');
  });
  server.on('error', (e) => {
    say(`Modus: could not start \`modus serve\`: ${e.message}`);
    process.exit(1);
  });
  server.on('exit', (code, signal) => {
    if (ready && flag('MODUS_START_EXIT_AFTER_READY')) process.exit(0);
    if (!ready) say(`Modus: \`modus serve\` stopped before printing its URL (${signal ?? `exit ${code}`}).`);
    process.exit(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1));
  });
}
