/**
 * The attacks an audit of the migrated platform database found, each run as the attacking role with its claims
 * (SET ROLE as PostgREST does; never as the owner, who bypasses row-level security), each closed. "Through the
 * API" holes are reachable by a PostgREST client with an anon or user JWT; "through SQL" ones by a session
 * running as an API role.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import {
  anonActor,
  asRole,
  first,
  newUserActor,
  serviceActor,
  sqlState,
  userActor,
} from '../support/roles.js';

const db = useTestDatabase();

/** A JSON argument, as postgres.js takes it for a jsonb parameter. */
const json = (value: unknown) => JSON.stringify(value);

const TENANT_A = '0000000a-0000-4000-8000-00000000000a';
const TENANT_B = '0000000b-0000-4000-8000-00000000000b';
/** A user of tenant maxina and one of tenant earthlings (the `tenant` claim is what vtid_ledger keys on). */
const maxina = newUserActor(TENANT_A, { tenant: 'maxina' });
const earthlings = newUserActor(TENANT_B, { tenant: 'earthlings' });

async function sync(): Promise<Record<string, unknown>> {
  return asRole(db.sql, serviceActor(), async (tx) => {
    const r = await tx`select oasis_ledger_sync() as r`;
    return first(r).r as Record<string, unknown>;
  });
}

async function ledgerRow(vtid: string): Promise<Record<string, unknown> | undefined> {
  const rows = await db.sql`select vtid, tenant, status, last_event_id from vtid_ledger where vtid = ${vtid}`;
  return rows[0];
}

describe('hole 1: counters', () => {
  it('through SQL: anon and signed-in users cannot reset the event log or the VTID counters', async () => {
    const seqs = ['oasis_events_seq_seq', 'vtid_global_seq', `vtid_year_seq_${new Date().getUTCFullYear()}`];
    for (const actor of [anonActor, maxina]) {
      for (const s of seqs) {
        const state = await sqlState(
          asRole(db.sql, actor, (tx) => tx`select setval(${s}::regclass, 9223372036854775807)`, {
            rollback: true,
          }),
        );
        expect(`${actor.name} setval ${s}: ${state}`).toBe(`${actor.name} setval ${s}: 42501`);
      }
    }
    // Ingest and allocation still work for a signed-in user: nextval needs only USAGE.
    const vtid = await asRole(
      db.sql,
      maxina,
      async (tx) => {
        await tx`select oasis_ingest('{"type":"probe","source":"security"}')`;
        return first(await tx`select vtid_next() as v`).v as string;
      },
      { rollback: true },
    );
    expect(vtid).toMatch(/^VTID-\d{4}-\d{4,}$/);
  });

  it("through the API: no role but the owner can create a year's counter by calling the counter function", async () => {
    const before = first(
      await db.sql`select count(*)::int as n from pg_class where relname like 'vtid_year_seq_%'`,
    ).n as number;
    for (const actor of [anonActor, maxina]) {
      // /rpc/vtid_year_sequence is gone from the exposed schema, and the private one cannot be named.
      expect(
        await sqlState(
          asRole(db.sql, actor, (tx) => tx`select public.vtid_year_sequence(2501)`, { rollback: true }),
        ),
      ).toBe('42883');
      expect(
        await sqlState(
          asRole(db.sql, actor, (tx) => tx`select private.vtid_year_sequence(2501)`, { rollback: true }),
        ),
      ).toBe('42501');
    }
    // anon cannot allocate at all, so cannot create counters through vtid_next either.
    expect(
      await sqlState(asRole(db.sql, anonActor, (tx) => tx`select vtid_next(2502)`, { rollback: true })),
    ).toBe('42501');
    const after = first(
      await db.sql`select count(*)::int as n from pg_class where relname like 'vtid_year_seq_%'`,
    ).n as number;
    expect(after).toBe(before);
  });
});

describe('hole 2: views', () => {
  it('through the API: anon and signed-in users read no event through the ledger views', async () => {
    await db.sql`select oasis_ingest('{"type":"task_created","source":"security","vtid":"VTID-2031-0001"}')`;
    for (const actor of [anonActor, maxina]) {
      for (const view of ['oasis_ledger_event_projection', 'oasis_projector_metrics']) {
        const state = await sqlState(asRole(db.sql, actor, (tx) => tx`select * from ${tx(view)}`));
        expect(`${actor.name} ${view}: ${state}`).toBe(`${actor.name} ${view}: 42501`);
      }
    }
    const n = await asRole(db.sql, serviceActor(), async (tx) => {
      return first(await tx`select count(*)::int as n from oasis_ledger_event_projection`).n as number;
    });
    expect(n).toBeGreaterThan(0);
  });

  it("runs both views with their reader's rights", async () => {
    const rows = await db.sql<{ relname: string; opts: string[] | null }[]>`
      select relname, reloptions as opts from pg_class
      where relname in ('oasis_ledger_event_projection', 'oasis_projector_metrics') order by 1`;
    expect(rows.map((r) => [r.relname, r.opts])).toEqual([
      ['oasis_ledger_event_projection', ['security_invoker=true']],
      ['oasis_projector_metrics', ['security_invoker=true']],
    ]);
  });
});

describe("hole 3: one tenant's events and another tenant's ledger", () => {
  it("through the API: a user's event does not move another tenant's ledger row", async () => {
    const vtid = 'VTID-2031-0100';
    await asRole(
      db.sql,
      maxina,
      (tx) => tx`insert into vtid_ledger (vtid, tenant, status) values (${vtid}, 'maxina', 'active')`,
    );
    await sync();
    await asRole(
      db.sql,
      earthlings,
      (tx) => tx`select oasis_ingest(${json({ type: 'task_cancelled', source: 'x', vtid })}::text::jsonb)`,
    );
    const result = await sync();
    expect(result.skipped).toBeGreaterThanOrEqual(1);
    expect(await ledgerRow(vtid)).toMatchObject({ tenant: 'maxina', status: 'active' });

    // The row's own tenant does move it.
    await asRole(
      db.sql,
      maxina,
      (tx) => tx`select oasis_ingest(${json({ type: 'task_completed', source: 'x', vtid })}::text::jsonb)`,
    );
    await sync();
    expect(await ledgerRow(vtid)).toMatchObject({ tenant: 'maxina', status: 'complete' });
  });

  it('gives a row created by an event the tenant of its writer; a user without a tenant creates nothing', async () => {
    const own = 'VTID-2031-0200';
    await asRole(
      db.sql,
      earthlings,
      (tx) => tx`select oasis_ingest(${json({ type: 'task_created', source: 'x', vtid: own })}::text::jsonb)`,
    );
    const noTenant = userActor('no tenant', { userId: randomUUID(), tenantId: TENANT_B, tenant: '' });
    const orphan = 'VTID-2031-0201';
    await asRole(
      db.sql,
      { ...noTenant, claims: { role: 'authenticated', sub: randomUUID() } },
      (tx) =>
        tx`select oasis_ingest(${json({ type: 'task_created', source: 'x', vtid: orphan })}::text::jsonb)`,
    );
    await sync();
    expect(await ledgerRow(own)).toMatchObject({ tenant: 'earthlings', status: 'pending' });
    expect(await ledgerRow(orphan)).toBeUndefined();
    const [e] = await db.sql`select writer_tenant from oasis_events where vtid = ${orphan}`;
    expect(e?.writer_tenant).toBe('');
  });

  it('stamps writer_tenant from the database role and the tenant claim, whatever the writer sends', async () => {
    const [u] = await asRole(
      db.sql,
      earthlings,
      (tx) => tx`select writer_tenant from oasis_ingest('{"type":"t","source":"s"}')`,
    );
    expect(u?.writer_tenant).toBe('earthlings');
    // A user cannot name the column at all; service_role may name a tenant or leave it null (trusted).
    expect(
      await sqlState(
        asRole(
          db.sql,
          earthlings,
          (tx) => tx`insert into oasis_events (type, source, writer_tenant) values ('t', 's', 'maxina')`,
        ),
      ),
    ).toBe('42501');
    const [s] = await asRole(
      db.sql,
      serviceActor(),
      (tx) =>
        tx`insert into oasis_events (type, source, writer_tenant) values ('t', 's', 'maxina') returning writer_tenant`,
    );
    expect(s?.writer_tenant).toBe('maxina');
    const [n] = await asRole(
      db.sql,
      serviceActor(),
      (tx) => tx`select writer_tenant from oasis_ingest('{"type":"t","source":"s"}')`,
    );
    expect(n?.writer_tenant).toBeNull();
  });

  it('refuses a created_at far in the future or infinite, so no event wins forever', async () => {
    for (const at of ['9999-12-31T00:00:00Z', 'infinity', '-infinity']) {
      const state = await sqlState(
        asRole(
          db.sql,
          earthlings,
          (tx) => tx`select oasis_ingest(${json({ type: 't', source: 's', created_at: at })}::text::jsonb)`,
        ),
      );
      expect(`${at}: ${state}`).toBe(`${at}: 23514`);
      // Not even the owner stores one.
      expect(
        await sqlState(
          db.sql`insert into oasis_events (type, source, created_at) values ('t', 's', ${at}::text::timestamptz)`,
        ),
      ).toBe('23514');
    }
    // A past time is an event reported late, and stays allowed; so does a little clock skew.
    const [r] = await asRole(
      db.sql,
      earthlings,
      (tx) =>
        tx`select created_at from oasis_ingest(${json({ type: 't', source: 's', created_at: '2020-01-01T00:00:00Z' })}::text::jsonb)`,
    );
    expect(new Date(r?.created_at as string).toISOString()).toBe('2020-01-01T00:00:00.000Z');
    await asRole(
      db.sql,
      earthlings,
      (tx) =>
        tx`select oasis_ingest(${json({ type: 't', source: 's', created_at: new Date(Date.now() + 60_000).toISOString() })}::text::jsonb)`,
    );
  });

  it('lets no writer choose tx_id, so live projection and replay agree', async () => {
    for (const actor of [earthlings, serviceActor()]) {
      const state = await sqlState(
        asRole(
          db.sql,
          actor,
          (tx) => tx`insert into oasis_events (type, source, tx_id) values ('t', 's', '999999999999')`,
        ),
      );
      expect(`${actor.name}: ${state}`).toBe(`${actor.name}: 42501`);
    }
    const vtid = 'VTID-2031-0300';
    await asRole(
      db.sql,
      serviceActor(),
      (tx) => tx`insert into oasis_events (type, source, vtid) values ('task_started', 's', ${vtid})`,
    );
    await sync();
    const live =
      await db.sql`select vtid, tenant, status, last_event_id, source_event_id from vtid_ledger order by vtid`;
    expect(live.find((r) => r.vtid === vtid)).toMatchObject({ status: 'active' });
    const pending = await asRole(db.sql, serviceActor(), async (tx) => {
      await tx`select oasis_ledger_replay()`;
      await tx`select oasis_ledger_sync()`;
      return first(await tx`select oasis_ledger_status() as s`).s as { pending: number };
    });
    expect(pending.pending).toBe(0);
    const replayed =
      await db.sql`select vtid, tenant, status, last_event_id, source_event_id from vtid_ledger order by vtid`;
    expect(replayed).toEqual(live);
  });
});

describe('hole 4: the role claim', () => {
  it('through SQL: a session running as authenticated with a service_role claim is not service_role', async () => {
    const owner = newUserActor(TENANT_A, { tenant: 'maxina' });
    const [signal] = await asRole(
      db.sql,
      serviceActor(),
      (tx) =>
        tx`select id from d44_record_signal(${json({
          tenant_id: TENANT_A,
          user_id: owner.userId,
          signal_type: 'health_drift',
          confidence: 80,
          time_window: 'last_7_days',
          detected_change: 'sleep',
          user_impact: 'low',
          suggested_action: 'awareness',
          explainability_text: 'x',
        })}::text::jsonb)`,
    );
    const forged = {
      name: 'forged',
      role: 'authenticated' as const,
      claims: { role: 'service_role', sub: randomUUID(), tenant_id: TENANT_B, tenant: 'earthlings' },
    };
    expect(first(await asRole(db.sql, forged, (tx) => tx`select request_is_service_role() as s`)).s).toBe(
      false,
    );
    expect(
      await sqlState(
        asRole(db.sql, forged, (tx) => tx`select d44_acknowledge_signal(${signal?.id as string})`),
      ),
    ).toBe('P0002');
    const [s] = await db.sql`select status from d44_predictive_signals where id = ${signal?.id as string}`;
    expect(s?.status).toBe('active');
    // service_role by database role still acts on any signal, also through the security definer functions.
    expect(
      first(await asRole(db.sql, serviceActor(), (tx) => tx`select request_is_service_role() as s`)).s,
    ).toBe(true);
    await asRole(db.sql, serviceActor(), (tx) => tx`select d44_acknowledge_signal(${signal?.id as string})`);
  });

  it("through the API: the signals' shared action function is not callable", async () => {
    for (const actor of [earthlings, anonActor]) {
      const call = (schema: string) =>
        sqlState(
          asRole(db.sql, actor, (tx) =>
            tx.unsafe(
              `select ${schema}.d44_apply_action('${randomUUID()}', 'dismissed', 'dismissed', 'x', '{}')`,
            ),
          ),
        );
      expect(await call('public')).toBe('42883');
      expect(await call('private')).toBe('42501');
    }
  });
});

describe('smaller holes', () => {
  it('vtid_next(null) raises instead of returning null', async () => {
    expect(await sqlState(db.sql`select vtid_next(null)`)).toBe('22023');
  });

  it('stores an event whose type and vtid are longer than a notification can carry', async () => {
    const long = 'x'.repeat(9000);
    const [r] =
      await db.sql`select length(type)::int as n from oasis_ingest(${json({ type: long, source: 's', vtid: long })}::text::jsonb)`;
    expect(r?.n).toBe(9000);
    const [m] = await db.sql`select count(*)::int as n from oasis_ingest_many(${json([
      { type: long, source: 's' },
      { type: 'short', source: 's' },
    ])}::text::jsonb)`;
    expect(m?.n).toBe(2);
  });
});
