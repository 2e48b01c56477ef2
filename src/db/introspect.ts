/**
 * Live database → SchemaModel, from pg_catalog. One query per kind of object (tables, columns, constraints,
 * indexes, policies, functions, triggers, views) whatever the number of tables, all sent at once: introspecting
 * 500 tables costs the same eight queries, in one round trip, as introspecting five. Types come from format_type() and
 * expressions from pg_get_expr(), then pass through the same canonical forms as the static replay.
 */

import { DbcanonError } from '../errors.js';
import {
  type ColumnModel,
  type ConstraintKind,
  canonicalize,
  type FunctionModel,
  type IndexModel,
  type PolicyCommand,
  type PolicyModel,
  type SchemaModel,
  type TableModel,
  type TriggerModel,
  type ViewModel,
} from '../model/schema-model.js';
import { securityInvoker } from '../model/view-options.js';
import type { Sql } from './connect.js';

export interface IntrospectOptions {
  /**
   * Schemas to read. Default: every schema except the system ones (pg_*, information_schema) and `auth`
   * (Supabase's, or the stand-in the first migration creates on plain Postgres).
   */
  schemas?: string[];
}

export interface IntrospectResult {
  model: SchemaModel;
  /** Catalog queries issued: constant, whatever the size of the schema. */
  queries: number;
}

const FK_ACTIONS: Record<string, string> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

const CONSTRAINT_KINDS: Record<string, ConstraintKind> = {
  p: 'primary_key',
  u: 'unique',
  f: 'foreign_key',
  c: 'check',
  x: 'exclude',
};

const POLICY_COMMANDS: Record<string, PolicyCommand> = {
  '*': 'all',
  r: 'select',
  a: 'insert',
  w: 'update',
  d: 'delete',
};

/** Reads the live schema. See IntrospectOptions for which schemas. */
export async function introspect(sql: Sql, options: IntrospectOptions = {}): Promise<SchemaModel> {
  return (await introspectCounted(sql, options)).model;
}

/** introspect(), also reporting how many catalog queries it issued (the benchmark prints it). */
export async function introspectCounted(
  sql: Sql,
  options: IntrospectOptions = {},
): Promise<IntrospectResult> {
  const { loadSqlParser } = await import('../sql/parser.js');
  const { normalizeExpr, normalizeIndexColumn } = await import('../sql/expr.js');
  let queries = 0;
  const q = async <T>(run: () => Promise<T>): Promise<T> => {
    queries++;
    try {
      return await run();
    } catch (e) {
      throw new DbcanonError('DB_QUERY', `reading the catalog failed: ${(e as Error).message}`, {
        hint: 'the role needs to read pg_catalog (every role can by default)',
        cause: e,
      });
    }
  };

  // Which schemas are the project's, and which relations in them are its tables, as SQL fragments: every query
  // below filters by them itself, so none waits for another's answer. They are sent together and come back in
  // one round trip (postgres.js pipelines them on the connection), which matters when this process is busy
  // reading files meanwhile (`check --db`): each answer waits for the event loop, once instead of eight times.
  const inSchemas = options.schemas
    ? sql`n.nspname = any(${options.schemas})`
    : sql`n.nspname !~ '^pg_' and n.nspname <> 'information_schema' and n.nspname <> 'auth'`;
  // Objects that belong to an extension (pgcrypto's functions, PostGIS's tables) are not the project's schema.
  const tableWhere = sql`
    c.relkind in ('r', 'p') and ${inSchemas}
    and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid
                    and d.deptype = 'e')`;
  const tableOids = sql`
    select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace where ${tableWhere}`;

  // The roles PostgREST switches into for requests (Supabase's `anon` and `authenticated`), where they exist:
  // has_*_privilege() answers for a role through its memberships and PUBLIC, as Postgres decides at run time.
  const apiRoles = sql`select r.oid, r.rolname::text as name from pg_roles r
                       where r.rolname in ('anon', 'authenticated')`;

  const [tableRows, columnRows, constraintRows, indexRows, policyRows, functionRows, triggerRows, viewRows] =
    await Promise.all([
      q(
        () => sql<
          {
            oid: number;
            schema: string;
            name: string;
            rls: boolean;
            forced: boolean;
            comment: string | null;
          }[]
        >`
      select c.oid::int as oid, n.nspname as schema, c.relname as name, c.relrowsecurity as rls,
             c.relforcerowsecurity as forced, ds.description as comment
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      left join pg_description ds on ds.objoid = c.oid and ds.classoid = 'pg_class'::regclass and ds.objsubid = 0
      where ${tableWhere}`,
      ),
      q(
        () => sql<
          {
            table: number;
            name: string;
            type: string;
            notnull: boolean;
            expr: string | null;
            identity: string;
            generated: string;
            comment: string | null;
          }[]
        >`
      select a.attrelid::int as table, a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
             a.attnotnull as notnull, pg_get_expr(d.adbin, d.adrelid) as expr, a.attidentity as identity,
             a.attgenerated as generated, ds.description as comment
      from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      -- A join, not col_description() per column: on 5,000 columns that is 50 ms against 120 ms.
      left join pg_description ds on ds.objoid = a.attrelid and ds.classoid = 'pg_class'::regclass
                                 and ds.objsubid = a.attnum
      where a.attrelid in (${tableOids}) and a.attnum > 0 and not a.attisdropped
      order by a.attrelid, a.attnum`,
      ),
      q(
        () => sql<
          {
            table: number;
            name: string;
            type: string;
            columns: string[];
            expr: string | null;
            ref_schema: string | null;
            ref_table: string | null;
            ref_columns: string[] | null;
            on_delete: string;
            on_update: string;
          }[]
        >`
      select c.conrelid::int as table, c.conname as name, c.contype as type,
             coalesce((select array_agg(a.attname order by k.i) from unnest(c.conkey) with ordinality k(attnum, i)
                       join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum), '{}') as columns,
             case when c.contype = 'c' then pg_get_expr(c.conbin, c.conrelid) end as expr,
             rn.nspname as ref_schema, r.relname as ref_table,
             (select array_agg(a.attname order by k.i) from unnest(c.confkey) with ordinality k(attnum, i)
              join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum) as ref_columns,
             c.confdeltype as on_delete, c.confupdtype as on_update
      from pg_constraint c
      left join pg_class r on r.oid = c.confrelid
      left join pg_namespace rn on rn.oid = r.relnamespace
      where c.conrelid in (${tableOids}) and c.contype in ('p', 'u', 'f', 'c', 'x')
        -- A foreign key to a partitioned table is backed by one more, internal, per partition on the same
        -- table (r_pid_fkey1 -> p1): nobody writes those, and the model holds only the one written.
        and not exists (select 1 from pg_constraint parent
                        where parent.oid = c.conparentid and parent.conrelid = c.conrelid)`,
      ),
      q(
        () => sql<
          {
            schema: string;
            name: string;
            table: number;
            columns: string[];
            options: number[];
            unique: boolean;
            method: string;
            predicate: string | null;
            backed: boolean;
          }[]
        >`
      select n.nspname as schema, ic.relname as name, i.indrelid::int as table,
             array(select pg_get_indexdef(i.indexrelid, k, false) from generate_series(1, i.indnkeyatts) k
                   order by k) as columns,
             string_to_array(i.indoption::text, ' ')::int2[] as options, i.indisunique as unique,
             am.amname as method,
             pg_get_expr(i.indpred, i.indrelid) as predicate,
             exists (select 1 from pg_constraint c where c.conindid = i.indexrelid and c.conrelid = i.indrelid
                     and c.contype in ('p', 'u', 'x')) as backed
      from pg_index i
      join pg_class ic on ic.oid = i.indexrelid
      join pg_namespace n on n.oid = ic.relnamespace
      join pg_am am on am.oid = ic.relam
      where i.indrelid in (${tableOids})`,
      ),
      q(
        () => sql<
          {
            table: number;
            name: string;
            cmd: string;
            permissive: boolean;
            roles: string[];
            using: string | null;
            check: string | null;
          }[]
        >`
      select p.polrelid::int as table, p.polname as name, p.polcmd as cmd, p.polpermissive as permissive,
             array(select case when r = 0 then 'public' else pg_get_userbyid(r)::text end
                   from unnest(p.polroles) r) as roles,
             pg_get_expr(p.polqual, p.polrelid) as using, pg_get_expr(p.polwithcheck, p.polrelid) as check
      from pg_policy p where p.polrelid in (${tableOids})`,
      ),
      q(
        () => sql<
          {
            schema: string;
            name: string;
            args: string;
            returns: string | null;
            language: string;
            definer: boolean;
            config: string[] | null;
            body: string | null;
            standard_body: string | null;
            comment: string | null;
            executable_by: string[];
          }[]
        >`
      select n.nspname as schema, p.proname as name, pg_get_function_identity_arguments(p.oid) as args,
             pg_get_function_result(p.oid) as returns, l.lanname as language, p.prosecdef as definer,
             p.proconfig as config,
             case when l.lanname in ('sql', 'plpgsql') and p.prosrc <> '' then p.prosrc end as body,
             -- A SQL-standard body (RETURN …, BEGIN ATOMIC) is a tree with an empty prosrc: its text is in the
             -- definition (pg_get_function_sqlbody() would need PostgreSQL 14 to exist).
             case when l.lanname = 'sql' and p.prosrc = '' then pg_get_functiondef(p.oid) end as standard_body,
             ds.description as comment,
             array(select a.name from (${apiRoles}) a where has_function_privilege(a.oid, p.oid, 'EXECUTE')
                   order by 1) as executable_by
      from pg_proc p
      join pg_namespace n on n.oid = p.pronamespace
      join pg_language l on l.oid = p.prolang
      left join pg_description ds on ds.objoid = p.oid and ds.classoid = 'pg_proc'::regclass and ds.objsubid = 0
      where ${inSchemas} and p.prokind in ('f', 'p')
        and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid
                        and d.deptype = 'e')`,
      ),
      q(
        () => sql<{ table: number; name: string; type: number; fn_schema: string; fn_name: string }[]>`
      select t.tgrelid::int as table, t.tgname as name, t.tgtype::int as type, n.nspname as fn_schema,
             p.proname as fn_name
      from pg_trigger t
      join pg_proc p on p.oid = t.tgfoid
      join pg_namespace n on n.oid = p.pronamespace
      where t.tgrelid in (${tableOids}) and not t.tgisinternal`,
      ),
      q(
        () => sql<
          {
            schema: string;
            name: string;
            kind: string;
            options: string[] | null;
            selectable_by: string[];
            columns: string[];
          }[]
        >`
      select n.nspname as schema, c.relname as name, c.relkind as kind, c.reloptions as options,
             array(select a.attname::text from pg_attribute a where a.attrelid = c.oid and a.attnum > 0
                   and not a.attisdropped order by a.attnum) as columns,
             array(select a.name from (${apiRoles}) a where has_table_privilege(a.oid, c.oid, 'SELECT')
                   order by 1) as selectable_by
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('v', 'm') and ${inSchemas}
        and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid
                        and d.deptype = 'e')`,
      ),
    ]);
  // The parser normalizes expressions below; it loads while the answers are on their way.
  await loadSqlParser();

  const tables = new Map<number, TableModel>();
  for (const r of tableRows) {
    tables.set(r.oid, {
      schema: r.schema,
      name: r.name,
      columns: [],
      constraints: [],
      rlsEnabled: r.rls,
      rlsForced: r.forced,
      comment: r.comment,
    });
  }
  for (const r of columnRows) {
    const generated = r.generated === 's';
    const column: ColumnModel = {
      name: r.name,
      type: r.type,
      nullable: !r.notnull,
      default: generated ? null : normalizeExpr(r.expr),
      identity: r.identity === 'a' ? 'always' : r.identity === 'd' ? 'by default' : null,
      generated: generated ? normalizeExpr(r.expr) : null,
      comment: r.comment,
    };
    tables.get(r.table)?.columns.push(column);
  }

  for (const r of constraintRows) {
    const kind = CONSTRAINT_KINDS[r.type] ?? 'check';
    tables.get(r.table)?.constraints.push({
      name: r.name,
      kind,
      columns: kind === 'check' ? [...r.columns].sort() : r.columns,
      expression: kind === 'check' ? normalizeExpr(r.expr) : null,
      references:
        kind === 'foreign_key' && r.ref_schema && r.ref_table
          ? {
              schema: r.ref_schema,
              table: r.ref_table,
              columns: r.ref_columns ?? [],
              onDelete: FK_ACTIONS[r.on_delete] ?? r.on_delete,
              onUpdate: FK_ACTIONS[r.on_update] ?? r.on_update,
            }
          : null,
    });
  }

  const indexes: IndexModel[] = [];
  for (const r of indexRows) {
    const table = tables.get(r.table);
    if (!table) continue;
    indexes.push({
      schema: r.schema,
      name: r.name,
      table: table.name,
      columns: r.columns.map((c, k) => {
        const option = r.options[k] ?? 0;
        const desc = (option & 1) !== 0;
        const nullsFirst = (option & 2) !== 0;
        const base = normalizeIndexColumn(c);
        return `${base}${desc ? ' DESC' : ''}${desc && !nullsFirst ? ' NULLS LAST' : !desc && nullsFirst ? ' NULLS FIRST' : ''}`;
      }),
      unique: r.unique,
      method: r.method,
      where: normalizeExpr(r.predicate),
      constraintBacked: r.backed,
    });
  }

  const policies: PolicyModel[] = [];
  for (const r of policyRows) {
    const table = tables.get(r.table);
    if (!table) continue;
    policies.push({
      schema: table.schema,
      table: table.name,
      name: r.name,
      command: POLICY_COMMANDS[r.cmd] ?? 'all',
      permissive: r.permissive,
      roles: [...r.roles].sort(),
      using: normalizeExpr(r.using),
      withCheck: normalizeExpr(r.check),
    });
  }

  const functions: FunctionModel[] = functionRows.map((r) => {
    const setting = (r.config ?? []).find((c) => c.startsWith('search_path='));
    return {
      schema: r.schema,
      name: r.name,
      identityArgs: r.args,
      returns: r.returns ?? '',
      language: r.language,
      securityDefiner: r.definer,
      searchPath: setting === undefined ? null : setting.slice('search_path='.length),
      body: r.body,
      standardBody: r.standard_body,
      comment: r.comment,
      executableBy: r.executable_by,
    };
  });

  const views: ViewModel[] = viewRows.map((r) => ({
    schema: r.schema,
    name: r.name,
    materialized: r.kind === 'm',
    securityInvoker: r.kind === 'v' && securityInvoker(r.options),
    selectableBy: r.selectable_by,
    columns: r.columns,
  }));

  const triggers: TriggerModel[] = [];
  for (const r of triggerRows) {
    const table = tables.get(r.table);
    if (!table) continue;
    // tgtype bits (pg_trigger.h): 1 row, 2 before, 4 insert, 8 delete, 16 update, 32 truncate, 64 instead.
    const events = [
      r.type & 4 ? 'insert' : null,
      r.type & 8 ? 'delete' : null,
      r.type & 16 ? 'update' : null,
      r.type & 32 ? 'truncate' : null,
    ]
      .filter((e): e is string => e !== null)
      .sort();
    triggers.push({
      schema: table.schema,
      table: table.name,
      name: r.name,
      timing: r.type & 2 ? 'before' : r.type & 64 ? 'instead of' : 'after',
      events,
      level: r.type & 1 ? 'row' : 'statement',
      function: `${r.fn_schema}.${r.fn_name}`,
    });
  }

  return {
    model: canonicalize({ tables: [...tables.values()], indexes, policies, functions, triggers, views }),
    queries,
  };
}
