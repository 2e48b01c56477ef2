import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';

const db = useTestDatabase();

/** The SQLSTATE and message a statement fails with (fails the test when it succeeds). */
async function failure(run: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await run();
  } catch (e) {
    const err = e as { code: string; message: string };
    return { code: err.code, message: err.message };
  }
  throw new Error('expected the statement to fail, it succeeded');
}

describe('vtid_next', () => {
  it('hands 16 connections × 2,000 allocations 32,000 distinct VTIDs, racing to create a new year', async () => {
    const clients = Array.from({ length: 16 }, () => postgres(db.url, { max: 1, onnotice: () => {} }));
    try {
      const perClient = await Promise.all(
        clients.map(async (c) => {
          const got: string[] = [];
          // 20 statements of 100 calls each, so allocations of different connections interleave finely.
          for (let i = 0; i < 20; i++) {
            const rows = await c`select vtid_next(2077) as v from generate_series(1, 100)`;
            for (const r of rows) got.push(r.v as string);
          }
          return got;
        }),
      );
      const all = perClient.flat();
      expect(all).toHaveLength(32_000);
      expect(new Set(all).size).toBe(32_000);
      expect(all.every((v) => /^VTID-2077-[0-9]{4,}$/.test(v))).toBe(true);
      // Nothing rolled back, so the numbers are exactly 1..32000.
      const numbers = all.map((v) => Number(v.slice(10))).sort((a, b) => a - b);
      expect(numbers[0]).toBe(1);
      expect(numbers[31_999]).toBe(32_000);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it('starts every year at 0001, independently of other years', async () => {
    const [a] = await db.sql`select vtid_next(2078) as v`;
    const [b] = await db.sql`select vtid_next(2078) as v`;
    const [c] = await db.sql`select vtid_next(2079) as v`;
    expect([a?.v, b?.v, c?.v]).toEqual(['VTID-2078-0001', 'VTID-2078-0002', 'VTID-2079-0001']);
  });

  it('defaults to the current UTC year', async () => {
    const [r] = await db.sql`select vtid_next() as v, extract(year from now() at time zone 'UTC')::int as y`;
    expect(r?.v).toMatch(new RegExp(`^VTID-${r?.y}-[0-9]{4,}$`));
  });

  it('widens past 9999: the 10,000th of a year is VTID-YYYY-10000 and sorts after 9999', async () => {
    await db.sql`select setval(private.vtid_year_sequence(2080), 9998)`;
    const [a] = await db.sql`select vtid_next(2080) as v`;
    const [b] = await db.sql`select vtid_next(2080) as v`;
    expect([a?.v, b?.v]).toEqual(['VTID-2080-9999', 'VTID-2080-10000']);

    for (const v of ['VTID-2080-10000', 'VTID-2080-9999', 'VTID-2080-0002']) {
      await db.sql`insert into vtid_ledger (vtid, tenant, task_family) values (${v}, 'system', 'widening')`;
    }
    const sorted = await db.sql`select vtid from vtid_ledger where task_family = 'widening'
                                order by vtid_sort_key(vtid)`;
    expect(sorted.map((r) => r.vtid)).toEqual(['VTID-2080-0002', 'VTID-2080-9999', 'VTID-2080-10000']);
    // Plain text order is the bug the sort key exists for.
    const text =
      await db.sql`select vtid from vtid_ledger where task_family = 'widening' order by vtid collate "C"`;
    expect(text.map((r) => r.vtid)).toEqual(['VTID-2080-0002', 'VTID-2080-10000', 'VTID-2080-9999']);
    const listed = await db.sql`select vtid from vtid_list(p_task_family => 'widening')`;
    expect(listed.map((r) => r.vtid)).toEqual(['VTID-2080-10000', 'VTID-2080-9999', 'VTID-2080-0002']);
  });

  it('never reuses a stored number when a year counter is recreated', async () => {
    await db.sql`insert into vtid_ledger (vtid) values ('VTID-2081-0041')`;
    const [a] = await db.sql`select vtid_next(2081) as v`;
    expect(a?.v).toBe('VTID-2081-0042');
  });

  it('refuses a year that is not four digits with 22023', async () => {
    const e = await failure(() => db.sql`select vtid_next(123)`);
    expect(e.code).toBe('22023');
    expect(e.message).toContain('p_year');
  });

  it('lets authenticated and service_role allocate in a year nobody has used yet', async () => {
    for (const [role, year] of [
      ['authenticated', 2090],
      ['service_role', 2091],
    ] as const) {
      const v = await db.sql.begin(async (tx) => {
        await tx.unsafe(`set local role ${role}`);
        const [r] = await tx`select vtid_next(${year}::int) as v`;
        return r?.v as string;
      });
      expect(v).toBe(`VTID-${year}-0001`);
    }
  });

  it('vtid_next_global gives VTID-NNNNN and widens past 99999', async () => {
    const [a] = await db.sql`select vtid_next_global() as v`;
    expect(a?.v).toMatch(/^VTID-[0-9]{5}$/);
    await db.sql`select setval('vtid_global_seq', 99998)`;
    const [b] = await db.sql`select vtid_next_global() as v`;
    const [c] = await db.sql`select vtid_next_global() as v`;
    expect([b?.v, c?.v]).toEqual(['VTID-99999', 'VTID-100000']);
  });
});

describe('vtid_ledger.vtid format constraint', () => {
  // Every VTID the seed documents use as a real identifier.
  const valid = [
    'VTID-2025-0001',
    'VTID-2025-0042',
    'VTID-2025-0100',
    'VTID-2025-0101',
    'VTID-2026-0001',
    'VTID-0516',
    'VTID-0518',
    'VTID-0519',
    'VTID-0521',
    'VTID-01092',
    'VTID-01096',
    'VTID-01138',
    'DEV-OASIS-0010',
    'DEV-COMMU-0055',
    'VTID-TEST-0521',
    'VTID-2026-10000',
  ];
  const invalid = [
    '',
    'vtid-2025-0001',
    'VTID-25-0001',
    'VTID-2025-001',
    'VTID-001',
    'VTID-XXXX',
    'VTID-YYYY-NNNN',
    ' VTID-2025-0001',
    'VTID-2025-0001 ',
    'VTID_2025_0001',
    'VTID-2025-00A1',
    'VTID-2025-0001-01',
    'DEV-OASIS',
    'dev-oasis-0010',
    'VtidLedger',
    'VTID-٢٠٢٥-0001',
    'VTID-2025-0001\n',
  ];

  it.each(valid)('accepts %s', async (vtid) => {
    await db.sql`insert into vtid_ledger (vtid, task_family) values (${vtid}, 'format-valid')`;
    const [r] = await db.sql`select vtid_is_valid(${vtid}) as ok`;
    expect(r?.ok).toBe(true);
  });

  it.each(invalid)('rejects %j', async (vtid) => {
    const e = await failure(() => db.sql`insert into vtid_ledger (vtid) values (${vtid})`);
    expect(e.code).toBe('23514');
    expect(e.message).toContain('vtid_ledger_vtid_check');
  });

  it('treats null as invalid', async () => {
    const [r] = await db.sql`select vtid_is_valid(null) as ok`;
    expect(r?.ok).toBe(false);
  });
});

describe('vtid_create', () => {
  const base = {
    family: 'governance',
    type: 'migration',
    description: 'Migrate user data',
    tenant: 'system',
  };

  it('allocates, stores and emits vtid.created', async () => {
    const [row] =
      await db.sql`select * from vtid_create(p_task_family => ${base.family}, p_task_type => ${base.type},
      p_description => ${base.description}, p_tenant => ${base.tenant}, p_assigned_to => 'claude-caeo',
      p_metadata => ${JSON.stringify({ priority: 'high' })}::text::jsonb, p_year => 2082)`;
    expect(row?.vtid).toBe('VTID-2082-0001');
    expect(row?.status).toBe('pending');
    expect(row?.metadata).toEqual({ priority: 'high' });
    const events = await db.sql`select type, source, service, status, metadata from oasis_events
                                where vtid = ${row?.vtid as string}`;
    expect(events).toEqual([
      {
        type: 'vtid.created',
        source: 'vtid-ledger',
        service: 'vtid-ledger',
        status: 'success',
        metadata: { vtid: 'VTID-2082-0001', tenant: 'system' },
      },
    ]);
  });

  it.each(['p_task_family', 'p_task_type', 'p_description', 'p_tenant'])(
    'refuses a missing or blank %s with 22023 naming it',
    async (field) => {
      const args: Record<string, string> = {
        p_task_family: base.family,
        p_task_type: base.type,
        p_description: base.description,
        p_tenant: base.tenant,
      };
      for (const value of [undefined, '  ']) {
        const given = Object.entries({ ...args, [field]: value }).filter(([, v]) => v !== undefined);
        const call = `select * from vtid_create(${given.map(([k], i) => `${k} => $${i + 1}`).join(', ')})`;
        const e = await failure(() =>
          db.sql.unsafe(
            call,
            given.map(([, v]) => v as string),
          ),
        );
        expect(e.code).toBe('22023');
        expect(e.message).toBe(`vtid_create: ${field} is required`);
      }
    },
  );

  it('refuses an unknown parent (23503) and an undocumented status (22023)', async () => {
    const parent = await failure(
      () => db.sql`select vtid_create('f', 't', 'd', 'system', p_parent_vtid => 'VTID-2001-0001')`,
    );
    expect(parent.code).toBe('23503');
    expect(parent.message).toContain('VTID-2001-0001');
    const status = await failure(
      () => db.sql`select vtid_create('f', 't', 'd', 'system', p_status => 'done')`,
    );
    expect(status.code).toBe('22023');
    expect(status.message).toContain("'done'");
  });

  it('links a subtask to an existing parent', async () => {
    const [p] = await db.sql`select vtid from vtid_create('deployment', 'rollout', 'Deploy auth', 'system')`;
    const [c] =
      await db.sql`select parent_vtid from vtid_create('deployment', 'service-deploy', 'Deploy auth service',
      'system', p_parent_vtid => ${p?.vtid as string})`;
    expect(c?.parent_vtid).toBe(p?.vtid);
  });
});

describe('vtid_update', () => {
  it('merges metadata key by key and bumps updated_at', async () => {
    const [created] = await db.sql`select * from vtid_create('analysis', 'review', 'Review', 'maxina',
      p_metadata => '{"priority":"high","estimatedHours":4}'::jsonb)`;
    const vtid = created?.vtid as string;
    const [updated] =
      await db.sql`select * from vtid_update(${vtid}, p_metadata => '{"progress":50,"priority":"low"}'::jsonb)`;
    expect(updated?.metadata).toEqual({ priority: 'low', estimatedHours: 4, progress: 50 });
    expect(new Date(updated?.updated_at as Date).getTime()).toBeGreaterThan(
      new Date(created?.updated_at as Date).getTime(),
    );
    expect(updated?.created_at).toEqual(created?.created_at);
    const [ev] =
      await db.sql`select metadata from oasis_events where vtid = ${vtid} and type = 'vtid.updated'`;
    expect(ev?.metadata).toMatchObject({
      vtid,
      tenant: 'maxina',
      changes: { metadata_keys: ['priority', 'progress'] },
    });
  });

  it('emits vtid.completed carrying the duration since creation', async () => {
    const [created] =
      await db.sql`select vtid from vtid_create('deployment', 'rollout', 'Roll out', 'system')`;
    const vtid = created?.vtid as string;
    // Pretend the task was created 3.5 hours ago.
    await db.sql`update vtid_ledger set created_at = now() - interval '3.5 hours' where vtid = ${vtid}`;
    await db.sql`select vtid_update(${vtid}, p_status => 'active', p_assigned_to => 'deployment-agent')`;
    const [done] = await db.sql`select * from vtid_update(${vtid}, p_status => 'complete')`;
    expect(done?.status).toBe('complete');
    const events = await db.sql`select type, metadata from oasis_events where vtid = ${vtid} order by seq`;
    expect(events.map((e) => e.type)).toEqual(['vtid.created', 'vtid.updated', 'vtid.completed']);
    const meta = events[2]?.metadata as { duration: number; duration_seconds: number };
    expect(meta.duration).toBeGreaterThanOrEqual(3.5);
    expect(meta.duration).toBeLessThan(3.6);
    expect(meta.duration_seconds).toBeGreaterThanOrEqual(12_600);
    // Completing again is an update, not a second completion.
    await db.sql`select vtid_update(${vtid}, p_metadata => '{"notes":"done"}'::jsonb)`;
    const [{ n } = { n: 0 }] = await db.sql`select count(*)::int as n from oasis_events
                                             where vtid = ${vtid} and type = 'vtid.completed'`;
    expect(n).toBe(1);
  });

  it('reports an unknown VTID (P0002), a malformed one and an empty update (22023)', async () => {
    expect(
      (await failure(() => db.sql`select vtid_update('VTID-2001-0009', p_status => 'active')`)).code,
    ).toBe('P0002');
    expect((await failure(() => db.sql`select vtid_update('nope', p_status => 'active')`)).code).toBe(
      '22023',
    );
    const empty = await failure(() => db.sql`select vtid_update('VTID-2082-0001')`);
    expect(empty.code).toBe('22023');
    expect(empty.message).toContain('nothing to update');
  });
});

describe('vtid_get, vtid_list, vtid_stats', () => {
  it('vtid_get returns the row, P0002 when it is not stored', async () => {
    const [r] = await db.sql`select vtid, task_family from vtid_get('VTID-2082-0001')`;
    expect(r).toEqual({ vtid: 'VTID-2082-0001', task_family: 'governance' });
    expect((await failure(() => db.sql`select vtid_get('VTID-2001-0404')`)).code).toBe('P0002');
  });

  it('vtid_list filters by family, status and tenant and honours the limit', async () => {
    for (let i = 0; i < 3; i++)
      await db.sql`select vtid_create('listing', 'unit', ${`task ${i}`}, 'earthlings')`;
    await db.sql`select vtid_create('listing', 'unit', 'other tenant', 'alkalma', p_status => 'blocked')`;
    const earth =
      await db.sql`select tenant from vtid_list(p_task_family => 'listing', p_tenant => 'earthlings')`;
    expect(earth).toHaveLength(3);
    const blocked =
      await db.sql`select tenant from vtid_list(p_task_family => 'listing', p_status => 'blocked')`;
    expect(blocked.map((r) => r.tenant)).toEqual(['alkalma']);
    const limited = await db.sql`select vtid from vtid_list(p_task_family => 'listing', p_limit => 2)`;
    expect(limited).toHaveLength(2);
    expect((await failure(() => db.sql`select vtid_list(p_limit => 0)`)).code).toBe('22023');
  });

  it('vtid_stats reports rate, status distribution, completion time and families', async () => {
    const [{ s } = { s: {} }] = await db.sql`select vtid_stats() as s`;
    const stats = s as {
      total: number;
      creation_rate_per_hour: number;
      status_distribution: Record<string, number>;
      completion_seconds: { count: number; max: number };
      by_task_family: Record<string, { total: number; completed: number }>;
      created_per_hour: { hour: string; count: number }[];
    };
    const [{ n } = { n: 0 }] = await db.sql`select count(*)::int as n from vtid_ledger`;
    expect(stats.total).toBe(n);
    expect(Object.values(stats.status_distribution).reduce((a, b) => a + b, 0)).toBe(n);
    expect(stats.status_distribution.blocked).toBeGreaterThanOrEqual(1);
    expect(stats.by_task_family.listing).toMatchObject({ total: 4, completed: 0 });
    expect(stats.by_task_family.deployment?.completed).toBe(1);
    expect(stats.completion_seconds.count).toBeGreaterThanOrEqual(1);
    expect(stats.completion_seconds.max).toBeGreaterThanOrEqual(12_600);
    expect(stats.creation_rate_per_hour).toBeGreaterThan(0);
    const [{ s: later } = { s: {} }] = await db.sql`select vtid_stats(now() + interval '1 hour') as s`;
    expect((later as { total: number }).total).toBe(0);
  });
});
