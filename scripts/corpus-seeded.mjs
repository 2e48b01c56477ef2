#!/usr/bin/env node
/**
 * Seeded copies: proof for rules that find too little on the corpus to be judged by a sample. For each recipe it
 * copies a set-up corpus repository (one unpacked by `npm run corpus -- --keep`), plants ten true cases of one
 * rule, runs `dbcanon check --format json` on the copy and on an untouched copy, and reports how many of the ten
 * the rule found and what else is new. A rule passes when it finds all ten and nothing else is new.
 * See docs/corpus.md.
 *
 *   node scripts/corpus-seeded.mjs --dir /tmp/dbcanon-corpus-XXXX/vitana-platform [--rule ID]... [--keep]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'dbcanon.js');
const COUNT = 10;

function usage(message) {
  if (message) console.error(`corpus-seeded: ${message}`);
  console.error('usage: node scripts/corpus-seeded.mjs --dir SET_UP_REPO_DIR [--rule ID]... [--keep]');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { dir: null, rules: [], keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dir') o.dir = argv[++i];
    else if (a === '--rule') o.rules.push(argv[++i]);
    else if (a === '--keep') o.keep = true;
    else if (a === '--help' || a === '-h') usage();
    else usage(`unknown option ${a}`);
  }
  if (!o.dir) usage('--dir is required');
  if (!existsSync(path.join(o.dir, 'dbcanon.config.json'))) usage(`${o.dir} has no dbcanon.config.json`);
  return o;
}

// ---- what a repository holds ----------------------------------------------------------------------------

const readConfig = (dir) => JSON.parse(readFileSync(path.join(dir, 'dbcanon.config.json'), 'utf8'));

function sqlFiles(dir, config) {
  const out = [];
  for (const folder of config.migrations ?? ['migrations']) {
    const abs = path.join(dir, folder);
    if (!existsSync(abs)) continue;
    for (const name of readdirSync(abs).sort()) if (name.endsWith('.sql')) out.push(path.join(abs, name));
  }
  return out;
}

/** Names the migrations create (tables, functions), read with a regular expression: enough to pick from. */
function created(dir, config, kind) {
  const re =
    kind === 'table'
      ? /create\s+table\s+(?:if\s+not\s+exists\s+)?(?:public\.)?"?([a-z_][a-z0-9_]*)"?\s*\(/gi
      : /create\s+(?:or\s+replace\s+)?function\s+(?:public\.)?"?([a-z_][a-z0-9_]*)"?\s*\(/gi;
  const names = new Set();
  for (const f of sqlFiles(dir, config))
    for (const m of readFileSync(f, 'utf8').matchAll(re)) names.add(m[1].toLowerCase());
  return [...names].sort();
}

/** A one-letter slip (a doubled letter dropped, else the second-to-last letter dropped) no known name has. */
function misspell(name, known) {
  const candidates = [];
  for (let i = 1; i < name.length; i++)
    if (name[i] === name[i - 1]) candidates.push(name.slice(0, i) + name.slice(i + 1));
  candidates.push(name.slice(0, -2) + name.slice(-1));
  return candidates.find((c) => !known.has(c) && /[a-z]$/.test(c));
}

/** Ten names of at least ten characters (long enough for a one-letter slip to be a clear misspelling). */
function pickTen(names) {
  const long = names.filter((n) => n.length >= 10);
  const step = Math.max(1, Math.floor(long.length / COUNT));
  return long.filter((_, i) => i % step === 0).slice(0, COUNT);
}

/** The folder of the code include's first `dir/**` pattern, where a new TypeScript file is scanned. */
function codeDir(config) {
  for (const p of config.code?.include ?? ['src/**/*.ts']) {
    const m = /^([^*]+)\/\*\*/.exec(p);
    if (m) return m[1];
  }
  return null;
}

function lastMigration(dir, config) {
  const files = sqlFiles(dir, config).filter((f) => /^\d+_/.test(path.basename(f)));
  return files[files.length - 1];
}

/** A migration name that sorts after every existing one, in the first migrations folder. */
function nextMigration(dir, config, i, slug) {
  const last = path.basename(lastMigration(dir, config));
  const prefix = /^\d+/.exec(last)[0];
  const next = (BigInt(prefix.padEnd(14, '0')) + BigInt(100 + i)).toString();
  return path.join(config.migrations[0], `${next}_dbcanon_seeded_${slug}_${i}.sql`);
}

// ---- recipes: each plants COUNT true cases and returns where they are ------------------------------------

/** A new TypeScript file under the first code folder, one planted line each; the places planted (or none). */
function plantCode(dir, config, lines) {
  const folder = codeDir(config);
  if (!folder || lines.length === 0) return [];
  const file = `${folder}/dbcanon-seeded.ts`;
  const header = [
    "import { createClient } from '@supabase/supabase-js';",
    "const supabase = createClient('u', 'k');",
    '',
  ];
  writeFileSync(path.join(dir, file), `${[...header, ...lines, ''].join('\n')}`);
  return lines.map((_, i) => ({ file, line: header.length + 1 + i }));
}

/** A new last migration, one planted statement a line; the places planted. */
function plantMigration(dir, config, slug, lines) {
  const file = nextMigration(dir, config, 0, slug);
  writeFileSync(path.join(dir, file), `${lines.join('\n')}\n`);
  return lines.map((_, i) => ({ file, line: i + 1 }));
}

const ten = (line) => Array.from({ length: COUNT }, (_, i) => line(i));

/** One-letter slips of ten names the migrations create (tables or functions). */
function slips(dir, config, kind) {
  const known = new Set(created(dir, config, kind));
  return pickTen([...known])
    .map((n) => misspell(n, known))
    .filter(Boolean);
}

const RECIPES = {
  'code-unknown-table': (dir, config) =>
    plantCode(
      dir,
      config,
      slips(dir, config, 'table').map((s) => `export const q${s} = supabase.from('${s}').select('*');`),
    ),
  'code-unknown-function': (dir, config) =>
    plantCode(
      dir,
      config,
      slips(dir, config, 'function').map((s) => `export const r${s} = supabase.rpc('${s}');`),
    ),
  'code-table-case': (dir, config) => {
    const pascal = (n) => n.replace(/(^|_)([a-z0-9])/g, (_, __, c) => c.toUpperCase());
    return plantCode(
      dir,
      config,
      pickTen(created(dir, config, 'table').filter((n) => n.includes('_'))).map(
        (n) => `export const c${n} = supabase.from('${pascal(n)}').select('*');`,
      ),
    );
  },
  'code-unknown-bucket': (dir, config) => {
    // Misspellings of buckets the migrations make (insert into storage.buckets … values ('id', …)).
    const ids = new Set();
    for (const f of sqlFiles(dir, config)) {
      for (const m of readFileSync(f, 'utf8').matchAll(
        /insert\s+into\s+storage\.buckets[^;]*?values\s*\(\s*'([^']+)'/gi,
      ))
        ids.add(m[1]);
    }
    const slipped = new Set();
    for (const id of ids) {
      for (let i = 1; i < id.length - 1 && slipped.size < COUNT; i++) {
        const slip = id.slice(0, i) + id.slice(i + 1);
        if (
          !ids.has(slip) &&
          id.length >= 6 &&
          [...slipped].filter((s) => s.startsWith(id.slice(0, 3))).length < 2
        )
          slipped.add(slip);
      }
    }
    return plantCode(
      dir,
      config,
      [...slipped]
        .slice(0, COUNT)
        .map((n, i) => `export const b${i} = supabase.storage.from('${n}').list();`),
    );
  },
  'migration-external-table': (dir, config) =>
    plantMigration(
      dir,
      config,
      'external',
      ten((i) => `alter table public.made_elsewhere_${i} add column note text;`),
    ),
  'migration-syntax': (dir, config) =>
    ten((i) => {
      const file = nextMigration(dir, config, i, 'syntax');
      writeFileSync(path.join(dir, file), `create tabel seeded_syntax_${i} (id int);\n`);
      return { file, line: 1 };
    }),
  'migration-name': (dir, config) =>
    // Names the runner passes over (no numeric version before the first `_`).
    ten((i) => {
      const file = path.join(config.migrations[0], `seeded-${i}-no-version.sql`);
      writeFileSync(path.join(dir, file), `select ${i};\n`);
      return { file, line: 1 };
    }),
  // Ten new tables in a schema the API exposes, without row-level security (the rule judges exposed projects).
  // New tables are also undocumented: true findings of another rule, at the same places.
  'rls-enabled': (dir, config) =>
    Object.assign(
      plantMigration(
        dir,
        config,
        'no_rls',
        ten((i) => `create table public.seeded_open_${i} (id bigint primary key);`),
      ),
      { alsoExpected: ['drift-undocumented-table'] },
    ),
  'security-definer-search-path': (dir, config) =>
    plantMigration(
      dir,
      config,
      'definer',
      ten(
        (i) =>
          `create function public.seeded_definer_${i}() returns int language sql security definer as $$ select ${i} $$;`,
      ),
    ),
  'doc-changelog': (dir, config) => {
    const doc = path.join(dir, config.doc ?? 'DATABASE_SCHEMA.md');
    if (!existsSync(doc)) return [];
    const lines = readFileSync(doc, 'utf8').split('\n');
    const heading = lines.findIndex((l) => /^#+ .*change\s*log/i.test(l));
    if (heading < 0) return [];
    let last = heading;
    for (let i = heading + 1; i < lines.length && !/^#/.test(lines[i]); i++)
      if (/^\|\s*\d{4}-\d{2}-\d{2}/.test(lines[i])) last = i;
    if (last === heading) return [];
    const rows = Array.from(
      { length: COUNT },
      (_, i) => `| 2001-01-${String(i + 1).padStart(2, '0')} | Seeded row out of order | seed | - |`,
    );
    lines.splice(last + 1, 0, ...rows);
    writeFileSync(doc, lines.join('\n'));
    const file = config.doc ?? 'DATABASE_SCHEMA.md';
    // Rows inserted in the middle move every later line of the document down.
    return Object.assign(
      rows.map((_, i) => ({ file, line: last + 2 + i })),
      { shift: { file, after: last + 1, by: COUNT } },
    );
  },
};

// ---- running ------------------------------------------------------------------------------------------

function check(dir) {
  const r = spawnSync(process.execPath, [BIN, 'check', '--format', 'json'], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`dbcanon check exited ${r.status} in ${dir}: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout).findings;
}

const key = (f) => `${f.rule} ${f.file}:${f.line}`;

function main() {
  const o = parseArgs(process.argv.slice(2));
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-seeded-'));
  const base = path.join(scratch, 'base');
  cpSync(o.dir, base, { recursive: true });
  rmSync(path.join(base, '.dbcanon'), { recursive: true, force: true });
  const config = readConfig(base);
  console.log(`seeded copies of ${o.dir} (${COUNT} planted cases per rule)`);
  const before = new Set(check(base).map(key));
  let failed = 0;
  for (const [rule, plant] of Object.entries(RECIPES)) {
    if (o.rules.length && !o.rules.includes(rule)) continue;
    const copy = path.join(scratch, rule);
    cpSync(base, copy, { recursive: true });
    const planted = plant(copy, config);
    if (planted.length === 0) {
      console.log(`  ${rule.padEnd(26)} not applicable here (nothing to plant in)`);
      continue;
    }
    const { shift } = planted;
    const unshifted = (f) =>
      shift && f.file === shift.file && f.line > shift.after + shift.by
        ? { ...f, line: f.line - shift.by }
        : f;
    const found = check(copy).filter((f) => !before.has(key(unshifted(f))));
    const hit = planted.filter((p) =>
      found.some((f) => f.rule === rule && f.file === p.file && f.line === p.line),
    );
    // Other rules' findings a recipe declares as true side effects (a new table is also undocumented) count too.
    const expectedRules = new Set([rule, ...(planted.alsoExpected ?? [])]);
    const other = found.filter(
      (f) => !(expectedRules.has(f.rule) && planted.some((p) => p.file === f.file && p.line === f.line)),
    );
    const ok = hit.length === planted.length && other.length === 0;
    if (!ok) failed++;
    console.log(
      `  ${rule.padEnd(26)} planted ${planted.length}, found ${hit.length}, other new ${other.length}  ${ok ? 'ok' : 'FAIL'}`,
    );
    for (const p of planted.filter((x) => !hit.includes(x))) console.log(`      missed ${p.file}:${p.line}`);
    for (const f of other.slice(0, 10)) console.log(`      new ${key(f)} — ${f.message.slice(0, 120)}`);
  }
  if (o.keep) console.log(`kept ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
  process.exitCode = failed ? 1 : 0;
}

main();
