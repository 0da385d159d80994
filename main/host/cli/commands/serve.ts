// `modus serve`: the Modus UI for a local browser. Prints one line,
// `Modus UI: http://HOST:PORT/?token=TOKEN`, on stdout and serves until
// SIGINT/SIGTERM, then hangs up every shell it started.

import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createHub } from '../../hub.js';
import { isLoopback, urlHost } from '../../web/access.js';
import { startWebHost } from '../../web/server.js';

const HELP = `usage: modus serve [--port N] [--host ADDR] [--open] [NOTEBOOK.md ...]

Serves the Modus UI to a browser on this machine. Prints the address to open
(it carries a one-time access token) and serves until Ctrl-C. Notebooks
named open in tabs of every window, the first one in front.

  --port N     listen on port N (default 0: any free port)
  --host ADDR  listen on ADDR (default 127.0.0.1). Anyone who can reach the
               address and knows the token gets a shell as you.
  --open       also open the address in the default browser
  --no-open    do not open a browser (the default)
`;

interface ServeArgs {
  port: number;
  host: string;
  open: boolean;
  /** Absolute paths of the notebooks to open. */
  notebooks: string[];
}

export function parseServeArgs(argv: string[]): ServeArgs | { error: string } | 'help' {
  const args: ServeArgs = { port: 0, host: '127.0.0.1', open: false, notebooks: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--port': {
        const v = value();
        if (v === undefined || !/^\d+$/.test(v) || Number(v) > 65535) return { error: `--port needs a port number from 0 to 65535, got ${JSON.stringify(v ?? '')}` };
        args.port = Number(v);
        break;
      }
      case '--host': {
        const v = value();
        if (!v) return { error: '--host needs an address, e.g. --host 127.0.0.1' };
        args.host = v;
        break;
      }
      case '--open':
        args.open = true;
        break;
      case '--no-open':
        args.open = false;
        break;
      default:
        if (arg.startsWith('-')) return { error: `unknown option ${JSON.stringify(arg)}` };
        args.notebooks.push(resolve(arg));
    }
  }
  return args;
}

function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', (e) => process.stderr.write(`modus serve: could not open a browser (${e.message}); open the address above yourself\n`));
  child.unref();
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseServeArgs(argv);
  if (parsed === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if ('error' in parsed) {
    process.stderr.write(`modus serve: ${parsed.error}\n\n${HELP}`);
    return 2;
  }
  const hub = createHub({ host: 'web', openNotebooks: parsed.notebooks });
  let web;
  try {
    web = await startWebHost({ hub, port: parsed.port, host: parsed.host });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const hint =
      err.code === 'EADDRINUSE' ? `port ${parsed.port} is in use; choose another with --port, or --port 0 for any free port`
      : err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' ? `${parsed.host} is not an address of this machine`
      : err.code === 'EACCES' ? `not allowed to listen on port ${parsed.port}; use a port above 1023`
      : err.message;
    process.stderr.write(`modus serve: cannot listen on ${urlHost(parsed.host)}:${parsed.port}: ${hint}\n`);
    await hub.close();
    return 1;
  }
  if (!isLoopback(parsed.host)) {
    process.stderr.write(`modus serve: warning: listening on ${parsed.host}, reachable from other machines; the token is the only protection, and it grants a shell as you\n`);
  }
  process.stdout.write(`Modus UI: ${web.url}\n`);
  if (parsed.open) openBrowser(web.url);

  const host = web;
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.stderr.write(`modus serve: ${signal}: closing terminals and stopping\n`);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await host.close();
  await hub.close();
  return 0;
}
