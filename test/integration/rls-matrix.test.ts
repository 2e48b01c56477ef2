/**
 * The access matrix of every table: roles {anon, tenant A user 1, tenant A user 2, tenant B user, tenant A admin,
 * service_role} × every table × {select, insert, update, delete} × {own row, another's row}, each cell run as the
 * role with its claims (never as the owner) in a rolled-back transaction, compared with the declared expectation
 * and printed as a table. "Another's" means every row that is not the actor's: for per-user tables the other user
 * of the same tenant and the other tenant's user, for tenant tables the other tenant's row.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import {
  type Actor,
  anonActor,
  asRole,
  first,
  type RoleSql,
  serviceActor,
  userActor,
} from '../support/roles.js';

const db = useTestDatabase();

const TENANT_A = '0000000a-0000-4000-8000-000000000000';
const TENANT_B = '0000000b-0000-4000-8000-000000000000';

interface Identity {
  key: 'A1' | 'A2' | 'B1' | 'AADM';
  userId: string;
  tenantId: string;
  tenant: string;
}

const ID: Record<Identity['key'], Identity> = {
  A1: { key: 'A1', userId: 'a1a1a1a1-0000-4000-8000-000000000001', tenantId: TENANT_A, tenant: 'maxina' },
  A2: { key: 'A2', userId: 'a2a2a2a2-0000-4000-8000-000000000002', tenantId: TENANT_A, tenant: 'maxina' },
  B1: { key: 'B1', userId: 'b1b1b1b1-0000-4000-8000-000000000003', tenantId: TENANT_B, tenant: 'earthlings' },
  AADM: { key: 'AADM', userId: 'adadadad-0000-4000-8000-000000000004', tenantId: TENANT_A, tenant: 'maxina' },
};

type PrincipalKey = 'anon' | 'A1' | 'A2' | 'B1' | 'AADM' | 'service';

const PRINCIPALS: { key: PrincipalKey; label: string; actor: Actor; self: Identity | null }[] = [
  { key: 'anon', label: 'anon', actor: anonActor, self: null },
  { key: 'A1', label: 'tenant A user 1', actor: userActor('A1', ID.A1), self: ID.A1 },
  { key: 'A2', label: 'tenant A user 2', actor: userActor('A2', ID.A2), self: ID.A2 },
  { key: 'B1', label: 'tenant B user', actor: userActor('B1', ID.B1), self: ID.B1 },
  {
    key: 'AADM',
    label: 'tenant A admin',
    actor: userActor('AADM', { ...ID.AADM, appRole: 'admin' }),
    self: ID.AADM,
  },
  { key: 'service', label: 'service_role', actor: serviceActor(), self: null },
];

/**
 * Who may execute each function: N anon, A authenticated, S service_role, '-' the owner alone. Trigger functions
 * need no grant (a trigger runs its function without checking EXECUTE); internal helpers live in `private`.
 */
const FUNCTION_EXECUTE: Record<string, string> = {
  // Supabase's own (created by the compat migration only where missing), granted as Supabase grants them.
  'auth.jwt': 'NAS',
  'auth.role': 'NAS',
  'auth.uid': 'NAS',
  'private.d44_apply_action': '-',
  // vtid_next runs as its caller and calls it; no API role can name it (no USAGE on private).
  'private.vtid_year_sequence': 'AS',
  'public.catalog_add_product': 'AS',
  'public.catalog_add_service': 'AS',
  'public.catalog_check_entry': 'AS',
  'public.catalog_writer_tenant': 'AS',
  'public.d44_acknowledge_signal': 'AS',
  'public.d44_check_keys': 'S',
  'public.d44_dismiss_signal': 'AS',
  'public.d44_expire_signals': 'S',
  'public.d44_mark_actioned': 'AS',
  'public.d44_predictive_signals_lifecycle': '-',
  'public.d44_record_feedback': 'AS',
  'public.d44_record_signal': 'S',
  'public.d44_required_text': 'S',
  'public.d44_signal_stats': 'AS',
  'public.d44_text_array': 'S',
  'public.d44_transition_allowed': 'AS',
  'public.emit_oasis_event': 'AS',
  'public.oasis_event_columns': 'AS',
  'public.oasis_event_from_json': 'AS',
  'public.oasis_event_is_plain': 'AS',
  'public.oasis_events_notify': '-',
  'public.oasis_events_refuse_change': '-',
  'public.oasis_event_writer_tenant': 'AS',
  'public.oasis_ingest': 'AS',
  'public.oasis_ingest_many': 'AS',
  'public.oasis_ledger_claim_watcher': 'S',
  'public.oasis_ledger_horizon': 'S',
  'public.oasis_ledger_iso': 'S',
  'public.oasis_ledger_merge_range': 'S',
  'public.oasis_ledger_release_watcher': 'S',
  'public.oasis_ledger_replay': 'S',
  'public.oasis_ledger_status': 'S',
  'public.oasis_ledger_sync': 'S',
  'public.oasis_ledger_watcher_running': 'S',
  'public.offers_assert_target': 'AS',
  'public.offers_check_target_type': 'AS',
  'public.offers_clamp_strength': 'AS',
  'public.offers_move_edge': 'AS',
  'public.offers_outcome_delta': 'AS',
  'public.offers_recommendations': 'AS',
  'public.offers_record_outcome': 'AS',
  'public.offers_set_state': 'AS',
  'public.offers_state_effect': 'AS',
  'public.personalization_audit_check_snapshot': '-',
  'public.personalization_audit_write': 'AS',
  'public.personalization_snapshot_problem': 'AS',
  'public.request_actor': 'AS',
  'public.request_is_admin': 'AS',
  'public.request_is_service_role': 'AS',
  'public.request_role': 'AS',
  'public.request_tenant_id': 'AS',
  'public.set_updated_at': '-',
  'public.vtid_create': 'AS',
  'public.vtid_emit': 'AS',
  'public.vtid_get': 'AS',
  'public.vtid_is_valid': 'AS',
  'public.vtid_list': 'AS',
  'public.vtid_next': 'AS',
  'public.vtid_next_global': 'AS',
  'public.vtid_require': 'AS',
  'public.vtid_require_status': 'AS',
  'public.vtid_require_valid': 'AS',
  'public.vtid_sort_key': 'AS',
  'public.vtid_stats': 'AS',
  'public.vtid_statuses': 'AS',
  'public.vtid_update': 'AS',
};

type Scope = 'user' | 'tenant' | 'none';

interface TableSpec {
  table: string;
  key: string;
  scope: Scope;
  /** Column the update probe sets to itself (default created_at). */
  touch?: string;
  row(owner: Identity, signals: Map<string, string>): Record<string, unknown>;
}

let vtidCounter = 1000;
let ruleCounter = 0;

const SPECS: TableSpec[] = [
  {
    table: 'vtid_ledger',
    key: 'vtid',
    scope: 'tenant',
    row: (o) => ({
      vtid: `VTID-2099-${vtidCounter++}`,
      tenant: o.tenant,
      title: 'matrix',
      task_family: 'test',
    }),
  },
  {
    table: 'oasis_events',
    key: 'id',
    scope: 'none',
    row: () => ({ id: randomUUID(), type: 'matrix.probe', source: 'rls-matrix' }),
  },
  {
    table: 'projection_offsets',
    key: 'projector_name',
    scope: 'none',
    row: () => ({ projector_name: `matrix-${randomUUID()}` }),
  },
  {
    table: 'oasis_ledger_status_priority',
    key: 'status',
    scope: 'none',
    touch: 'priority',
    row: () => ({ status: `matrix-${randomUUID()}`, priority: 1000 + ++ruleCounter }),
  },
  {
    table: 'oasis_ledger_event_status',
    key: 'event_kind',
    scope: 'none',
    touch: 'category',
    row: () => ({ event_kind: `matrix-${randomUUID()}`, ledger_status: 'active', category: 'matrix' }),
  },
  {
    table: 'oasis_ledger_status_fallback',
    key: 'event_status',
    scope: 'none',
    touch: 'ledger_status',
    row: () => ({ event_status: `matrix-${randomUUID()}`, ledger_status: 'active' }),
  },
  {
    table: 'oasis_ledger_errors',
    key: 'event_id',
    scope: 'none',
    touch: 'reason',
    row: () => ({
      event_id: randomUUID(),
      event_seq: 1,
      event_tx_id: '1',
      sqlstate: '23514',
      reason: 'matrix',
    }),
  },
  {
    table: 'services_catalog',
    key: 'id',
    scope: 'tenant',
    row: (o) => ({ id: randomUUID(), tenant_id: o.tenantId, name: 'Coach', service_type: 'coach' }),
  },
  {
    table: 'products_catalog',
    key: 'id',
    scope: 'tenant',
    row: (o) => ({ id: randomUUID(), tenant_id: o.tenantId, name: 'App', product_type: 'app' }),
  },
  {
    table: 'user_offers_memory',
    key: 'id',
    scope: 'user',
    row: (o) => ({
      id: randomUUID(),
      tenant_id: o.tenantId,
      user_id: o.userId,
      target_type: 'service',
      target_id: randomUUID(),
      state: 'viewed',
    }),
  },
  {
    table: 'usage_outcomes',
    key: 'id',
    scope: 'user',
    row: (o) => ({
      id: randomUUID(),
      tenant_id: o.tenantId,
      user_id: o.userId,
      target_type: 'service',
      target_id: randomUUID(),
      outcome_date: '2026-01-01',
      outcome_type: 'sleep',
      perceived_impact: 'same',
    }),
  },
  {
    table: 'relationship_edges',
    key: 'id',
    scope: 'user',
    row: (o) => ({
      id: randomUUID(),
      tenant_id: o.tenantId,
      user_id: o.userId,
      target_type: 'person',
      target_id: randomUUID(),
      relationship_type: 'connected',
    }),
  },
  {
    table: 'personalization_audit',
    key: 'id',
    scope: 'user',
    row: (o) => ({ id: randomUUID(), tenant_id: o.tenantId, user_id: o.userId, endpoint: '/matrix' }),
  },
  {
    table: 'd44_predictive_signals',
    key: 'id',
    scope: 'user',
    row: (o) => ({
      id: randomUUID(),
      tenant_id: o.tenantId,
      user_id: o.userId,
      signal_type: 'health_drift',
      confidence: 50,
      time_window: 'last_7_days',
      detected_change: 'sleep shorter',
      user_impact: 'low',
      suggested_action: 'awareness',
      explainability_text: 'fewer hours logged',
    }),
  },
  {
    table: 'd44_signal_evidence',
    key: 'id',
    scope: 'user',
    row: (o, signals) => ({
      id: randomUUID(),
      tenant_id: o.tenantId,
      user_id: o.userId,
      signal_id: signals.get(o.key),
      evidence_type: 'memory',
      source_ref: 'm-1',
      source_table: 'memories',
      summary: 'late nights',
      recorded_at: '2026-01-01T00:00:00Z',
    }),
  },
  {
    table: 'd44_intervention_history',
    key: 'id',
    scope: 'user',
    row: (o, signals) => ({
      id: randomUUID(),
      tenant_id: o.tenantId,
      user_id: o.userId,
      signal_id: signals.get(o.key),
      action_type: 'shared',
    }),
  },
];

// Expected cells: "SIUD|SIUD" = select, insert, update, delete on its own row | on another's row; "-" = denied.
const NONE = '----|----';
const USER_FULL = {
  anon: NONE,
  A1: 'SIUD|----',
  A2: 'SIUD|----',
  B1: 'SIUD|----',
  AADM: 'SIUD|----',
  service: 'SIUD|SIUD',
};
const USER_APPEND = {
  anon: NONE,
  A1: 'SI--|----',
  A2: 'SI--|----',
  B1: 'SI--|----',
  AADM: 'SI--|----',
  service: 'SI--|SI--',
};
const USER_READ = {
  anon: NONE,
  A1: 'S---|----',
  A2: 'S---|----',
  B1: 'S---|----',
  AADM: 'S---|----',
  service: 'SIUD|SIUD',
};
/** The ledger writer's status rules: everyone signed in reads them; only service_role changes them. */
const LEDGER_RULES = {
  anon: NONE,
  A1: 'S---|S---',
  A2: 'S---|S---',
  B1: 'S---|S---',
  AADM: 'S---|S---',
  service: 'SIUD|SIUD',
};
const CATALOG = {
  anon: NONE,
  A1: 'S---|----',
  A2: 'S---|----',
  B1: 'S---|----',
  AADM: 'SIUD|----',
  service: 'SIUD|SIUD',
};

const EXPECTED: Record<string, Record<PrincipalKey, string>> = {
  vtid_ledger: {
    anon: NONE,
    A1: 'SIU-|S---',
    A2: 'SIU-|S---',
    B1: 'SIU-|S---',
    AADM: 'SIU-|SIU-',
    service: 'SIU-|SIU-',
  },
  oasis_events: {
    anon: NONE,
    A1: 'SI--|SI--',
    A2: 'SI--|SI--',
    B1: 'SI--|SI--',
    AADM: 'SI--|SI--',
    service: 'SI--|SI--',
  },
  projection_offsets: { anon: NONE, A1: NONE, A2: NONE, B1: NONE, AADM: NONE, service: 'SIUD|SIUD' },
  oasis_ledger_status_priority: LEDGER_RULES,
  oasis_ledger_event_status: LEDGER_RULES,
  oasis_ledger_status_fallback: LEDGER_RULES,
  oasis_ledger_errors: { anon: NONE, A1: NONE, A2: NONE, B1: NONE, AADM: NONE, service: 'SIUD|SIUD' },
  services_catalog: CATALOG,
  products_catalog: CATALOG,
  user_offers_memory: USER_FULL,
  usage_outcomes: USER_FULL,
  relationship_edges: USER_FULL,
  personalization_audit: USER_APPEND,
  d44_predictive_signals: USER_READ,
  d44_signal_evidence: USER_READ,
  d44_intervention_history: { ...USER_READ, service: 'SI--|SI--' },
};

const OPS = ['select', 'insert', 'update', 'delete'] as const;
type Op = (typeof OPS)[number];

/** seeded[table][identity] = key of that identity's row. */
const seeded = new Map<string, Map<Identity['key'], string>>();
const signals = new Map<string, string>();

function targets(p: (typeof PRINCIPALS)[number], scope: Scope): { own: Identity; others: Identity[] } {
  if (!p.self) return { own: ID.A1, others: [ID.B1] };
  const self = p.self;
  if (scope === 'user')
    return { own: self, others: [ID.A1, ID.A2, ID.B1].filter((i) => i.userId !== self.userId) };
  if (scope === 'tenant') return { own: self, others: [self.tenantId === TENANT_A ? ID.B1 : ID.A1] };
  return { own: self, others: [self.key === 'A1' ? ID.A2 : ID.A1] };
}

function permissionDenied(e: unknown): boolean {
  return (e as { code?: string }).code === '42501';
}

/** True when the operation succeeded on the row; false when refused (42501) or no row was reachable. */
async function attempt(spec: TableSpec, actor: Actor, op: Op, owner: Identity): Promise<boolean> {
  const sql = db.sql;
  const id = seeded.get(spec.table)?.get(owner.key);
  const run = async (tx: RoleSql): Promise<boolean> => {
    if (op === 'insert') {
      const row = spec.row(owner, signals);
      await tx`insert into ${tx(spec.table)} ${tx(row as Record<string, string>)}`;
      return true;
    }
    if (op === 'select') {
      const r = await tx`select 1 from ${tx(spec.table)} where ${tx(spec.key)} = ${id as string}`;
      return r.length === 1;
    }
    if (op === 'update') {
      const r =
        await tx`update ${tx(spec.table)} set ${tx(spec.touch ?? 'created_at')} = ${tx(spec.touch ?? 'created_at')} where ${tx(spec.key)} = ${id as string} returning 1`;
      return r.length === 1;
    }
    const r = await tx`delete from ${tx(spec.table)} where ${tx(spec.key)} = ${id as string} returning 1`;
    return r.length === 1;
  };
  try {
    return await asRole(sql, actor, run, { rollback: true });
  } catch (e) {
    if (permissionDenied(e)) return false;
    throw new Error(`${actor.name} ${op} on ${spec.table}: unexpected error ${(e as Error).message}`);
  }
}

beforeAll(async () => {
  const service = serviceActor();
  await asRole(db.sql, service, async (tx) => {
    for (const spec of SPECS) {
      const byOwner = new Map<Identity['key'], string>();
      for (const owner of Object.values(ID)) {
        const row = spec.row(owner, signals);
        await tx`insert into ${tx(spec.table)} ${tx(row as Record<string, string>)}`;
        byOwner.set(owner.key, String(row[spec.key]));
        if (spec.table === 'd44_predictive_signals') signals.set(owner.key, String(row.id));
      }
      seeded.set(spec.table, byOwner);
    }
  });
});

describe('row-level security matrix', () => {
  it('covers every table of the public schema, each with row-level security enabled', async () => {
    const tables = await db.sql<{ relname: string; relrowsecurity: boolean }[]>`
      select c.relname, c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`;
    const bookkeeping = (name: string) => name === 'pgmigrations' || name.startsWith('dbcanon_');
    expect(
      tables
        .map((t) => t.relname)
        .filter((t) => !bookkeeping(t))
        .sort(),
    ).toEqual(SPECS.map((s) => s.table).sort());
    expect(tables.filter((t) => !t.relrowsecurity).map((t) => t.relname)).toEqual([]);
  });

  it("closes the migration runner's bookkeeping tables to every API role", async () => {
    const grants = await db.sql<{ relname: string; role: string; n: number }[]>`
      select c.relname, r.role, count(*)::int as n
      from pg_class c join pg_namespace ns on ns.oid = c.relnamespace
      cross join unnest(array['anon', 'authenticated', 'service_role']) r(role)
      cross join unnest(array['select', 'insert', 'update', 'delete', 'truncate']) p(priv)
      where ns.nspname = 'public' and c.relkind = 'r'
        and (c.relname = 'pgmigrations' or c.relname like 'dbcanon\\_%')
        and has_table_privilege(r.role, c.oid, p.priv)
      group by 1, 2`;
    expect(grants).toEqual([]);
    const tables =
      await db.sql`select relname from pg_class where relname in ('pgmigrations', 'dbcanon_migrations')`;
    expect(tables.length).toBe(2);
  });

  it('allows and denies exactly the declared cells, run as each role with its claims', async () => {
    const lines: string[] = [];
    const mismatches: string[] = [];
    const pad = (s: string, n: number) => s.padEnd(n);
    const width = Math.max(...SPECS.map((t) => t.table.length)) + 2;
    lines.push(`${pad('table', width)}${pad('role', 17)}own S I U D   another's S I U D   expected`);
    for (const spec of SPECS) {
      for (const p of PRINCIPALS) {
        const { own, others } = targets(p, spec.scope);
        let ownCells = '';
        let otherCells = '';
        for (const op of OPS) {
          ownCells += (await attempt(spec, p.actor, op, own)) ? op.charAt(0).toUpperCase() : '-';
          const results: boolean[] = [];
          for (const other of others) results.push(await attempt(spec, p.actor, op, other));
          otherCells += results.every(Boolean)
            ? op.charAt(0).toUpperCase()
            : results.some(Boolean)
              ? '?'
              : '-';
        }
        const actual = `${ownCells}|${otherCells}`;
        const expected = EXPECTED[spec.table]?.[p.key];
        const mark = actual === expected ? 'ok' : `MISMATCH (expected ${expected})`;
        if (actual !== expected) mismatches.push(`${spec.table} / ${p.label}: ${actual} ≠ ${expected}`);
        const show = (cells: string) => cells.split('').join(' ');
        lines.push(
          `${pad(spec.table, width)}${pad(p.label, 17)}${pad(show(ownCells), 14)}${pad(show(otherCells), 20)}${mark}`,
        );
      }
    }
    console.log(
      `\nRLS matrix (S/I/U/D allowed, - denied, ? allowed on some of another's rows only)\n${lines.join('\n')}`,
    );
    expect(mismatches).toEqual([]);
  });

  it('leaks no row of another tenant (or, in per-user tables, another user) to a signed-in user', async () => {
    const leaks: string[] = [];
    for (const p of PRINCIPALS.filter((x) => x.self)) {
      const self = p.self as Identity;
      for (const spec of SPECS.filter((s) => s.scope !== 'none' && s.table !== 'vtid_ledger')) {
        const n = await asRole(db.sql, p.actor, async (tx) => {
          const foreign =
            spec.scope === 'user'
              ? await tx`select count(*)::int as n from ${tx(spec.table)} where tenant_id <> ${self.tenantId} or user_id <> ${self.userId}`
              : await tx`select count(*)::int as n from ${tx(spec.table)} where tenant_id <> ${self.tenantId}`;
          return first(foreign).n as number;
        }).catch((e) => (permissionDenied(e) ? 0 : Promise.reject(e)));
        if (n !== 0) leaks.push(`${p.label} sees ${n} foreign rows of ${spec.table}`);
      }
    }
    expect(leaks).toEqual([]);
    // The control: service_role does see every tenant, so the zero above is the policies' doing.
    const all = await asRole(db.sql, serviceActor(), async (tx) => {
      const r = await tx`select count(distinct tenant_id)::int as n from user_offers_memory`;
      return first(r).n as number;
    });
    expect(all).toBe(2);
  });

  it('wraps every auth call of a policy in a scalar subquery and indexes the tenant/user columns it filters', async () => {
    const policies = await db.sql<{ tablename: string; policyname: string; expr: string }[]>`
      select tablename, policyname, coalesce(qual, '') || ' ' || coalesce(with_check, '') as expr
      from pg_policies where schemaname = 'public'`;
    expect(policies.length).toBeGreaterThan(0);
    const bare = policies.filter((p) =>
      /(?<!SELECT \(*(?:public\.)?)(?:auth\.(?:uid|jwt|role)|request_\w+)\(\)/.test(p.expr),
    );
    expect(bare.map((p) => `${p.tablename}: ${p.policyname}: ${p.expr}`)).toEqual([]);

    const unindexed: string[] = [];
    for (const spec of SPECS.filter((s) => s.scope !== 'none' && s.table !== 'vtid_ledger')) {
      const lead = spec.scope === 'user' ? ['tenant_id', 'user_id'] : ['tenant_id'];
      const r = await db.sql<{ n: number }[]>`
        select count(*)::int as n from pg_index i
        where i.indrelid = ${`public.${spec.table}`}::regclass
          and (select array_agg(a.attname::text order by k.ord) from unnest(i.indkey[0:${lead.length - 1}])
                 with ordinality k(attnum, ord) join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum)
              = ${lead}::text[]`;
      if (first(r).n === 0) unindexed.push(`${spec.table} (${lead.join(', ')})`);
    }
    expect(unindexed).toEqual([]);
  });

  it('grants EXECUTE on every function, and every privilege on sequences and views, exactly as declared', async () => {
    // Every function of the schemas the platform creates, every sequence and every view: a new one fails here
    // until its privileges are declared, so nothing becomes reachable by an API role by default.
    const rows = await db.sql<{ kind: string; name: string; privs: string }[]>`
      with roles(role, letter) as (values ('anon', 'N'), ('authenticated', 'A'), ('service_role', 'S'))
      select 'function' as kind, n.nspname || '.' || p.proname as name,
             coalesce(string_agg(r.letter, '' order by r.role)
                        filter (where has_function_privilege(r.role, p.oid, 'execute')), '-') as privs
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace cross join roles r
       where n.nspname in ('public', 'private', 'auth')
       group by 1, 2, p.oid
      union all
      select case c.relkind when 'S' then 'sequence' else 'view' end, n.nspname || '.' || c.relname,
             string_agg(r.letter || ':' || (
               select coalesce(string_agg(upper(left(x.priv, 1)), '' order by x.ord), '-')
                 from unnest(case c.relkind when 'S' then array['usage', 'select', 'update']
                                            else array['select', 'insert', 'update', 'delete'] end)
                      with ordinality x(priv, ord)
                where case c.relkind when 'S' then has_sequence_privilege(r.role, c.oid, x.priv)
                                     else has_table_privilege(r.role, c.oid, x.priv) end), ' ' order by r.role)
        from pg_class c join pg_namespace n on n.oid = c.relnamespace cross join roles r
       where n.nspname in ('public', 'private') and c.relkind in ('S', 'v', 'm')
       group by 1, 2
      order by 1, 2`;
    const year = new Date().getUTCFullYear();
    const counter = 'N:- A:US S:US';
    const expected: Record<string, string> = {
      ...Object.fromEntries(Object.entries(FUNCTION_EXECUTE).map(([f, p]) => [`function ${f}`, p])),
      'sequence public.oasis_events_seq_seq': 'N:- A:- S:-',
      'sequence public.pgmigrations_id_seq': 'N:- A:- S:-',
      'sequence public.vtid_global_seq': counter,
      [`sequence public.vtid_year_seq_${year}`]: counter,
      [`sequence public.vtid_year_seq_${year + 1}`]: counter,
      'view public.oasis_ledger_event_projection': 'N:- A:- S:S',
      'view public.oasis_projector_metrics': 'N:- A:- S:S',
    };
    const actual = Object.fromEntries(rows.map((r) => [`${r.kind} ${r.name}`, r.privs]));
    console.log(
      `\nPrivilege matrix (functions: N anon, A authenticated, S service_role may EXECUTE; sequences: Usage, Select, ` +
        `Update; views: Select, Insert, Update, Delete)\n${Object.entries(actual)
          .map(
            ([k, v]) =>
              `${k.padEnd(60)}${v}${expected[k] === v ? '' : `   MISMATCH (expected ${expected[k]})`}`,
          )
          .join('\n')}`,
    );
    expect(actual).toEqual(expected);
  });

  it('lets anon execute none of the offers, audit and signal functions', async () => {
    const fns = await db.sql<{ sig: string }[]>`
      select p.oid::regprocedure::text as sig from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' and (p.proname like 'offers\\_%' or p.proname like 'catalog\\_%'
        or p.proname like 'd44\\_%' or p.proname like 'personalization\\_%' or p.proname like 'request\\_%')`;
    expect(fns.length).toBeGreaterThan(20);
    const runnable = await db.sql<{ sig: string }[]>`
      select s as sig from unnest(${fns.map((f) => f.sig)}::text[]) s where has_function_privilege('anon', s, 'execute')`;
    expect(runnable.map((r) => r.sig)).toEqual([]);
  });
});
