/**
 * What the code rules hold references against: the tables and functions the document, the migrations, the
 * repeatable SQL and the ORM schemas know, looked up the way Postgres does (exact, case-sensitive; through the
 * query builder's snake_case mapping where the project uses one) and the way people misspell them (case and
 * underscores ignored).
 */
import type { DocTable, DocUsedBy } from '../doc/doc-model.js';
import type { RuleContext } from '../lint/types.js';
import { configuredExternalTables, listedExternal, presentExternalTables } from '../model/external.js';
import type { GoneTableModel } from '../model/schema-model.js';
import { isSystemSchema } from '../model/schemas.js';
import { suggestName } from '../model/suggest.js';
import { plural } from '../words.js';
import { type NamingLibrary, namingLibrary, snakeCaseCandidates, snakeCasedLibraries } from './naming.js';
import type { TableReference } from './table-reference.js';

/** `VtidLedger`, `vtid_ledger`, `vtidLedger` → `vtidledger`: one logical table under several spellings. */
export function looseName(name: string): string {
  return name.toLowerCase().replace(/_/g, '');
}

/** `public.t` for an unqualified name: the key tables are compared by. */
export function qualified(schema: string | null | undefined, name: string): string {
  return `${schema ?? 'public'}.${name}`;
}

/** Splits a document table name (`t` or `s.t`). */
export function docTableKey(t: DocTable): string {
  const dot = t.name.indexOf('.');
  return dot > 0 ? t.name : qualified(null, t.name);
}

export function isDeprecated(t: DocTable): boolean {
  return t.deprecation !== null || t.section === 'deprecated';
}

export interface KnownTable {
  key: string;
  schema: string;
  name: string;
  /** The document's entry, when the document has one. */
  doc: DocTable | null;
}

/** Schemas that belong to Postgres itself, never to the project. */
function isSystem(schema: string | null, name: string): boolean {
  return (schema !== null && isSystemSchema(schema)) || (schema === null && name.startsWith('pg_'));
}

export class KnownNames {
  readonly tables = new Map<string, KnownTable>();
  readonly functions = new Set<string>();
  /** Schemas the project declares anything in; references into other schemas (auth, storage) are not judged. */
  readonly schemas = new Set<string>(['public']);
  /** Tables the migrations dropped, renamed or moved away (and did not make again), by `schema.name`. */
  readonly gone = new Map<string, GoneTableModel>();
  /** Schemas the config says live outside the migrations (`externalTables: ["s.*"]`): every name there is known. */
  readonly externalSchemas: Set<string>;
  private readonly loose = new Map<string, KnownTable[]>();
  /** Query builders whose camelCase table names mean snake_case tables here (`code.naming`, or detected). */
  readonly snakeCased: Set<NamingLibrary>;

  constructor(readonly ctx: RuleContext) {
    const addTable = (schema: string, name: string, doc: DocTable | null) => {
      const key = qualified(schema, name);
      const existing = this.tables.get(key);
      if (existing) {
        existing.doc ??= doc;
        return;
      }
      const t: KnownTable = { key, schema, name, doc };
      this.tables.set(key, t);
      this.schemas.add(schema);
      const l = `${schema}.${looseName(name)}`;
      this.loose.set(l, [...(this.loose.get(l) ?? []), t]);
    };
    // The document may still list a table the migrations dropped or renamed: the migrations' end state wins.
    for (const g of ctx.migrations.goneTables ?? []) this.gone.set(qualified(g.schema, g.name), g);
    const present = (schema: string, name: string) => !this.gone.has(qualified(schema, name));
    for (const t of ctx.doc?.tables ?? []) {
      const [schema, name] = docTableKey(t).split(/\.(.*)/s) as [string, string];
      if (present(schema, name)) addTable(schema, name, t);
    }
    for (const t of ctx.docSchema.tables) if (present(t.schema, t.name)) addTable(t.schema, t.name, null);
    for (const t of ctx.migrations.tables) addTable(t.schema, t.name, null);
    // An ORM schema declares tables (and views) as surely as a migration: a project may have nothing else.
    for (const t of [...ctx.orm.tables, ...(ctx.orm.views ?? [])]) {
      if (present(t.schema, t.name)) addTable(t.schema, t.name, null);
    }
    this.snakeCased = snakeCasedLibraries(ctx.config.code.naming, ctx.code?.naming);
    // Tables made outside the migrations exist too: the ones the migrations touch and the config's list.
    for (const t of presentExternalTables(ctx.migrations)) addTable(t.schema, t.name, null);
    const configured = configuredExternalTables(ctx.config);
    for (const t of configured.tables) addTable(t.schema, t.name, null);
    this.externalSchemas = new Set(configured.schemas);
    // The code scan reads migrations too, for what they define; a table a later migration dropped or renamed
    // is not made again by its first CREATE. SQL the replay does not run (seeds, scripts) still counts.
    const migrationFiles = new Set(ctx.migrationFiles.map((f) => f.file));
    for (const d of ctx.code?.definitions ?? []) {
      if (d.kind === 'function') this.functions.add(qualified(d.schema, d.name));
      else if (!migrationFiles.has(d.file) || present(d.schema ?? 'public', d.name)) {
        addTable(d.schema ?? 'public', d.name, null);
      }
      this.schemas.add(d.schema ?? 'public');
    }
    // The table node-pg-migrate keeps its history in is dbcanon's own, not the project's to document.
    addTable(ctx.config.migrationsSchema, ctx.config.migrationsTable, null);
    for (const f of ctx.migrations.functions) {
      this.functions.add(qualified(f.schema, f.name));
      this.schemas.add(f.schema);
    }
  }

  /** True when the project declares any schema at all (else the code rules have nothing to hold code to). */
  get hasSchema(): boolean {
    return (
      (this.ctx.doc?.tables.length ?? 0) > 0 ||
      this.ctx.migrations.tables.length > 0 ||
      this.ctx.orm.tables.length > 0
    );
  }

  /**
   * Whether the SQL here is the whole schema, as far as dbcanon can tell: no table the migrations touch was made
   * elsewhere, unless the config lists it (`externalTables`, which then is the list of what lives elsewhere).
   * When tables are known to be made elsewhere, a name the code uses and no SQL here creates may well be one of
   * them, so the code rules report only names that look like misspellings of known ones.
   */
  get complete(): boolean {
    return (this.ctx.migrations.externalTables ?? []).every((e) =>
      listedExternal(this.ctx.config, e.schema, e.name),
    );
  }

  get hasFunctions(): boolean {
    return this.functions.size > 0 || this.ctx.migrationFiles.length > 0;
  }

  /** Whether a reference is ours to judge: not a system catalog, not a schema the project never declares. */
  judged(ref: Pick<TableReference, 'schema' | 'name'>): boolean {
    if (isSystem(ref.schema, ref.name)) return false;
    return this.schemas.has(ref.schema ?? 'public');
  }

  /**
   * The known table a reference names. A query builder that maps camelCase to snake_case (Kysely's
   * CamelCasePlugin, knexSnakeCaseMappers) sends `userProfiles` as `user_profiles`: its references are looked
   * up under that name when the exact one is unknown.
   */
  table(
    ref: Pick<TableReference, 'schema' | 'name'> & { via?: TableReference['via'] },
  ): KnownTable | undefined {
    const key = qualified(ref.schema, ref.name);
    const library = namingLibrary(ref.via);
    const found =
      this.tables.get(key) ??
      (library && this.snakeCased.has(library)
        ? snakeCaseCandidates(ref.name)
            .map((n) => this.tables.get(qualified(ref.schema, n)))
            .find((t) => t !== undefined)
        : undefined);
    if (found || !this.externalSchemas.has(ref.schema ?? 'public')) return found;
    return { key, schema: ref.schema ?? 'public', name: ref.name, doc: null };
  }

  /** Known tables that differ from the reference only in case or underscores. */
  looseMatches(ref: Pick<TableReference, 'schema' | 'name'>): KnownTable[] {
    return (this.loose.get(`${ref.schema ?? 'public'}.${looseName(ref.name)}`) ?? []).filter(
      (t) => t.name !== ref.name,
    );
  }

  /** The closest known name, when it is close enough for its length to be a misspelling (src/model/suggest.ts). */
  closest(name: string, candidates: Iterable<string>): string | undefined {
    return suggestName(name, candidates);
  }
}

/**
 * Tables each SQL function touches (loose names), following the functions it calls: `vtid_create` writes the
 * ledger and, through `oasis_ingest`, the event log. A file calling the function uses those tables.
 */
export function functionTables(ctx: RuleContext): Map<string, Set<string>> {
  const direct = new Map<string, { uses: string[]; calls: string[] }>();
  for (const d of ctx.code?.definitions ?? []) {
    if (d.kind !== 'function') continue;
    const key = d.name;
    const prev = direct.get(key) ?? { uses: [], calls: [] };
    direct.set(key, {
      uses: [...prev.uses, ...(d.uses ?? [])],
      calls: [...prev.calls, ...(d.calls ?? []).map((c) => c.slice(c.lastIndexOf('.') + 1))],
    });
  }
  const out = new Map<string, Set<string>>();
  const visit = (fn: string, seen: Set<string>): Set<string> => {
    const done = out.get(fn);
    if (done) return done;
    const tables = new Set<string>();
    const d = direct.get(fn);
    if (d && !seen.has(fn)) {
      seen.add(fn);
      for (const u of d.uses) tables.add(looseName(u.slice(u.lastIndexOf('.') + 1)));
      for (const c of d.calls) for (const t of visit(c, seen)) tables.add(t);
      out.set(fn, tables);
    }
    return tables;
  };
  for (const fn of direct.keys()) visit(fn, new Set());
  return out;
}

/** A Used-by path as the scanner names files: root-relative, `/`-separated, no leading `./`. */
export function usedByPath(u: DocUsedBy): string {
  return u.path
    .trim()
    .replace(/\\/g, '/')
    .replace(/^\.?\//, '');
}

/** Used-by entries the file rules can judge: file paths, not "OASIS Operator", not globs. */
export function fileEntries(t: DocTable): DocUsedBy[] {
  return t.usedBy.filter((u) => u.isFile && !/[*?{]/.test(u.path));
}

/**
 * References grouped by what they name (`schema.name`), each group in code order: one cause (one unknown name)
 * is one finding at its first use, with the other uses as related places.
 */
export function groupByName<
  T extends { schema: string | null; name: string; file: string; line: number; column: number },
>(refs: Iterable<T>): T[][] {
  const groups = new Map<string, T[]>();
  for (const r of refs) {
    const key = qualified(r.schema, r.name);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const order = (a: T, b: T) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;
  return [...groups.values()].map((g) => g.sort(order));
}

/**
 * What a finding for one group of `groupByName` says of it: its place (the first use), the other uses as related
 * places, and the words " (used in N places; this is the first)" (with the verb given) when there are others.
 */
export function groupFinding(
  uses: readonly { file: string; line: number; column: number }[],
  verb: string,
): {
  at: { file: string; line: number; column: number };
  related: { related?: { file: string; line: number; column: number }[] };
  others: string;
} {
  const [first, ...rest] = uses;
  const at = first
    ? { file: first.file, line: first.line, column: first.column }
    : { file: '', line: 1, column: 1 };
  if (rest.length === 0) return { at, related: {}, others: '' };
  return {
    at,
    related: { related: rest.map((u) => ({ file: u.file, line: u.line, column: u.column })) },
    others: ` (${verb} in ${plural(uses.length, 'place')}; this is the first)`,
  };
}

/** `file:line` of a reference, for messages. */
export function where(r: { file: string; line: number }): string {
  return `${r.file}:${r.line}`;
}

/**
 * A sentence naming the split when one logical table is used under two spellings with different kinds: the
 * writes under one name never show up in the reads under the other.
 */
export function splitSentence(ref: TableReference, found: TableReference[]): string {
  if (found.length === 0) return '';
  // Application code first: that is where the split bites (repeatable SQL names every table it governs).
  const others = [...found].sort((a, b) => Number(a.via === 'sql-file') - Number(b.via === 'sql-file'));
  const opposite = others.find(
    (o) => (ref.kind === 'write' && o.kind === 'read') || (ref.kind === 'read' && o.kind === 'write'),
  );
  if (opposite) {
    const here = ref.kind === 'write' ? 'written' : 'read';
    const there = opposite.kind === 'write' ? 'written' : 'read';
    return ` The table is split: ${here} here as \`${ref.name}\` but ${there} as \`${opposite.name}\` at ${where(opposite)}, so ${
      ref.kind === 'write' ? 'these writes never show up in those reads' : 'this read never sees those writes'
    }.`;
  }
  const other = others[0] as TableReference;
  return ` The same table is also used as \`${other.name}\` at ${where(other)}.`;
}

/** The document's path for findings that point into it. */
export function docFile(ctx: RuleContext): string {
  return ctx.doc?.file ?? ctx.config.doc;
}
