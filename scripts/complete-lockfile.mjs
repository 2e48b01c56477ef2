#!/usr/bin/env node
/**
 * The npm registry reachable from dbcanon's build machines serves only the Linux builds of packages that ship
 * one binary package per platform (Biome, Squawk). `npm install` then leaves the other platforms' optional
 * packages out of package-lock.json, and `npm ci` refuses the lock file ("Missing: … from lock file").
 *
 * This script adds the missing entries the way a full registry would record them — optional, and gated by
 * `os`/`cpu`/`libc` — so `npm ci` skips them on every machine they do not fit. Run it from the project root after `npm install`
 * changes the lock file: `node scripts/complete-lockfile.mjs`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const file = path.resolve(process.argv[2] ?? '.', 'package-lock.json');
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;

const platformOf = (name) => {
  const m = /[-/](darwin|linux|win32|android|freebsd)-(x64|arm64|ia32|arm)(-musl)?$/.exec(name);
  if (!m) return null;
  const entry = { os: [m[1]], cpu: [m[2]] };
  if (m[1] === 'linux') entry.libc = [m[3] ? 'musl' : 'glibc'];
  return entry;
};

let added = 0;
for (const [path, pkg] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const base = path === '' ? '' : `${path}/`;
    const key = `${base}node_modules/${dep}`;
    const hoisted = `node_modules/${dep}`;
    if (packages[key] || packages[hoisted]) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    packages[hoisted] = { version, ...platform, optional: true };
    added++;
  }
}
const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
lock.packages = sorted;
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`package-lock.json: ${added} platform entr${added === 1 ? 'y' : 'ies'} added\n`);
