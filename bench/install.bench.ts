/**
 * `npm run bench -- install`: what a new user pays. Packs this checkout, installs the tarball into the end-to-end
 * test's Supabase-style project (scripts/e2e-pack.mjs, which also requires the right findings), and prints the
 * installed size with and without optional dependencies and the cold `check` time against the same process's
 * `--version` (the baseline, measured in the same run).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const script = path.resolve(import.meta.dirname, '../scripts/e2e-pack.mjs');
const r = spawnSync(process.execPath, [script, '--bench'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
