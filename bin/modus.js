#!/usr/bin/env node
// The CLI entry: compiled code lives in dist/ (built by `npm ci` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'main', 'host', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write(`modus: ${entry} is missing; run \`npm run build\` in ${root} first.\n`);
  process.exit(2);
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
