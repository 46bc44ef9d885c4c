#!/usr/bin/env node
// Runs the benchmarks: every bench/*.bench.ts, one process each, under
// NODE_ENV=production. `npm run bench -- <name>` runs those whose file name
// contains <name>. Benchmarks are not tests: a MISS is printed, not fatal;
// only a benchmark that crashes makes this exit non-zero.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(DIR, '..');
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));

const all = fs.readdirSync(DIR).filter((f) => f.endsWith('.bench.ts')).sort();
const chosen = all.filter((f) => !filters.length || filters.some((x) => f.includes(x)));

if (!all.length) {
  console.log('No benchmarks yet: add bench/<name>.bench.ts files (see shared/benchmarks.md).');
  process.exit(0);
}
if (!chosen.length) {
  console.log(`No benchmark matches ${filters.map((f) => `"${f}"`).join(', ')}. Available: ${all.map((f) => f.replace(/\.bench\.ts$/, '')).join(', ')}`);
  process.exit(1);
}

const crashed = [];
for (const file of chosen) {
  const name = file.replace(/\.bench\.ts$/, '');
  console.log(`\n=== ${name}`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(DIR, file)], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    crashed.push(name);
    console.log(`=== ${name}: exited with ${r.status ?? r.signal} after ${secs}s`);
  } else {
    console.log(`=== ${name}: done in ${secs}s`);
  }
}

console.log(`\n${chosen.length - crashed.length} of ${chosen.length} benchmark(s) ran${crashed.length ? `; crashed: ${crashed.join(', ')}` : ''}.`);
process.exit(crashed.length ? 1 : 0);
