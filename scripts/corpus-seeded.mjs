#!/usr/bin/env node
/**
 * Seeded copies: proof for rules that find too little on the corpus to be judged by a sample. For each recipe it
 * copies a set-up corpus repository (one unpacked by `npm run corpus -- --keep`), plants ten true cases of one
 * rule, runs `dbcanon check --format json` on the copy and on an untouched copy, and reports how many of the ten
 * the rule found and what else is new. A rule passes when it finds all ten and nothing else is new. A repository
 * set up with `dbcanon init` works too (the config's defaults are read as dbcanon reads them).
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

/**
 * The config with dbcanon's defaults for what the recipes read (src/config/defaults.ts): the document, the
 * migrations folders (supabase/migrations when the config names none and there is no migrations/, as `init`
 * leaves it) and the code include patterns.
 */
function readConfig(dir) {
  const raw = JSON.parse(readFileSync(path.join(dir, 'dbcanon.config.json'), 'utf8'));
  let migrations = raw.migrations;
  if (!migrations)
    migrations =
      !existsSync(path.join(dir, 'migrations')) && existsSync(path.join(dir, 'supabase', 'migrations'))
        ? ['supabase/migrations']
        : ['migrations'];
  return {
    ...raw,
    doc: raw.doc ?? 'DATABASE_SCHEMA.md',
    migrations,
    code: { ...raw.code, include: raw.code?.include ?? ['src/**/*.ts', 'src/**/*.tsx'] },
  };
}

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
//
// A recipe is `(dir, config, baseline) => places`: it plants into the copy at `dir` (config with its defaults,
// baseline = the untouched copy's findings, to pick places nothing is reported at yet) and returns the planted
// places `{ file, line }` (none: not applicable here). The list may carry `shift` (lines inserted into a file:
// later findings are compared at their lines before planting), `alsoExpected` (other rules whose findings at the
// planted places are true too) and `alsoAt` (true findings of other rules at places of their own). A recipe named
// `rule#variant` plants the same rule's cases another way.

/**
 * A new TypeScript file under the first code folder (`name`), one planted line each; the places planted (or
 * none).
 */
function plantCode(dir, config, lines, name = 'dbcanon-seeded.ts') {
  const folder = codeDir(config);
  if (!folder || lines.length === 0) return [];
  const file = `${folder}/${name}`;
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

// ---- the document, read with regular expressions: enough to pick entries and lines from -----------------

const DEPRECATED_WORDS = /deprecat|do not use|don't use|obsolete|\bremoved\b|\blegacy\b/i;
const NOT_COLUMNS = /^(constraint|primary|unique|foreign|check|exclude|like)$/i;
/** Findings about an entry as a whole: a drift recipe leaves such an entry alone. */
const ENTRY_RULES = new Set([
  'doc-syntax',
  'doc-duplicate-table',
  'doc-misplaced-table',
  'drift-missing-table',
]);

/**
 * The document: its path as the findings give it, its lines (line n is lines[n - 1]) and the tables the migrations
 * create (`made`); null without one.
 */
function readDoc(dir, config) {
  const abs = path.join(dir, config.doc);
  if (!existsSync(abs)) return null;
  const made = new Set(created(dir, config, 'table'));
  return { file: config.doc, abs, lines: readFileSync(abs, 'utf8').split('\n'), made };
}

/**
 * The document's table entries: a heading below the top-level sections that names one table, with where it
 * ends, its section, whether it is deprecated, the line of its `**Used by:**` label (with the users on it or in a
 * list after it) and the lines of that list, its markdown column table (`| Column | Type | … |`), and the CREATE
 * TABLE of its SQL block with one line per single-line column definition.
 */
function docEntries(lines) {
  const inFence = [];
  let open = false;
  for (const l of lines) {
    const fence = /^\s*```/.test(l);
    inFence.push(open || fence);
    if (fence) open = !open;
  }
  const headings = [];
  lines.forEach((l, i) => {
    const m = !inFence[i] && /^(#{1,6})\s+(.*?)\s*$/.exec(l);
    if (m) headings.push({ level: m[1].length, text: m[2], line: i + 1 });
  });
  const title = headings.find((h) => h.level === 1);
  const others = headings.filter((h) => h !== title);
  if (others.length === 0) return Object.assign([], { headings, sectionLevel: 2 });
  const sectionLevel = Math.min(...others.map((h) => h.level));
  const entries = [];
  for (const h of others) {
    if (h.level <= sectionLevel) continue;
    const section = others.filter((o) => o.level === sectionLevel && o.line < h.line).at(-1)?.text ?? '';
    if (entries.length && h.line < entries.at(-1).end) continue; // a heading inside the previous entry
    if (/critical rules|adding (a )?new table|troubleshooting/i.test(section)) continue;
    const name = h.text
      .replace(/`/g, '')
      .replace(/\s*\([^)]*\)\s*$/, '')
      .trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    const end = others.find((o) => o.line > h.line && o.level <= h.level)?.line ?? lines.length + 1;
    const sectionHeading = others.filter((o) => o.level === sectionLevel && o.line < h.line).at(-1);
    const e = {
      name,
      line: h.line,
      level: h.level,
      end,
      section,
      sectionLine: sectionHeading?.line ?? 0,
      sectionLevel,
      sectionEnd: others.find((o) => o.line > h.line && o.level <= sectionLevel)?.line ?? lines.length + 1,
      ownUsedBy: false,
      inDeprecatedSection: /deprecated|do not use/i.test(section),
      deprecated: false,
      usedBy: null,
      usedByItems: [],
      create: null,
      columns: [],
      columnTable: null,
    };
    let reason = false;
    for (let n = h.line + 1; n < end; n++) {
      const l = lines[n - 1];
      if (!inFence[n - 1]) {
        const cells = (t) =>
          t
            .trim()
            .replace(/^\||\|$/g, '')
            .split('|')
            .map((x) => x.replace(/[`*]/g, '').trim());
        const header = /^\s*\|/.test(l) && /^\s*\|[\s:|-]+\|\s*$/.test(lines[n] ?? '') ? cells(l) : null;
        const nameAt = header?.findIndex((x) => /^(column|column name|name|field)$/i.test(x)) ?? -1;
        const typeAt = header?.findIndex((x) => /^(type|data type|sql type)$/i.test(x)) ?? -1;
        if (nameAt >= 0 && typeAt >= 0 && !e.columnTable) {
          e.columnTable = { header: n, separator: n + 1, rows: [], nameAt, typeAt, cells: header.length };
          for (let k = n + 2; k < end && /^\s*\|/.test(lines[k - 1]); k++) {
            const row = cells(lines[k - 1]);
            e.columnTable.rows.push({ line: k, name: row[nameAt], type: row[typeAt], cells: row.length });
          }
        }
        const label = /^\*\*(status|reason|deprecated|deprecation):\*\*\s*(.*)$/i.exec(l.trim());
        if (label && label[1].toLowerCase() === 'status' && DEPRECATED_WORDS.test(label[2]))
          e.deprecated = true;
        else if (label) reason = true;
        if (/^\*\*used by:\*\*/i.test(l.trim()) && e.usedBy === null) {
          e.ownUsedBy = true;
          e.usedBy = n;
          for (let k = n + 1; k < end && /^\s*[-*]\s+\S/.test(lines[k - 1]); k++) e.usedByItems.push(k);
        }
        continue;
      }
      const c =
        /^\s*create\s+table\s+(?:if\s+not\s+exists\s+)?(?:public\.)?"?([a-z_][a-z0-9_]*)"?\s*\(\s*(--.*)?$/i.exec(
          l,
        );
      if (!c || e.create !== null || c[1].toLowerCase() !== name.toLowerCase()) continue;
      e.create = n;
      let depth = 0;
      let k = n + 1;
      for (; k < end && inFence[k - 1] && !/^\s*\)/.test(lines[k - 1]); k++) {
        const text = lines[k - 1];
        const code = text.replace(/--.*$/, '').trimEnd();
        const before = depth;
        depth += (code.match(/\(/g) ?? []).length - (code.match(/\)/g) ?? []).length;
        const col = /^\s+([a-z_][a-z0-9_]*)\s+\S/.exec(code);
        if (before !== 0 || depth !== 0 || !col || NOT_COLUMNS.test(col[1])) continue;
        e.columns.push({ line: k, name: col[1], text, code, comment: text.slice(code.length) });
      }
      e.createEnd = k;
      for (; k < end && !/^\s*```\s*$/.test(lines[k - 1]); k++);
      e.fenceEnd = k < end ? k : null;
    }
    if (e.inDeprecatedSection && reason) e.deprecated = true;
    entries.push(e);
  }
  return Object.assign(entries, { headings, sectionLevel });
}

/**
 * Entries a drift recipe may edit: of tables a migration creates (not tables made elsewhere, whose columns the
 * migrations do not know), live, with a CREATE TABLE (with `sql: false`, a markdown column table), documented
 * once, and nothing reported about the entry as a whole before planting. Their columns (and column
 * table rows) are left with the lines no finding points at: the document and the migrations agree on those.
 */
function cleanEntries(doc, baseline, { sql = true } = {}) {
  const all = docEntries(doc.lines);
  const found = baseline.filter((f) => f.file === doc.file);
  const busy = new Set(found.map((f) => f.line));
  return all
    .filter(
      (e) =>
        (sql ? e.create !== null : e.columnTable !== null) &&
        doc.made.has(e.name.toLowerCase()) &&
        !e.deprecated &&
        !e.inDeprecatedSection &&
        all.filter((o) => o.name === e.name).length === 1 &&
        !found.some((f) => f.line >= e.line && f.line < e.end && ENTRY_RULES.has(f.rule)),
    )
    .map((e) => ({
      ...e,
      columns: e.columns.filter((c) => !busy.has(c.line)),
      rows: e.columnTable?.rows.filter((r) => !busy.has(r.line)) ?? [],
    }));
}

/** Entries documented by a markdown column table, cleaned as cleanEntries does (their rows, here). */
const cleanColumnTables = (doc, baseline) =>
  cleanEntries(doc, baseline, { sql: false }).filter((e) => e.create === null);

/** True when the entry names the column anywhere but on the column's own line (a table constraint, an index). */
function mentionedElsewhere(doc, e, c) {
  const word = new RegExp(`\\b${c.name}\\b`, 'i');
  for (let n = e.line + 1; n < e.end; n++) if (n !== c.line && word.test(doc.lines[n - 1])) return true;
  return false;
}

/** A column line's type, lower case, as written (`text`, `timestamptz`, `integer`, `text[]`, …). */
const typeOf = (c) =>
  /^\s+[a-z_][a-z0-9_]*\s+([a-z]+(?:\s+precision)?(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])?)/i
    .exec(c.code)?.[1]
    .toLowerCase();
const TEXT = new Set(['text', 'varchar', 'character varying']);
/** A default of each type the document may add (none is a default the migrations have: they have none). */
const SEEDED_DEFAULT = {
  text: "'dbcanon_seeded'",
  integer: '7',
  int: '7',
  bigint: '7',
  boolean: 'false',
  timestamptz: 'now()',
  jsonb: "'{}'",
};
/** A type the document may say instead of the migrations' one: a different type, and a usual slip. */
const OTHER_TYPE = {
  text: 'VARCHAR(255)',
  timestamptz: 'TIMESTAMP',
  integer: 'BIGINT',
  int: 'BIGINT',
  real: 'DOUBLE PRECISION',
  jsonb: 'JSON',
  uuid: 'TEXT',
};

/** COUNT items spread over the list (each item once while there are enough, round-robin after). */
function spread(items) {
  if (items.length === 0) return [];
  const step = Math.max(1, Math.floor(items.length / COUNT));
  const picked = items.filter((_, i) => i % step === 0).slice(0, COUNT);
  for (let i = 0; picked.length < COUNT; i++) picked.push(items[i % items.length]);
  return picked;
}

/**
 * COUNT columns, one per entry while the entries last: `pick(entry)` gives an entry's candidate columns, best
 * first. Returns `{ entry, column }` pairs.
 */
function spreadColumns(entries, pick) {
  const lists = entries.map((e) => pick(e).map((column) => ({ entry: e, column }))).filter((l) => l.length);
  // Entry i offers its (i mod n)th candidate, so the picks are not all the first column of their tables.
  const chosen = spread(lists.map((l, i) => l[i % l.length]));
  if (new Set(chosen).size === chosen.length) return chosen;
  // Fewer entries than COUNT: every candidate, round-robin over the entries.
  const all = [];
  for (let i = 0; all.length < COUNT && lists.some((l) => l[i]); i++)
    for (const l of lists) if (l[i]) all.push(l[i]);
  return all.slice(0, COUNT);
}

/**
 * Inserts lines into the document, each group after the line `after` (as numbered before planting); `planted`
 * is the index (or indexes) in the group of the lines a finding is expected at; `moved` lists lines that were
 * there before (as numbered before) where a finding is expected. Returns the places planted (as numbered after)
 * with the shifts that map later findings back to the lines before planting.
 */
function insertDoc(doc, groups, moved = []) {
  const sorted = [...groups].sort((a, b) => a.after - b.after);
  const out = [];
  const places = [];
  const shift = [];
  let copied = 0;
  for (const g of sorted) {
    out.push(...doc.lines.slice(copied, g.after));
    copied = g.after;
    const first = out.length + 1;
    out.push(...g.text);
    shift.push({ file: doc.file, after: g.after, by: g.text.length });
    for (const k of [g.planted ?? []].flat()) places.push({ file: doc.file, line: first + k });
  }
  out.push(...doc.lines.slice(copied));
  writeFileSync(doc.abs, out.join('\n'));
  // Lines that were there before planting and where a finding is now expected, as numbered after.
  for (const old of moved) {
    const by = sorted.filter((g) => g.after < old).reduce((n, g) => n + g.text.length, 0);
    places.push({ file: doc.file, line: old + by });
  }
  return Object.assign(places, { shift });
}

const pascal = (n) => n.replace(/"/g, '').replace(/(^|_)([a-z0-9])/g, (_, __, c) => c.toUpperCase());

/** Tables the migrations create and the document describes, with nothing reported about the entry as a whole. */
function migratedTables(dir, config, baseline) {
  const doc = readDoc(dir, config);
  return doc ? cleanEntries(doc, baseline).map((e) => e.name) : [];
}

/**
 * Columns the migrations create as the document says (no finding at their line), one per table while they last:
 * `{ table, column, type, primaryKey }`, the type as the migrations spell it (serial → integer).
 */
function migratedColumns(dir, config, baseline) {
  const doc = readDoc(dir, config);
  if (!doc) return [];
  const serial = { serial: 'integer', bigserial: 'bigint', smallserial: 'smallint' };
  const out = [];
  for (const e of cleanEntries(doc, baseline)) {
    const pk = e.columns.find((c) => /primary\s+key/i.test(c.code) && /^[a-z]+$/.test(typeOf(c) ?? ''));
    const c = pk ?? e.columns[0];
    if (!c) continue;
    const type = typeOf(c) ?? 'text';
    out.push({ table: e.name, column: c.name, type: serial[type] ?? type, primaryKey: c === pk });
  }
  return out;
}

/** True when the entry lists the column's values (`-- Values:`, `-- a | b`, `**column values:**`). */
function hasValuesList(doc, e, c) {
  if (/\||values?\s*:/i.test(c.comment)) return true;
  const label = new RegExp(`^\\*\\*\`?${c.name}\`?\\s+(status\\s+)?values?:`, 'i');
  return doc.lines.slice(e.line, e.end - 1).some((l) => label.test(l.trim()));
}

const notNull = (c) => /\snot\s+null\b/i.test(c.code);

/**
 * A column a migration may change without touching anything but itself: no key, constraint or generated value,
 * and nothing else in the entry names it (an index, a table constraint).
 */
const migrationSafe = (doc, e, c) =>
  !/\b(primary|references|unique|check|generated|identity|serial|bigserial)\b/i.test(c.code) &&
  !mentionedElsewhere(doc, e, c);

/**
 * COUNT columns of the entries: up to half to change in the document (`docPick(entry)`, its candidates), the
 * rest to change by a migration (`migPick`), on other tables first; the document's side takes what the
 * migration's cannot. Returns `{ doc, mig }`, lists of `{ entry, column }`.
 */
function halves(entries, docPick, migPick) {
  const docSide = spreadColumns(entries, docPick);
  const first = docSide.slice(0, COUNT / 2);
  const taken = new Set(first.map((p) => p.column.line));
  const mig = spreadColumns([...entries].reverse(), (e) =>
    migPick(e).filter((c) => !taken.has(c.line)),
  ).slice(0, COUNT - first.length);
  for (const p of mig) taken.add(p.column.line);
  const more = docSide
    .slice(COUNT / 2)
    .filter((p) => !taken.has(p.column.line))
    .slice(0, COUNT - first.length - mig.length);
  return { doc: [...first, ...more], mig };
}

/**
 * Plants in the document and in a new last migration: rewrites lines (`edits`, each a place planted), inserts
 * lines (`inserts`, see insertDoc), expects findings at other lines that were there before (`moved`, e.g. a
 * column the migration drops), and writes the migration (`{ slug, lines }`, where nothing is expected).
 */
function plantDoc(dir, config, doc, { edits = [], inserts = [], moved = [], migration = null }) {
  for (const { line, text } of edits) doc.lines[line - 1] = text;
  const places = insertDoc(doc, inserts, [...edits.map((e) => e.line), ...moved]);
  if (migration && migration.lines.length > 0) plantMigration(dir, config, migration.slug, migration.lines);
  return places;
}

/** The text of every file under the code folders (to tell whether code names a table), joined. */
function codeText(dir, config) {
  const out = [];
  const walk = (abs) => {
    for (const d of readdirSync(abs, { withFileTypes: true })) {
      if (d.name === 'node_modules' || d.name.startsWith('.')) continue;
      const p = path.join(abs, d.name);
      if (d.isDirectory()) walk(p);
      else if (/\.(ts|tsx|js|jsx|mjs|cjs|sql|prisma)$/.test(d.name)) out.push(readFileSync(p, 'utf8'));
    }
  };
  const folders = new Set(
    (config.code?.include ?? [])
      .map((p) => /^([^*]+)\//.exec(p)?.[1])
      .filter((f) => f && existsSync(path.join(dir, f))),
  );
  for (const f of folders) walk(path.join(dir, f));
  return out.join('\n');
}

/** A "Used by" list item naming `file`, the i-th way of writing one (see DocUsedBy: the path is normalised). */
function usedByItem(file, i) {
  const forms = [
    (f) => `- \`${f}\``,
    (f) => `- \`./${f}\``,
    (f) => `- ${f}`,
    (f) => `- \`${f}\` (reads and writes)`,
    (f) => `- ${f} - nightly sync`,
    (f) => `- \`${f.replace(/\//g, '\\')}\``,
    (f) => `- \`${f}\`: reads`,
    (f) => `- \`${f}\` — writes`,
    (f) => `- ./${f}`,
    (f) => `- \`${f}\` (via the repository layer)`,
  ];
  return forms[i % forms.length](file);
}

/** Ten ways code uses a table through supabase-js. */
const DEPRECATED_USES = [
  (t) => `supabase.from('${t}').select('*')`,
  (t) => `supabase.from("${t}").select("id")`,
  (t) => `supabase.from(\`${t}\`).select()`,
  (t) => `supabase.from('${t}').insert({ id: 1 })`,
  (t) => `supabase.from('${t}').update({ status: 'done' }).eq('id', 1)`,
  (t) => `supabase.from('${t}').delete().eq('id', 1)`,
  (t) => `supabase.from('${t}').upsert({ id: 1 })`,
  (t) => `supabase.schema('public').from('${t}').select('*')`,
  (t) => `supabase.from('${t}').select('id', { count: 'exact', head: true })`,
  (t) => `async () => (await supabase.from('${t}').select('*').limit(1)).data`,
];

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
    // The rule keeps the longest run of rows in date order: ten planted rows outnumber a shorter log, whose rows
    // would then be the ones out of order. Only a log of at least ten dated rows can take them.
    const dated = lines.slice(heading + 1, last + 1).filter((l) => /^\|\s*\d{4}-\d{2}-\d{2}/.test(l)).length;
    if (last === heading || dated < COUNT) return [];
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
  // ---- the code against the migrations ----
  // Ten tables the code uses and a new last migration drops or renames: the code's use fails at run time
  // ("reported always, with the statement" that did it, even where tables are made elsewhere). Tables the document does
  // not describe first (documented ones are also missing from their entry: declared at the entry's CREATE
  // TABLE), tables no other table references, and, first, tables no code uses yet (else the finding is at the
  // first use; the planted file is named to sort first).
  'code-unknown-table#dropped': (dir, config, baseline) => {
    const doc = readDoc(dir, config);
    const made = new Set(created(dir, config, 'table'));
    const sql = sqlFiles(dir, config).map((f) => readFileSync(f, 'utf8'));
    const code = codeText(dir, config);
    const referenced = (name) => {
      const re = new RegExp(`references\\s+(?:public\\.)?"?${name}"?[\\s(]`, 'i');
      return sql.some((t) => re.test(t));
    };
    const undocumented = [
      ...new Set(
        baseline
          .filter((f) => f.rule === 'drift-undocumented-table' && f.table)
          .map((f) => f.table.replace(/^public\./, ''))
          .filter((t) => /^[a-z_][a-z0-9_]*$/.test(t) && made.has(t)),
      ),
    ].map((name) => ({ name, create: null }));
    const documented = doc ? cleanEntries(doc, baseline) : [];
    const unusedFirst = (list) => [
      ...list.filter((t) => !new RegExp(`\\b${t.name}\\b`).test(code)),
      ...list.filter((t) => new RegExp(`\\b${t.name}\\b`).test(code)),
    ];
    const picks = unusedFirst([...undocumented, ...documented].filter((t) => !referenced(t.name))).slice(
      0,
      COUNT,
    );
    if (picks.length < COUNT) return [];
    // Undocumented tables are dropped or renamed in turn (a renamed one stays undocumented, at the same line).
    plantMigration(
      dir,
      config,
      'drop_used',
      picks.map((t, i) =>
        t.create === null && i % 2 === 1
          ? `alter table public.${t.name} rename to ${t.name}_renamed;`
          : `drop table public.${t.name};`,
      ),
    );
    return Object.assign(
      plantCode(
        dir,
        config,
        picks.map((t, i) => `export const g${i} = supabase.from('${t.name}').select('*');`),
        '0-dbcanon-seeded-dropped.ts',
      ),
      {
        alsoAt: picks
          .filter((t) => t.create !== null)
          .map((t) => ({ rule: 'drift-missing-table', file: doc.file, line: t.create })),
      },
    );
  },
  // ---- new last migrations ----
  // Transaction statements and statements that cannot run in a transaction, in one migration with other
  // statements: every runner wraps it in a transaction (the Supabase CLI: the file is one implicit one).
  'migration-transaction-control': (dir, config, baseline) => {
    const tables = migratedTables(dir, config, baseline);
    if (tables.length === 0) return [];
    const t = (i) => `public.${tables[i % tables.length]}`;
    const c = migratedColumns(dir, config, baseline)[0];
    return plantMigration(dir, config, 'transaction', [
      c
        ? `create index concurrently if not exists ix_dbcanon_seeded_cc on public.${c.table} (${c.column});`
        : `vacuum analyze ${t(0)};`,
      c ? 'drop index concurrently if exists public.ix_dbcanon_seeded_cc;' : `vacuum ${t(1)};`,
      `reindex table concurrently ${t(2)};`,
      'savepoint dbcanon_seeded;',
      'rollback to savepoint dbcanon_seeded;',
      'release savepoint dbcanon_seeded;',
      `vacuum (analyze, verbose) ${t(3)};`,
      `vacuum full ${t(4)};`,
      'commit;',
      `vacuum ${t(5)};`,
    ]);
  },
  // Names that are not snake_case: two new tables (RLS on; being new, they are also undocumented, at the same
  // line), four columns of theirs, and indexes, on them and on tables the document and the migrations agree on.
  'naming-snake-case': (dir, config, baseline) => {
    const rls = (t) => `alter table public.${t} enable row level security;`;
    const columns = migratedColumns(dir, config, baseline);
    const on = (i) => columns[i] ?? { table: '"DbcanonSeededNotes"', column: '"createdAt"' };
    return Object.assign(
      plantMigration(dir, config, 'naming', [
        `create table public."DbcanonSeededNotes" (id bigint primary key); ${rls('"DbcanonSeededNotes"')}`,
        `create table public."dbcanon-seeded-tags" (id bigint primary key); ${rls('"dbcanon-seeded-tags"')}`,
        'alter table public."DbcanonSeededNotes" add column "createdAt" timestamptz;',
        'alter table public."DbcanonSeededNotes" add column "authorId" uuid;',
        'alter table public."DbcanonSeededNotes" add column "Title" text;',
        'alter table public."dbcanon-seeded-tags" add column "tag-name" text;',
        'create index "IxSeededNotesCreatedAt" on public."DbcanonSeededNotes" ("createdAt");',
        'create index "ix-seeded-tags-name" on public."dbcanon-seeded-tags" ("tag-name");',
        `create index "ixSeeded${pascal(on(0).column)}" on public.${on(0).table} (${on(0).column});`,
        `create index "ixSeeded${pascal(on(1).column)}Two" on public.${on(1).table} (${on(1).column});`,
      ]),
      { alsoExpected: ['drift-undocumented-table'] },
    );
  },
  // Timestamps without time zone: a new table (RLS on; undocumented, at the same line) and nine columns of it, in
  // each spelling of the type.
  'type-timestamptz': (dir, config) =>
    Object.assign(
      plantMigration(dir, config, 'timestamp', [
        'create table public.dbcanon_seeded_events (id bigint primary key, happened_at timestamp); ' +
          'alter table public.dbcanon_seeded_events enable row level security;',
        ...[
          'timestamp',
          'timestamp(3)',
          'timestamp without time zone',
          'timestamp(6) without time zone',
          'timestamp[]',
          'timestamp(0)',
          'timestamp without time zone[]',
          'TIMESTAMP',
          'pg_catalog.timestamp',
        ].map((type, i) => `alter table public.dbcanon_seeded_events add column at_${i} ${type};`),
      ]),
      { alsoExpected: ['drift-undocumented-table'] },
    ),
  // Foreign keys no index starts with: a new table (RLS on; undocumented, at the same line) referencing itself,
  // and nine columns of it referencing the primary keys of tables the document and the migrations agree on (some
  // with an index where the key comes second, or a partial one whose predicate says more than `is not null`).
  'index-foreign-key': (dir, config, baseline) => {
    const t = 'public.dbcanon_seeded_links';
    const keys = migratedColumns(dir, config, baseline).filter((c) => c.primaryKey);
    const parent = (i) =>
      keys.length ? keys[i % keys.length] : { table: 'dbcanon_seeded_links', column: 'id', type: 'bigint' };
    return Object.assign(
      plantMigration(dir, config, 'fk', [
        `create table ${t} (id bigint primary key, parent_id bigint references ${t} (id)); ` +
          `alter table ${t} enable row level security;`,
        ...Array.from({ length: COUNT - 1 }, (_, i) => {
          const p = parent(i);
          const ref = `references public.${p.table} (${p.column})`;
          // Indexes that do not serve the key: one where it comes second, a partial one whose predicate says more
          // than that the key is not null.
          if (i % 3 === 1)
            return `alter table ${t} add column ref_${i} ${p.type} ${ref}; create index ix_seeded_second_${i} on ${t} (id, ref_${i});`;
          if (i % 3 === 2)
            return (
              `alter table ${t} add column ref_${i} ${p.type}, add constraint dbcanon_seeded_fk_${i} foreign key (ref_${i}) ${ref} on delete cascade; ` +
              `create index ix_seeded_partial_${i} on ${t} (ref_${i}) where ref_${i} is not null and id > 0;`
            );
          return `alter table ${t} add column ref_${i} ${p.type} ${ref};`;
        }),
      ]),
      { alsoExpected: ['drift-undocumented-table'] },
    );
  },
  // ---- the document on its own and against the code ----
  // Ten SQL blocks of the document that fail: five do not parse (a second block in an entry, after its schema
  // block), five parse but do not apply when replayed (an ALTER of a column no block creates, inside the schema
  // block after its CREATE TABLE).
  'doc-syntax': (dir, config, baseline) => {
    const doc = readDoc(dir, config);
    if (!doc) return [];
    const entries = cleanEntries(doc, baseline).filter((e) => e.fenceEnd !== null && e.columns.length > 0);
    const picked = [...new Set(spread(entries))];
    if (picked.length < COUNT) return [];
    return insertDoc(
      doc,
      picked.map((e, i) =>
        i % 2 === 0
          ? {
              after: e.fenceEnd,
              text: [
                '',
                '```sql',
                `CREATE INDEX dbcanon_seeded_ix_${i} ON ${e.name} (${e.columns[0].name};`,
                '```',
              ],
              planted: 2,
            }
          : {
              after: e.createEnd,
              text: [`ALTER TABLE ${e.name} ALTER COLUMN dbcanon_seeded_nowhere_${i} SET NOT NULL;`],
              planted: 0,
            },
      ),
    );
  },
  // Ten live entries filed under a DEPRECATED heading: a heading at the top level goes before a run of entries
  // of one section, and a copy of that section's heading after them when more of the section follows. The
  // entries carry no deprecation, and lose no "Used by" they had from the heading above them.
  'doc-misplaced-table': (dir, config) => {
    const doc = readDoc(dir, config);
    if (!doc) return [];
    const entries = docEntries(doc.lines);
    const { headings, sectionLevel } = entries;
    const bodyHasUsedBy = (h) => {
      const next = headings.find((o) => o.line > h.line)?.line ?? doc.lines.length + 1;
      return doc.lines.slice(h.line, next - 1).some((l) => /^\*\*used by:\*\*/i.test(l.trim()));
    };
    const inheritsUsedBy = (e) => {
      const group = headings.filter((h) => h.line < e.line && h.level < e.level).at(-1);
      return group !== undefined && bodyHasUsedBy(group);
    };
    // Runs of entries with no other heading between them, in the sections that may hold live tables.
    const top = headings.filter(
      (h) => h.level > sectionLevel && !entries.some((e) => e.line < h.line && h.line < e.end),
    );
    const runs = [];
    let run = [];
    for (const h of top) {
      const e = entries.find((x) => x.line === h.line);
      const ok =
        e &&
        !e.deprecated &&
        !e.inDeprecatedSection &&
        !/critical rules|adding|troubleshooting/i.test(e.section) &&
        (e.ownUsedBy || !inheritsUsedBy(e));
      if (ok && (run.length === 0 || run[0].sectionLine === e.sectionLine)) run.push(e);
      else {
        if (run.length) runs.push(run);
        run = ok ? [e] : [];
      }
    }
    if (run.length) runs.push(run);
    runs.sort((a, b) => b.length - a.length);
    const groups = [];
    const moved = [];
    for (const r of runs) {
      const take = r.slice(0, COUNT - moved.length);
      if (take.length === 0) break;
      const last = take.at(-1);
      const section = headings.find((h) => h.line === last.sectionLine);
      const rest = last.end < last.sectionEnd;
      // The copied section heading takes over the rest of the section: only where the original gives nothing.
      if (rest && (!section || bodyHasUsedBy(section))) continue;
      groups.push({
        after: take[0].line - 1,
        text: ['', `${'#'.repeat(sectionLevel)} DEPRECATED / DO NOT USE`, ''],
      });
      if (rest) groups.push({ after: last.end - 1, text: ['', doc.lines[section.line - 1], ''] });
      moved.push(...take.map((e) => e.line));
    }
    if (moved.length < COUNT) return [];
    return insertDoc(doc, groups, moved);
  },
  // Ten "Used by" lists that name a file that does not exist.
  // Ten "Used by" lists that name a file that does not exist, written each way a list names a file.
  'code-used-by-missing-file': (dir, config) => {
    const doc = readDoc(dir, config);
    const folder = codeDir(config);
    if (!doc || !folder) return [];
    return insertDoc(
      doc,
      spread(docEntries(doc.lines).filter((e) => e.usedBy !== null)).map((e, i) => ({
        after: e.usedBy,
        text: [usedByItem(`${folder}/dbcanon-seeded-moved-${i}.ts`, i)],
        planted: 0,
      })),
    );
  },
  // Ten "Used by" lists that name a code file the scanner reads and that uses no table at all, written each way
  // a list names a file.
  'code-used-by-stale': (dir, config) => {
    const doc = readDoc(dir, config);
    const folder = codeDir(config);
    if (!doc || !folder || !existsSync(path.join(dir, folder))) return [];
    const file = `${folder}/dbcanon-seeded-unrelated.ts`;
    writeFileSync(path.join(dir, file), 'export const seededUnrelated = (a: number, b: number) => a + b;\n');
    return insertDoc(
      doc,
      spread(docEntries(doc.lines).filter((e) => e.usedBy !== null)).map((e, i) => ({
        after: e.usedBy,
        text: [usedByItem(file, i)],
        planted: 0,
      })),
    );
  },
  // Ten uses in the code of tables the document deprecates (round-robin over its deprecated entries), each a
  // different call.
  'code-deprecated-table': (dir, config) => {
    const doc = readDoc(dir, config);
    if (!doc) return [];
    const names = docEntries(doc.lines)
      .filter((e) => e.deprecated)
      .map((e) => e.name);
    if (names.length === 0) return [];
    return plantCode(
      dir,
      config,
      ten((i) => `export const d${i} = ${DEPRECATED_USES[i](names[i % names.length])};`),
    );
  },
  // ---- the document against the migrations (each at a line of DATABASE_SCHEMA.md) ----
  // Each plants about half of its cases in the document, and half by a new last migration that changes a
  // column (or table) the document and the migrations agreed on: the finding is then at the document's line.
  // Ten tables the document describes and the migrations do not have: new complete entries before a production
  // entry (five with an SQL schema block, three with a markdown column table, reported at the CREATE TABLE or the
  // table's header; two without a schema, reported at the heading, where doc-required-sections also says that
  // the schema is missing), and documented tables a migration drops, where no code names them and no other
  // table references them.
  'drift-missing-table': (dir, config, baseline) => {
    const doc = readDoc(dir, config);
    if (!doc) return [];
    const entries = cleanEntries(doc, baseline);
    const before = entries.find((e) => /production tables?|^\W*tables$/i.test(e.section)) ?? entries[0];
    if (!before) return [];
    const code = codeText(dir, config);
    const sql = sqlFiles(dir, config).map((f) => readFileSync(f, 'utf8'));
    const referenced = (name) => {
      const re = new RegExp(`references\\s+(?:public\\.)?"?${name}"?[\\s(]`, 'i');
      return sql.some((t) => re.test(t)) || doc.lines.some((l) => re.test(l));
    };
    const unused = entries.filter(
      (e) => e !== before && !new RegExp(`\\b${e.name}\\b`, 'i').test(code) && !referenced(e.name),
    );
    const drops = [...new Set(spread(unused))].slice(0, 3);
    const h = '#'.repeat(before.level);
    const head = (i) => [
      `${h} dbcanon_seeded_missing_table_${i}`,
      '**Purpose:** Seeded: a table the document describes and no migration creates',
      '**Used by:**',
      '- Seeded nightly job',
      '',
    ];
    const blocks = Array.from({ length: COUNT - drops.length }, (_, i) =>
      i % 5 < 3
        ? {
            at: 7,
            text: [
              ...head(i),
              '**Schema:**',
              '```sql',
              `CREATE TABLE dbcanon_seeded_missing_table_${i} (`,
              '  id UUID PRIMARY KEY',
              ');',
              '```',
              '',
            ],
          }
        : i % 5 === 3
          ? {
              at: 5,
              text: [
                ...head(i),
                '| Column | Type | Description |',
                '|--------|------|-------------|',
                '| id | UUID | Primary key |',
                '',
              ],
            }
          : { at: 0, text: head(i) },
    );
    let offset = 0;
    const planted = blocks.map((b) => {
      const at = offset + b.at;
      offset += b.text.length;
      return at;
    });
    return Object.assign(
      plantDoc(dir, config, doc, {
        inserts: [{ after: before.line - 1, text: blocks.flatMap((b) => b.text), planted }],
        moved: drops.map((e) => e.create),
        migration: { slug: 'drop_table', lines: drops.map((e) => `drop table public.${e.name};`) },
      }),
      { alsoExpected: ['doc-required-sections'] },
    );
  },
  // Constraints on one side only: in the document, a CHECK on four text columns and a foreign key on three uuid
  // columns (columns without a documented list of values); in a migration, a CHECK on three documented tables
  // (reported at the table's CREATE TABLE in the document, where nothing was reported before).
  'drift-constraint': (dir, config, baseline) => {
    const doc = readDoc(dir, config);
    if (!doc) return [];
    const entries = cleanEntries(doc, baseline);
    const plain = (e, c) =>
      !/\b(check|primary|references|unique|generated)\b/i.test(c.code) && !hasValuesList(doc, e, c);
    const checks = spreadColumns(entries, (e) => e.columns.filter((c) => TEXT.has(typeOf(c)) && plain(e, c)));
    const keys = migratedColumns(dir, config, baseline).filter((k) => k.primaryKey && k.type === 'uuid');
    const taken = new Set(checks.slice(0, 4).map((p) => p.column.line));
    const fks = keys.length
      ? spreadColumns([...entries].reverse(), (e) =>
          e.columns.filter((c) => typeOf(c) === 'uuid' && plain(e, c) && !taken.has(c.line)),
        ).slice(0, 3)
      : [];
    const busy = new Set(baseline.filter((f) => f.file === doc.file).map((f) => f.line));
    const checkable = (e) => e.columns.find((c) => TEXT.has(typeOf(c)) && !hasValuesList(doc, e, c));
    const quiet = entries.filter((e) => !busy.has(e.create) && checkable(e));
    const added = [...new Set(spread([...quiet].reverse()))].slice(0, 3);
    // The document's CHECKs go on other tables than the migration's (whose CHECK says 1234, not 4321).
    const docChecks = checks
      .filter((p) => !added.includes(p.entry) && !fks.some((f) => f.column.line === p.column.line))
      .slice(0, COUNT - fks.length - added.length);
    return plantDoc(dir, config, doc, {
      edits: [
        ...docChecks.map(({ column: c }) => ({
          line: c.line,
          text: c.code.replace(/(,?)$/, ` CHECK (char_length(${c.name}) <= 4321)$1`) + c.comment,
        })),
        ...fks.map(({ entry, column: c }, i) => {
          const k = keys.find((x) => x.table !== entry.name && keys.indexOf(x) >= i % keys.length) ?? keys[0];
          return {
            line: c.line,
            text: c.code.replace(/(,?)$/, ` REFERENCES ${k.table}(${k.column})$1`) + c.comment,
          };
        }),
      ],
      moved: added.map((e) => e.create),
      migration: {
        slug: 'constraint',
        lines: added.map((e, i) => {
          const c = checkable(e);
          return `alter table public.${e.name} add constraint dbcanon_seeded_check_${i} check (char_length(${c.name}) <= 1234);`;
        }),
      },
    });
  },
  // Ten documented columns no migration creates: new columns of documented tables (up to three of them rows of
  // markdown column tables, where the document has such tables), and columns a migration drops.
  'drift-missing-column': (dir, config, baseline) => {
    const doc = readDoc(dir, config);
    if (!doc) return [];
    const entries = cleanEntries(doc, baseline);
    const drops = spreadColumns([...entries].reverse(), (e) =>
      e.columns.filter((c) => migrationSafe(doc, e, c)),
    ).slice(0, COUNT / 2);
    const tables = cleanColumnTables(doc, baseline);
    const rows = Array.from({ length: tables.length ? 3 : 0 }, (_, i) => {
      const t = tables[i % tables.length].columnTable;
      const cells = Array.from({ length: t.cells }, () => 'seeded');
      cells[t.nameAt] = `\`dbcanon_seeded_row_${i}\``;
      cells[t.typeAt] = 'TEXT';
      return { after: t.separator, text: [`| ${cells.join(' | ')} |`], planted: 0 };
    });
    // In the SQL block: a new first column of the CREATE TABLE, or (every third) an ALTER TABLE … ADD COLUMN after it.
    const sql = spread(entries)
      .slice(0, COUNT - drops.length - rows.length)
      .map((e, i) =>
        i % 3 === 2
          ? {
              after: e.createEnd,
              text: [`ALTER TABLE ${e.name} ADD COLUMN dbcanon_seeded_added_${i} TEXT;`],
              planted: 0,
            }
          : { after: e.create, text: [`  dbcanon_seeded_missing_${i} TEXT,`], planted: 0 },
      );
    return plantDoc(dir, config, doc, {
      inserts: [...rows, ...sql],
      moved: drops.map((p) => p.column.line),
      migration: {
        slug: 'drop_column',
        lines: drops.map(({ entry: e, column: c }) => `alter table public.${e.name} drop column ${c.name};`),
      },
    });
  },
  // Ten columns NOT NULL on one side only: the document drops a NOT NULL (or adds one to a nullable column), or a
  // migration does (drop not null / set not null).
  'drift-column-nullability': (dir, config, baseline) => {
    const doc = readDoc(dir, config);
    if (!doc) return [];
    const eligible = (e) => {
      const block = doc.lines.slice(e.create, e.createEnd).join('\n');
      const pk = /primary\s+key\s*\(([^)]*)\)/i.exec(block)?.[1] ?? '';
      return e.columns.filter(
        (c) =>
          !/primary\s+key|serial|identity|generated/i.test(c.code) &&
          !new RegExp(`\\b${c.name}\\b`).test(pk) &&
          (notNull(c) || !/\bnull\b/i.test(c.code)),
      );
    };
    const picks = halves(cleanEntries(doc, baseline), eligible, (e) =>
      eligible(e).filter((c) => migrationSafe(doc, e, c)),
    );
    return plantDoc(dir, config, doc, {
      edits: picks.doc.map(({ column: c }) => ({
        line: c.line,
        text:
          (notNull(c) ? c.code.replace(/\s+not\s+null\b/i, '') : c.code.replace(/(,?)$/, ' NOT NULL$1')) +
          c.comment,
      })),
      moved: picks.mig.map((p) => p.column.line),
      migration: {
        slug: 'nullability',
        lines: picks.mig.map(
          ({ entry: e, column: c }) =>
            `alter table public.${e.name} alter column ${c.name} ${notNull(c) ? 'drop' : 'set'} not null;`,
        ),
      },
    });
  },
  // Ten columns whose default differs: the document adds a default (or changes a literal one), or a migration
  // sets a default where there was none, or drops one.
  'drift-column-default': (dir, config, baseline) => {
    const doc = readDoc(dir, config);
    if (!doc) return [];
    const literal = /\bdefault\s+('[^'{[]*'|true|false|-?\d+)(?=[\s,]|$)/i;
    // A literal default of a scalar column of its kind (text, a number, a boolean) may change to another one.
    const changes = (c) => {
      const v = literal.exec(c.code)?.[1];
      const type = typeOf(c) ?? '';
      if (!v) return false;
      if (v.startsWith("'")) return TEXT.has(type);
      if (/^(true|false)$/i.test(v)) return type === 'boolean';
      return /^(integer|int|bigint|smallint|numeric|real)$/.test(type);
    };
    const docPick = (e) =>
      e.columns.filter(
        (c) =>
          !/\b(generated|primary|references|check|serial|identity)\b/i.test(c.code) &&
          (changes(c) || (SEEDED_DEFAULT[typeOf(c)] && !/\bdefault\b/i.test(c.code))),
      );
    const migPick = (e) =>
      e.columns.filter(
        (c) =>
          migrationSafe(doc, e, c) &&
          (/\bdefault\b/i.test(c.code) ? !/\bidentity\b/i.test(c.code) : SEEDED_DEFAULT[typeOf(c)]),
      );
    const other = (v) =>
      /^'/.test(v)
        ? `'${v.slice(1, -1)}_seeded'`
        : /^true$/i.test(v)
          ? 'false'
          : /^false$/i.test(v)
            ? 'true'
            : String(Number(v) + 1);
    const picks = halves(cleanEntries(doc, baseline), docPick, migPick);
    return plantDoc(dir, config, doc, {
      edits: picks.doc.map(({ column: c }) => ({
        line: c.line,
        text:
          (changes(c)
            ? c.code.replace(literal, (_, v) => `DEFAULT ${other(v)}`)
            : c.code.replace(/(,?)$/, ` DEFAULT ${SEEDED_DEFAULT[typeOf(c)]}$1`)) + c.comment,
      })),
      moved: picks.mig.map((p) => p.column.line),
      migration: {
        slug: 'default',
        lines: picks.mig.map(
          ({ entry: e, column: c }) =>
            `alter table public.${e.name} alter column ${c.name} ${
              /\bdefault\b/i.test(c.code) ? 'drop default' : `set default ${SEEDED_DEFAULT[typeOf(c)]}`
            };`,
        ),
      },
    });
  },
  // Ten columns of another type on each side (text → VARCHAR(255), timestamptz → TIMESTAMP, …), columns with no
  // default or constraint that nothing else in the entry names: in the document (up to three in markdown column
  // tables, which state types too), or changed by a migration (alter column … type).
  'drift-column-type': (dir, config, baseline) => {
    const doc = readDoc(dir, config);
    if (!doc) return [];
    const docPick = (e) =>
      e.columns.filter(
        (c) =>
          OTHER_TYPE[typeOf(c)] &&
          !/\b(default|check|generated|primary|references|unique)\b/i.test(c.code) &&
          !mentionedElsewhere(doc, e, c),
      );
    // A migration that makes a column `timestamp` is also a true type-timestamptz finding: not on that side.
    const picks = halves(cleanEntries(doc, baseline), docPick, (e) =>
      docPick(e).filter((c) => migrationSafe(doc, e, c) && typeOf(c) !== 'timestamptz'),
    );
    const rows = cleanColumnTables(doc, baseline)
      .flatMap((e) => e.rows.map((r) => ({ e, r })))
      .filter(({ r }) => OTHER_TYPE[r.type.toLowerCase()]);
    const tableEdits = [...new Set(spread(rows))].slice(0, 3);
    return plantDoc(dir, config, doc, {
      edits: [
        ...tableEdits.map(({ e, r }) => {
          const parts = doc.lines[r.line - 1].split('|');
          const at = e.columnTable.typeAt + 1;
          parts[at] = parts[at].replace(r.type, OTHER_TYPE[r.type.toLowerCase()]);
          return { line: r.line, text: parts.join('|') };
        }),
        ...picks.doc.slice(tableEdits.length).map(({ column: c }) => ({
          line: c.line,
          text: c.code.replace(/^(\s+[a-z_][a-z0-9_]*\s+)[a-z]+/i, `$1${OTHER_TYPE[typeOf(c)]}`) + c.comment,
        })),
      ],
      moved: picks.mig.map((p) => p.column.line),
      migration: {
        slug: 'type',
        lines: picks.mig.map(({ entry: e, column: c }) => {
          const type = OTHER_TYPE[typeOf(c)].toLowerCase();
          return `alter table public.${e.name} alter column ${c.name} type ${type} using ${c.name}::${type};`;
        }),
      },
    });
  },
  // Ten value lists of text columns, of values no CHECK of the migrations allows: six `-- Values:` comments on
  // the column, four `**<column> values:**` lines after the entry's schema block.
  'drift-status-values': (dir, config, baseline) => {
    const doc = readDoc(dir, config);
    if (!doc) return [];
    const pick = (e) =>
      e.columns.filter(
        (c) =>
          TEXT.has(typeOf(c)) &&
          c.comment.trim() === '' &&
          c.name !== 'status' &&
          !/\b(check|primary|references)\b/i.test(c.code) &&
          !hasValuesList(doc, e, c),
      );
    const entries = cleanEntries(doc, baseline);
    const comments = spreadColumns(entries, pick).slice(0, 6);
    const taken = new Set(comments.map((p) => p.column.line));
    const labels = spreadColumns(
      [...entries].reverse().filter((e) => e.fenceEnd !== null),
      (e) => pick(e).filter((c) => !taken.has(c.line)),
    ).slice(0, COUNT - comments.length);
    return plantDoc(dir, config, doc, {
      edits: comments.map(({ column: c }) => ({
        line: c.line,
        text: `${c.code}  -- Values: dbcanon_seeded_a, dbcanon_seeded_b`,
      })),
      inserts: labels.map(({ entry: e, column: c }) => ({
        after: e.fenceEnd,
        text: ['', `**\`${c.name}\` values:** dbcanon_seeded_c, dbcanon_seeded_d`],
        planted: 1,
      })),
    });
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
  const baseline = check(base);
  const before = new Set(baseline.map(key));
  let failed = 0;
  for (const [name, plant] of Object.entries(RECIPES)) {
    // `rule#variant`: another way of planting true cases of the same rule.
    const rule = name.split('#')[0];
    if (o.rules.length && !o.rules.includes(rule) && !o.rules.includes(name)) continue;
    const copy = path.join(scratch, name.replace('#', '--'));
    cpSync(base, copy, { recursive: true });
    const planted = plant(copy, config, baseline);
    if (planted.length === 0) {
      console.log(`  ${name.padEnd(30)} not applicable here (nothing to plant in)`);
      continue;
    }
    // Lines inserted into a file move the later ones: a finding there is compared at its line before planting
    // (one on an inserted line is new by definition).
    const shifts = [planted.shift ?? []].flat().sort((a, b) => a.after - b.after);
    const unshifted = (f) => {
      let offset = 0;
      for (const s of shifts) {
        if (s.file !== f.file || f.line <= s.after + offset) continue;
        if (f.line <= s.after + offset + s.by) return { ...f, line: -1 };
        offset += s.by;
      }
      return { ...f, line: f.line - offset };
    };
    const found = check(copy).filter((f) => !before.has(key(unshifted(f))));
    const hit = planted.filter((p) =>
      found.some((f) => f.rule === rule && f.file === p.file && f.line === p.line),
    );
    // Other rules' findings a recipe declares as true side effects count too: at the planted places
    // (`alsoExpected`: a new table is also undocumented), or at places of their own (`alsoAt`: a table a
    // migration drops is also missing from the document's entry).
    const expectedRules = new Set([rule, ...(planted.alsoExpected ?? [])]);
    const other = found.filter(
      (f) =>
        !(expectedRules.has(f.rule) && planted.some((p) => p.file === f.file && p.line === f.line)) &&
        !(planted.alsoAt ?? []).some((a) => a.rule === f.rule && a.file === f.file && a.line === f.line),
    );
    const ok = hit.length === planted.length && other.length === 0;
    if (!ok) failed++;
    console.log(
      `  ${name.padEnd(30)} planted ${planted.length}, found ${hit.length}, other new ${other.length}  ${ok ? 'ok' : 'FAIL'}`,
    );
    for (const p of planted.filter((x) => !hit.includes(x))) console.log(`      missed ${p.file}:${p.line}`);
    for (const f of other.slice(0, 10)) console.log(`      new ${key(f)} — ${f.message.slice(0, 120)}`);
  }
  if (o.keep) console.log(`kept ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
  process.exitCode = failed ? 1 : 0;
}

main();
