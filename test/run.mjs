#!/usr/bin/env node
// Runs the whole suite with Node's test runner: on SQLite always, then again
// on Postgres when TEST_DATABASE_URL is set. Usage: node test/run.mjs [filter…]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOTS = ['src', 'installer', 'test', 'migrations'];
const filters = process.argv.slice(2);

function find(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'node_modules') find(p, out); }
    else if (e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = ROOTS.flatMap((r) => find(r)).sort().filter((f) => !filters.length || filters.some((x) => f.includes(x)));
if (!files.length) {
  console.error('No test files matched.');
  process.exit(1);
}

const engines = ['sqlite'];
if (process.env.TEST_DATABASE_URL) engines.push('postgres');
const concurrency = process.env.TEST_CONCURRENCY ?? '2';

let failed = false;
for (const engine of engines) {
  console.log(`\n=== ${files.length} test files on ${engine} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'test', CHATFLOW_TEST_DB: engine },
  });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
