#!/usr/bin/env node
/**
 * End to end, as a new user meets dbcanon: pack this checkout, install the tarball from the registry's point of
 * view into a fresh Supabase-style project (a key to auth.users, a storage policy, a misspelt `.from()`), run
 * `npx dbcanon init` then `npx dbcanon check`, and require exactly one error: the misspelling, with its
 * suggestion. Then runs the check step of action.yml (the GitHub Action) in that project, both ways: SARIF for
 * code scanning, and annotations. Prints the installed size and the check's time. Run by .ci/run; exit 1 when a
 * result differs.
 *
 * With `--bench` (as `npm run bench -- install` runs it) it also measures: the installed size without optional
 * dependencies (embedded Postgres), the first `check` (no cache yet) and the median of 5 more processes (with the
 * cache the first wrote) against `dbcanon --version`, the baseline of the same process start, in the same run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const BENCH = process.argv.includes('--bench');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-e2e-'));
const app = path.join(work, 'app');

function write(file, text) {
  mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
  writeFileSync(path.join(app, file), text);
}

function size(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += size(p);
    else if (e.isFile()) total += statSync(p).size;
  }
  return total;
}

/** The shell script of action.yml's `check` step (its `run: |` block). */
function actionScript() {
  const text = readFileSync(path.join(ROOT, 'action.yml'), 'utf8');
  const step = text.slice(text.indexOf('- id: check'));
  const lines = step.slice(step.indexOf('run: |') + 'run: |'.length + 1).split('\n');
  const body = [];
  for (const line of lines) {
    if (line.trim() !== '' && !line.startsWith('        ')) break;
    body.push(line.slice(8));
  }
  return body.join('\n');
}

/** Runs the action's check step in the app as a GitHub runner would; returns its outputs and stdout. */
function runAction(upload) {
  const temp = mkdtempSync(path.join(work, 'runner-'));
  const output = path.join(temp, 'output');
  writeFileSync(output, '');
  const r = spawnSync('bash', ['-e', '-c', actionScript()], {
    cwd: app,
    encoding: 'utf8',
    env: {
      ...process.env,
      RUNNER_TEMP: temp,
      GITHUB_OUTPUT: output,
      DBCANON_VERSION: 'latest',
      DBCANON_ARGS: '',
      DBCANON_UPLOAD: String(upload),
    },
  });
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, outputs };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Seconds of `npx dbcanon ARGS` in the app, median of `n` fresh processes. */
function timed(args, n = 5) {
  const runs = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    spawnSync(path.join(app, 'node_modules/.bin/dbcanon'), args, { cwd: app, encoding: 'utf8' });
    runs.push((performance.now() - start) / 1000);
  }
  return median(runs);
}

function bench(tarballPath, installed, first) {
  const check = timed(['check', '--format', 'json']);
  const version = timed(['--version']);
  const lean = path.join(work, 'lean');
  mkdirSync(lean);
  writeFileSync(path.join(lean, 'package.json'), '{ "name": "lean", "version": "1.0.0", "private": true }\n');
  execFileSync('npm', ['install', '--omit=optional', '--no-audit', '--no-fund', '--silent', tarballPath], {
    cwd: lean,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const leanSize = size(path.join(lean, 'node_modules'));
  const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
  console.log('install & first check (the e2e project: 1 migration, 1 TypeScript file)');
  console.log(`  installed, with optional dependencies   ${mb(installed)}`);
  console.log(
    `  installed, --omit=optional              ${mb(leanSize)}  (ratio ${(leanSize / installed).toFixed(2)})`,
  );
  console.log(`  dbcanon --version (baseline), median 5   ${version.toFixed(3)} s`);
  const row = (label, t) =>
    console.log(`  ${label.padEnd(40)}${t.toFixed(3)} s  (ratio ${(t / version).toFixed(2)})`);
  row('dbcanon check, first run (no cache)', first);
  row('dbcanon check, new process, median 5', check);
}

function fail(message) {
  console.error(`e2e: ${message}`);
  process.exitCode = 1;
}

try {
  execFileSync('npm', ['pack', '--silent', '--pack-destination', work], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  write('package.json', '{ "name": "e2e-app", "version": "1.0.0", "private": true, "type": "module" }\n');
  write('supabase/config.toml', 'project_id = "e2e"\n');
  write(
    'supabase/migrations/20240101000000_profiles.sql',
    `create table public.profiles (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users(id) on delete cascade,
  avatar_path text
);
create index profiles_user_id_idx on public.profiles (user_id);
alter table public.profiles enable row level security;
create policy "Users read their own profile" on public.profiles for select to authenticated
  using (user_id = auth.uid());
create policy "Users upload their own avatar" on storage.objects for insert to authenticated
  with check (bucket_id = 'avatars' and auth.uid()::text = (storage.foldername(name))[1]);
`,
  );
  write(
    'src/profile.ts',
    `import { createClient } from '@supabase/supabase-js';
const supabase = createClient('https://example.supabase.co', 'anon');
export const mine = () => supabase.from('profiles').select('*');
export const typo = () => supabase.from('profile').select('*');
`,
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', path.join(work, tarball)], {
    cwd: app,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const installed = size(path.join(app, 'node_modules'));
  // The package is the tool alone: this repository's platform (its SQL, its vtid/events/ledger plugin) stays here.
  const pkg = path.join(app, 'node_modules/dbcanon');
  const shipped = ['migrations', 'schema', 'policies', 'dist/platform'].filter((d) =>
    existsSync(path.join(pkg, d)),
  );
  if (shipped.length > 0) fail(`the package ships this repository's platform: ${shipped.join(', ')}`);
  const help = spawnSync('npx', ['dbcanon', '--help'], { cwd: app, encoding: 'utf8' });
  if (
    help.status !== 0 ||
    /^ {2}(vtid|events|ledger) /m.test(help.stdout) ||
    !/^ {2}check /m.test(help.stdout)
  ) {
    fail(`dbcanon --help from the package (exit ${help.status}):\n${help.stdout}${help.stderr}`);
  }
  const init = spawnSync('npx', ['dbcanon', 'init'], { cwd: app, encoding: 'utf8' });
  if (init.status !== 0) fail(`init exited ${init.status}: ${init.stderr}`);
  const start = performance.now();
  const check = spawnSync('npx', ['dbcanon', 'check', '--format', 'json'], { cwd: app, encoding: 'utf8' });
  const seconds = (performance.now() - start) / 1000;
  const errors = JSON.parse(check.stdout || '{"findings":[]}').findings.filter((f) => f.severity === 'error');
  const got = errors.map((f) => `${f.rule} ${f.file}:${f.line} ${f.suggestion ?? ''}`.trim());
  const want = ['code-unknown-table src/profile.ts:4 profiles'];
  if (check.status !== 1 || JSON.stringify(got) !== JSON.stringify(want)) {
    fail(`check exited ${check.status} with errors ${JSON.stringify(got)}; expected ${JSON.stringify(want)}`);
  }
  const sarifRun = runAction(true);
  const results = sarifRun.outputs.sarif
    ? JSON.parse(readFileSync(sarifRun.outputs.sarif, 'utf8')).runs[0].results.filter(
        (r) => r.level === 'error',
      )
    : [];
  const sarifGot = results.map((r) => `${r.ruleId} ${r.locations[0].physicalLocation.artifactLocation.uri}`);
  if (
    sarifRun.status !== 0 ||
    sarifRun.outputs['exit-code'] !== '1' ||
    JSON.stringify(sarifGot) !== JSON.stringify(['code-unknown-table src/profile.ts'])
  ) {
    fail(
      `action (SARIF): exit ${sarifRun.status}, outputs ${JSON.stringify(sarifRun.outputs)}, errors ${JSON.stringify(sarifGot)}: ${sarifRun.stderr}`,
    );
  }
  const annotated = runAction(false);
  if (
    annotated.outputs['exit-code'] !== '1' ||
    !annotated.stdout.includes('::error file=src/profile.ts,line=4,')
  ) {
    fail(`action (annotations): outputs ${JSON.stringify(annotated.outputs)}, stdout ${annotated.stdout}`);
  }
  if (BENCH) bench(path.join(work, tarball), installed, seconds);
  console.log(
    `e2e: packed ${tarball}, installed ${(installed / 1e6).toFixed(1)} MB (node_modules, optional dependencies ` +
      `included), init then check in ${seconds.toFixed(2)} s: ${process.exitCode ? 'FAILED' : 'exactly the misspelling, with its suggestion; action.yml gives it as SARIF and as an annotation'}`,
  );
} catch (e) {
  fail(e.message);
} finally {
  rmSync(work, { recursive: true, force: true });
}
