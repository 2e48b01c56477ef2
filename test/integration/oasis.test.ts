import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';

const db = useTestDatabase();

async function failure(run: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await run();
  } catch (e) {
    const err = e as { code: string; message: string };
    return { code: err.code, message: err.message };
  }
  throw new Error('expected the statement to fail, it succeeded');
}

async function ingest(event: unknown) {
  const [row] = await db.sql`select * from oasis_ingest(${JSON.stringify(event)}::text::jsonb)`;
  return row as Record<string, unknown>;
}

describe('oasis_events is append-only', () => {
  const changes = {
    UPDATE: `update oasis_events set message = 'rewritten'`,
    DELETE: `delete from oasis_events`,
    TRUNCATE: `truncate oasis_events`,
  };

  it.each(Object.entries(changes))('refuses %s as the owner', async (op, statement) => {
    await ingest({ type: 'test.append_only', source: 'test', message: 'original' });
    const before = await db.sql`select id, message from oasis_events order by seq`;
    const [{ owner } = { owner: '' }] = await db.sql`select tableowner as owner, current_user as me
                                                     from pg_tables where tablename = 'oasis_events'`;
    const [{ me } = { me: '' }] = await db.sql`select current_user as me`;
    expect(owner).toBe(me);
    const e = await failure(() => db.sql.unsafe(statement));
    expect(e.code).toBe('42501');
    expect(e.message).toBe(`oasis_events is append-only: ${op} is refused`);
    expect(await db.sql`select id, message from oasis_events order by seq`).toEqual(before);
  });

  it.each(Object.entries(changes))(
    'refuses %s as service_role, which bypasses RLS',
    async (op, statement) => {
      await ingest({ type: 'test.append_only', source: 'test', message: 'original' });
      const before = await db.sql`select id, message from oasis_events order by seq`;
      const e = await failure(() =>
        db.sql.begin(async (tx) => {
          await tx`set local role service_role`;
          // The role holds the privilege (Supabase's default grants), so only the trigger stands in the way.
          const [p] = await tx`select has_table_privilege('oasis_events', ${op}) as ok`;
          expect(p?.ok).toBe(true);
          await tx.unsafe(statement);
        }),
      );
      expect(e.code).toBe('42501');
      expect(e.message).toBe(`oasis_events is append-only: ${op} is refused`);
      expect(await db.sql`select id, message from oasis_events order by seq`).toEqual(before);
    },
  );

  it('refuses even a DELETE that matches no row', async () => {
    const e = await failure(() => db.sql`delete from oasis_events where false`);
    expect(e.code).toBe('42501');
  });
});

describe('oasis_events notifications', () => {
  it('tells a listener {id, seq, type, vtid} of an ingested event, at commit', async () => {
    const listener = postgres(db.url, { max: 1, onnotice: () => {} });
    const received: Record<string, unknown>[] = [];
    let wake: () => void = () => {};
    try {
      await listener.listen('oasis_events', (payload) => {
        received.push(JSON.parse(payload));
        wake();
      });
      const arrived = new Promise<void>((resolve) => {
        wake = resolve;
      });
      // A rolled-back event is never announced: the listener hears only the committed one.
      await failure(() =>
        db.sql.begin(async (tx) => {
          await tx`select oasis_ingest('{"type":"test.rolled_back","source":"test"}'::jsonb)`;
          throw new Error('roll back');
        }),
      );
      const row = await ingest({ type: 'test.notified', source: 'test', vtid: 'VTID-2026-0042' });
      await arrived;
      expect(received).toEqual([
        { id: row.id, seq: Number(row.seq), type: 'test.notified', vtid: 'VTID-2026-0042' },
      ]);
    } finally {
      await listener.end();
    }
  });

  it('announces every row of a multi-row insert, in seq order', async () => {
    const listener = postgres(db.url, { max: 1, onnotice: () => {} });
    const received: { seq: number; type: string }[] = [];
    let wake: () => void = () => {};
    try {
      await listener.listen('oasis_events', (payload) => {
        const notice = JSON.parse(payload) as { seq: number; type: string };
        if (notice.type === 'test.bulk') received.push(notice);
        if (received.length === 3) wake();
      });
      const arrived = new Promise<void>((resolve) => {
        wake = resolve;
      });
      const rows = await db.sql`insert into oasis_events (type, source)
                                select 'test.bulk', 'test' from generate_series(1, 3) returning seq`;
      await arrived;
      expect(received.map((r) => r.seq)).toEqual(rows.map((r) => Number(r.seq)));
    } finally {
      await listener.end();
    }
  });
});

describe('oasis_ingest', () => {
  it('stores a legacy-shape event in the right columns (seed 002 "Integration with OASIS")', async () => {
    const row = await ingest({
      service: 'vtid-ledger',
      event: 'vtid-completed',
      tenant: 'system',
      status: 'success',
      notes: 'Migration completed successfully',
      metadata: { vtid: 'VTID-2025-0042', duration: 3.5 },
    });
    expect(row).toMatchObject({
      type: 'vtid-completed',
      source: 'vtid-ledger',
      service: 'vtid-ledger',
      status: 'success',
      message: 'Migration completed successfully',
      vtid: 'VTID-2025-0042',
      metadata: { vtid: 'VTID-2025-0042', duration: 3.5, tenant: 'system' },
      payload: null,
      topic: null,
    });
    expect(row.tx_id).toBeTruthy();
    expect(Number(row.seq)).toBeGreaterThan(0);
  });

  it("stores seed 003's ledger_sync event, keeping unknown keys in payload", async () => {
    const row = await ingest({
      service: 'oasis-projector',
      event: 'ledger_sync',
      tenant: 'system',
      status: 'success',
      notes: 'Processed 10 events: 5 updated, 3 created, 0 errors',
      metadata: { processed: 10, vtid: null },
      ref: 'VTID-0521',
    });
    expect(row).toMatchObject({
      type: 'ledger_sync',
      source: 'oasis-projector',
      vtid: null,
      payload: { ref: 'VTID-0521' },
      metadata: { processed: 10, vtid: null, tenant: 'system' },
    });
  });

  it('stores the column shape as given, id and created_at included', async () => {
    const id = '6f1d2a64-0a4c-4c55-9d0e-6a1c4f6b7e01';
    const row = await ingest({
      id,
      type: 'task_created',
      source: 'test',
      vtid: 'VTID-TEST-0521',
      topic: 'tasks',
      status: 'info',
      message: 'Test task created',
      payload: { a: 1 },
      metadata: { environment: 'dev' },
      created_at: '2025-11-29T10:00:00.000Z',
    });
    expect(row).toMatchObject({
      id,
      type: 'task_created',
      source: 'test',
      vtid: 'VTID-TEST-0521',
      topic: 'tasks',
      status: 'info',
      message: 'Test task created',
      payload: { a: 1 },
      metadata: { environment: 'dev' },
      service: null,
    });
    expect((row.created_at as Date).toISOString()).toBe('2025-11-29T10:00:00.000Z');
  });

  it.each([
    [{ source: 'test' }, 'type'],
    [{ type: 'x' }, 'source'],
    [{ type: '  ', source: 'test' }, 'type'],
    [{ service: 'svc', event: '' }, 'event'],
    [{ event: 'e' }, 'service'],
    [{ service: 'svc' }, 'type'],
  ])('refuses %j with 22023 naming %s', async (event, field) => {
    const e = await failure(() => ingest(event));
    expect(e.code).toBe('22023');
    expect(e.message).toBe(`oasis_ingest: field '${field}' is required`);
  });

  it.each([
    [{ type: 'x', source: 's', metadata: [1] }, "field 'metadata' must be a JSON object"],
    [{ type: 'x', source: 's', vtid: 42 }, "field 'vtid' must be a string"],
    [{ type: 'x', source: 's', id: 'nope' }, "field 'id' must be a UUID"],
    [{ type: 'x', source: 's', created_at: 'yesterday-ish' }, "field 'created_at' must be a timestamp"],
    [[{ type: 'x' }], 'an event must be a JSON object'],
  ])('refuses %j with 22023: %s', async (event, text) => {
    const [{ n: before } = { n: 0 }] = await db.sql`select count(*)::int as n from oasis_events`;
    const e = await failure(() => ingest(event));
    expect(e.code).toBe('22023');
    expect(e.message).toContain(text);
    const [{ n: after } = { n: 0 }] = await db.sql`select count(*)::int as n from oasis_events`;
    expect(after).toBe(before);
  });

  it('assigns seq in insert order and tx_id of the inserting transaction', async () => {
    const [a, b] = await db.sql.begin(async (tx) => {
      const [x] =
        await tx`select seq, tx_id, pg_current_xact_id()::text as me from oasis_ingest('{"type":"t","source":"s"}')`;
      const [y] = await tx`select seq, tx_id from oasis_ingest('{"type":"t","source":"s"}')`;
      return [x, y];
    });
    expect(Number(b?.seq)).toBe(Number(a?.seq) + 1);
    expect(String(a?.tx_id)).toBe(String(a?.me));
    expect(String(b?.tx_id)).toBe(String(a?.tx_id));
  });

  it('oasis_ingest_many stores a batch in array order, and nothing when one event is bad', async () => {
    const batch = [
      { type: 'test.many', source: 'test', message: 'first' },
      { service: 'svc', event: 'test.many', notes: 'second', tenant: 'maxina' },
      { type: 'test.many', source: 'test', message: 'third' },
    ];
    const rows = await db.sql`select * from oasis_ingest_many(${JSON.stringify(batch)}::text::jsonb)`;
    expect(rows.map((r) => r.message)).toEqual(['first', 'second', 'third']);
    expect(rows.map((r) => Number(r.seq))).toEqual([0, 1, 2].map((k) => Number(rows[0]?.seq) + k));
    expect(rows[1]).toMatchObject({ source: 'svc', metadata: { tenant: 'maxina' } });

    const [{ n: before } = { n: 0 }] = await db.sql`select count(*)::int as n from oasis_events`;
    const bad = [...batch, { type: 'test.many' }];
    const e = await failure(
      () => db.sql`select * from oasis_ingest_many(${JSON.stringify(bad)}::text::jsonb)`,
    );
    expect(e.code).toBe('22023');
    expect(e.message).toBe("oasis_ingest: event 4: field 'source' is required");
    const [{ n: after } = { n: 0 }] = await db.sql`select count(*)::int as n from oasis_events`;
    expect(after).toBe(before);
    expect((await failure(() => db.sql`select oasis_ingest_many('{}')`)).code).toBe('22023');
  });
});
