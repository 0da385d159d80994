#!/usr/bin/env node
// Runs the compiled test files with node's own test runner, one invocation so
// there is one summary. `node scripts/test.js [unit|integration|e2e|FILTER...]`.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(import.meta.dirname, '..');
const testRoot = join(root, 'dist', 'test');
if (!existsSync(testRoot)) {
  console.error('dist/test is missing: run `npm run build` first.');
  process.exit(2);
}

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = walk(testRoot)
  .filter((f) => filters.length === 0 || filters.some((s) => relative(testRoot, f).includes(s)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ') || '(all)'}`);
  process.exit(2);
}
const args = ['--test', '--test-concurrency=2', '--test-timeout=300000', ...files];
const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
