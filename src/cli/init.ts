/**
 * `dbcanon init`: a config with only what detection would not find, and, when the project has none, a canonical
 * schema document generated from its migrations (entries in dependency order, "Used by" from the code). An
 * existing config or document is never touched; running it twice changes nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultConfig, withDetectedMigrations } from '../config/defaults.js';
import { CONFIG_FILE, findProject } from '../config/find.js';
import { CONFIG_SCHEMA_REF } from '../config/json-schema.js';
import type { DbcanonConfig } from '../config/schema.js';
import { DbcanonError } from '../errors.js';
import { parseCommandArgs } from './args.js';
import type { CliIo } from './io.js';

const HELP = `Usage: dbcanon init

Writes dbcanon.config.json with what detection would not find (the code's folders, a migrations folder other
than migrations/ or supabase/migrations), and DATABASE_SCHEMA.md generated from the migrations when the project
has no document. Neither file is touched when it exists. Then run \`dbcanon check\`.
`;

/** Folders that hold no application code of the project's own. */
const NOT_CODE = new Set([
  'node_modules',
  'dist',
  'build',
  'out',
  'coverage',
  '.git',
  '.next',
  'supabase',
  'migrations',
]);

function hasTypeScript(dir: string, depth: number): boolean {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const e of entries) {
    if (e.isFile() && /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts')) return true;
  }
  if (depth === 0) return false;
  return entries.some(
    (e) =>
      e.isDirectory() &&
      !e.name.startsWith('.') &&
      !NOT_CODE.has(e.name) &&
      hasTypeScript(path.join(dir, e.name), depth - 1),
  );
}

/** The top-level folders holding TypeScript, as include globs; the default's when that is what the project has. */
export function detectCodeInclude(root: string): string[] | null {
  const dirs = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !NOT_CODE.has(e.name))
    .map((e) => e.name)
    .filter((d) => hasTypeScript(path.join(root, d), 6))
    .sort();
  if (dirs.length === 0 || (dirs.length === 1 && dirs[0] === 'src')) return null;
  return dirs.flatMap((d) => [`${d}/**/*.ts`, `${d}/**/*.tsx`]);
}

/** drizzle-kit's output folder as its config names it (`out: './drizzle'`), or null. */
function drizzleOut(root: string): string | null {
  for (const name of ['drizzle.config.ts', 'drizzle.config.js', 'drizzle.config.mjs', 'drizzle.config.cjs']) {
    let text: string;
    try {
      text = readFileSync(path.join(root, name), 'utf8');
    } catch {
      continue;
    }
    const out = /\bout\s*:\s*['"`]([^'"`]+)['"`]/.exec(text)?.[1];
    if (out) return path.posix.normalize(out.replace(/^\.\//, '')).replace(/\/$/, '');
  }
  return null;
}

/** Folders one level into a monorepo's workspaces (`apps/*`, `packages/*`), as root-relative paths. */
function workspaces(root: string): string[] {
  return ['apps', 'packages', 'services'].flatMap((top) => {
    try {
      return readdirSync(path.join(root, top), { withFileTypes: true })
        .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
        .map((e) => `${top}/${e.name}`)
        .sort();
    } catch {
      return [];
    }
  });
}

/**
 * A migrations folder that detection (migrations/, else supabase/migrations) would not find: drizzle-kit's `out`,
 * the usual folders of the other runners, then the same inside a monorepo's workspaces.
 */
export function detectMigrations(root: string): string[] | null {
  const detected = withDetectedMigrations(defaultConfig(), root, false).migrations;
  if (detected.some((d) => existsSync(path.join(root, d)))) return null;
  const drizzle = drizzleOut(root);
  if (drizzle && existsSync(path.join(root, drizzle))) return [drizzle];
  const usual = ['prisma/migrations', 'db/migrations', 'database/migrations', 'drizzle', 'sql/migrations'];
  for (const candidate of usual) {
    if (existsSync(path.join(root, candidate))) return [candidate];
  }
  for (const ws of workspaces(root)) {
    for (const candidate of ['supabase/migrations', 'migrations', ...usual]) {
      if (existsSync(path.join(root, ws, candidate))) return [`${ws}/${candidate}`];
    }
  }
  return null;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('init', args, {
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 0) {
    throw new DbcanonError('CLI_USAGE', `unexpected argument '${positionals[0]}'`, {
      hint: 'see `dbcanon init --help`',
    });
  }
  const found = findProject(io.cwd);
  const root = found.root;
  let config: DbcanonConfig;
  if (found.file) {
    io.stdout.write(`${path.relative(io.cwd, found.file) || CONFIG_FILE}: exists, left as it is\n`);
    config = (await (await import('../config/load.js')).loadConfig(io.cwd)).config;
  } else {
    // `$schema`: editors validate and complete the file from the installed package's JSON Schema.
    const written: Record<string, unknown> = { $schema: CONFIG_SCHEMA_REF };
    const migrations = detectMigrations(root);
    if (migrations) written.migrations = migrations;
    const include = detectCodeInclude(root);
    if (include) written.code = { include };
    const file = path.join(root, CONFIG_FILE);
    await writeFile(file, `${JSON.stringify(written, null, 2)}\n`);
    io.stdout.write(`${path.relative(io.cwd, file) || CONFIG_FILE}: written\n`);
    config = (await (await import('../config/load.js')).loadConfig(root)).config;
  }

  const docPath = path.join(root, config.doc);
  if (existsSync(docPath)) {
    io.stdout.write(`${config.doc}: exists, left as it is\n`);
    return 0;
  }
  const [{ replayMigrations }, { syncDoc }, { DOC_TEMPLATE }, { scanCode }] = await Promise.all([
    import('../sql/replay.js'),
    import('../doc/sync.js'),
    import('../doc/template.js'),
    import('../code/scan.js'),
  ]);
  const [replay, code] = await Promise.all([replayMigrations(root, config), scanCode(root, config)]);
  const errors = replay.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    io.stderr.write(
      `init: the replay could not apply ${errors.length} statement${errors.length === 1 ? '' : 's'}; what they ` +
        'change is missing from the document (see `dbcanon check`)\n',
    );
  }
  // "Used by" from the code: the application files that name each table (repeatable SQL governs, it does not use).
  const users = new Map<string, Set<string>>();
  for (const r of code.references) {
    if (r.target !== 'table' || r.via === 'sql-file') continue;
    const key = `${r.schema ?? 'public'}.${r.name}`;
    users.set(key, (users.get(key) ?? new Set()).add(r.file));
  }
  const today = new Date().toISOString().slice(0, 10);
  const result = await syncDoc(DOC_TEMPLATE, config.doc, replay.model, {
    today,
    config,
    startingModel: replay.starting.model,
    usersOf: (t) => [...(users.get(`${t.schema}.${t.name}`) ?? [])].sort(),
  });
  await writeFile(docPath, result.text);
  const tables = result.changes.filter((c) => c.kind === 'table-added').length;
  io.stdout.write(
    `${config.doc}: written, ${tables} table${tables === 1 ? '' : 's'} from the migrations (say each one's purpose)\n`,
  );
  return 0;
}
