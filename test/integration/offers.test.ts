/**
 * The offers API as its callers use it: signed-in users through row-level security, service_role acting for a
 * named user, admins writing the catalog. Strength bounds and the dismissed rule are checked as properties over
 * random call sequences.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import {
  type Actor,
  asRole,
  first,
  newUserActor,
  nth,
  type RoleSql,
  serviceActor,
  sqlState,
  type UserActor,
} from '../support/roles.js';

const db = useTestDatabase();

const TENANT_A = '0000000a-0000-4000-8000-0000000000aa';
const TENANT_B = '0000000b-0000-4000-8000-0000000000bb';
const service = serviceActor();

const user = (tenantId = TENANT_A, options: { appRole?: string } = {}): UserActor =>
  newUserActor(tenantId, options);

interface Target {
  type: 'service' | 'product';
  id: string;
  topics: string[];
}

const catalogA: Target[] = [];
const target = (i: number): Target => nth(catalogA, i);
let foreignService = '';

async function addService(tx: RoleSql, tenantId: string, name: string, topics: string[]): Promise<string> {
  const r = await tx`select (catalog_add_service(${name}, 'coach', ${topics}, null, '{}', ${tenantId})).id`;
  return first(r).id as string;
}

async function addProduct(tx: RoleSql, tenantId: string, name: string, topics: string[]): Promise<string> {
  const r = await tx`select (catalog_add_product(${name}, 'supplement', ${topics}, '{}', ${tenantId})).id`;
  return first(r).id as string;
}

beforeAll(async () => {
  await asRole(db.sql, service, async (tx) => {
    const topicSets = [
      ['sleep', 'stress'],
      ['sleep'],
      ['movement'],
      ['stress', 'energy'],
      ['sleep'],
      ['nutrition'],
    ];
    for (const [i, topics] of topicSets.entries()) {
      const id =
        i % 2 === 0
          ? await addService(tx, TENANT_A, `Service ${i}`, topics)
          : await addProduct(tx, TENANT_A, `Product ${i}`, topics);
      catalogA.push({ type: i % 2 === 0 ? 'service' : 'product', id, topics });
    }
    foreignService = await addService(tx, TENANT_B, 'Tenant B coach', ['sleep']);
  });
});

async function setState(who: Actor, t: Target, state: string, trust: number | null = null) {
  return asRole(db.sql, who, async (tx) => {
    const r = await tx`select offers_set_state(${t.type}, ${t.id}, ${state}, ${trust}) as r`;
    return first(r).r as {
      memory: Record<string, unknown>;
      edge: { strength: number; relationship_type: string };
    };
  });
}

async function outcome(who: Actor, t: Target, impact: string) {
  return asRole(db.sql, who, async (tx) => {
    const r = await tx`select offers_record_outcome(${t.type}, ${t.id}, 'sleep', ${impact}) as r`;
    return first(r).r as {
      outcome: Record<string, unknown>;
      edge: { strength: number; relationship_type: string };
    };
  });
}

async function recommendations(who: Actor, topics: string[] | null = null, limit = 1000) {
  return asRole(db.sql, who, async (tx) => {
    return tx<{ target_type: string; target_id: string; score: string; reasons: Record<string, unknown> }[]>`
      select target_type, target_id, score::text, reasons
      from offers_recommendations(p_topic_keys => ${topics}, p_limit => ${limit})`;
  });
}

describe('offers_set_state', () => {
  it('moves the edge by the documented state table', async () => {
    const cases: [string, number | null, string, number][] = [
      ['viewed', null, 'following', 2],
      ['saved', null, 'saved', 10],
      ['used', null, 'using', 20],
      ['rated', 90, 'trusted', 20],
      ['rated', 10, 'using', -20],
      ['dismissed', null, 'dismissed', -50],
    ];
    for (const [state, trust, type, strength] of cases) {
      const who = user();
      const r = await setState(who, target(0), state, trust);
      expect([state, r.edge.relationship_type, r.edge.strength]).toEqual([state, type, strength]);
      expect(r.memory).toMatchObject({ state, trust_score: trust, user_id: who.userId, tenant_id: TENANT_A });
    }
  });

  it('keeps one memory row per tenant/user/target and keeps the edge type on viewed', async () => {
    const who = user();
    await setState(who, target(1), 'used');
    const r = await setState(who, target(1), 'viewed');
    expect(r.edge).toMatchObject({ relationship_type: 'using', strength: 22 });
    const rows = await asRole(db.sql, who, (tx) => tx`select state from user_offers_memory`);
    expect(rows.map((x) => x.state)).toEqual(['viewed']);
  });

  it('refuses bad input with 22023 and unknown or foreign targets with P0002, storing nothing', async () => {
    const who = user();
    const call = (type: string, id: string, state: string, trust: number | null) =>
      sqlState(asRole(db.sql, who, (tx) => tx`select offers_set_state(${type}, ${id}, ${state}, ${trust})`));
    expect(await call('service', target(0).id, 'rated', null)).toBe('22023');
    expect(await call('service', target(0).id, 'rated', 101)).toBe('22023');
    expect(await call('service', target(0).id, 'loved', null)).toBe('22023');
    expect(await call('person', target(0).id, 'saved', null)).toBe('22023');
    expect(await call('product', target(0).id, 'saved', null)).toBe('P0002');
    expect(await call('service', randomUUID(), 'saved', null)).toBe('P0002');
    expect(await call('service', foreignService, 'saved', null)).toBe('P0002');
    const stored = await asRole(
      db.sql,
      service,
      (tx) => tx`select count(*)::int as n from user_offers_memory where user_id = ${who.userId}`,
    );
    expect(first(stored).n).toBe(0);
  });

  it('lets service_role act for a named user and refuses the same to a signed-in user', async () => {
    const named = user();
    const r = await asRole(
      db.sql,
      service,
      (tx) =>
        tx`select offers_set_state('service', ${target(0).id}, 'saved', p_user_id => ${named.userId}, p_tenant_id => ${TENANT_A}) as r`,
    );
    expect(first(r).r.memory).toMatchObject({ user_id: named.userId, state: 'saved' });
    const other = user();
    const state = await sqlState(
      asRole(
        db.sql,
        other,
        (tx) =>
          tx`select offers_set_state('service', ${target(0).id}, 'saved', p_user_id => ${named.userId})`,
      ),
    );
    expect(state).toBe('42501');
    expect(
      await sqlState(
        asRole(db.sql, service, (tx) => tx`select offers_set_state('service', ${target(0).id}, 'saved')`),
      ),
    ).toBe('28000');
  });
});

describe('strength bounds', () => {
  it('clamps at 100 and at -100', async () => {
    const who = user();
    const t = target(5);
    let last = 0;
    for (let i = 0; i < 7; i++) last = (await setState(who, t, 'used')).edge.strength;
    expect(last).toBe(100);
    for (let i = 0; i < 6; i++) last = (await setState(who, t, 'dismissed')).edge.strength;
    expect(last).toBe(-100);
    expect((await outcome(who, t, 'worse')).edge.strength).toBe(-100);
  });
});

describe('offers_record_outcome', () => {
  it('stores the outcome; better raises, worse lowers, same leaves the strength', async () => {
    const who = user();
    const t = target(2);
    expect((await outcome(who, t, 'better')).edge).toMatchObject({
      strength: 10,
      relationship_type: 'using',
    });
    expect((await outcome(who, t, 'same')).edge.strength).toBe(10);
    expect((await outcome(who, t, 'worse')).edge.strength).toBe(0);
    const rows = await asRole(
      db.sql,
      who,
      (tx) => tx`select perceived_impact from usage_outcomes order by created_at, id`,
    );
    expect(rows.map((r) => r.perceived_impact).sort()).toEqual(['better', 'same', 'worse']);
  });

  it('refuses a future date, a bad impact and non-object evidence with 22023', async () => {
    const who = user();
    const t = target(2);
    const call = (q: (tx: RoleSql) => Promise<unknown>) => sqlState(asRole(db.sql, who, q));
    expect(
      await call(
        (tx) => tx`select offers_record_outcome('service', ${t.id}, 'sleep', 'better', current_date + 1)`,
      ),
    ).toBe('22023');
    expect(await call((tx) => tx`select offers_record_outcome('service', ${t.id}, 'sleep', 'great')`)).toBe(
      '22023',
    );
    expect(
      await call(
        (tx) => tx`select offers_record_outcome('service', ${t.id}, 'sleep', 'same', current_date, '[]')`,
      ),
    ).toBe('22023');
  });
});

type State = 'viewed' | 'saved' | 'used' | 'dismissed' | 'rated';
type Impact = 'better' | 'same' | 'worse';
type Call =
  | { kind: 'state'; target: number; state: State; trust: number | null }
  | { kind: 'outcome'; target: number; impact: Impact };

const callArb: fc.Arbitrary<Call> = fc.oneof(
  fc
    .record({
      kind: fc.constant('state' as const),
      target: fc.integer({ min: 0, max: 2 }),
      state: fc.constantFrom<State>('viewed', 'saved', 'used', 'dismissed', 'rated'),
      trust: fc.integer({ min: 0, max: 100 }),
    })
    .map((c) => ({ ...c, trust: c.state === 'rated' ? c.trust : null })),
  fc.record({
    kind: fc.constant('outcome' as const),
    target: fc.integer({ min: 0, max: 2 }),
    impact: fc.constantFrom<Impact>('better', 'same', 'worse'),
  }),
);

const STATE_DELTA: Record<State, (trust: number | null) => number> = {
  viewed: () => 2,
  saved: () => 10,
  used: () => 20,
  rated: (t) => Math.trunc(((t ?? 50) - 50) / 2),
  dismissed: () => -50,
};
const OUTCOME_DELTA: Record<Impact, number> = { better: 10, same: 0, worse: -10 };

describe('offers properties', () => {
  it('keeps every strength within -100..100, equal to the clamped running sum, after any call sequence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(callArb, { minLength: 1, maxLength: 60 }), async (calls) => {
        const who = user();
        const model = new Map<number, number>();
        const clamp = (n: number) => Math.max(-100, Math.min(100, n));
        for (const c of calls) {
          const t = target(c.target);
          const r =
            c.kind === 'state' ? await setState(who, t, c.state, c.trust) : await outcome(who, t, c.impact);
          const delta = c.kind === 'state' ? STATE_DELTA[c.state](c.trust) : OUTCOME_DELTA[c.impact];
          model.set(c.target, clamp((model.get(c.target) ?? 0) + delta));
          expect(r.edge.strength).toBe(model.get(c.target));
        }
        const edges = await asRole(db.sql, who, (tx) => tx`select strength from relationship_edges`);
        for (const e of edges) expect(Math.abs(e.strength as number)).toBeLessThanOrEqual(100);
      }),
      { numRuns: 25 },
    );
  });

  it('never recommends what the user dismissed until a saved, used or rated >= 50 takes it back', async () => {
    // The edge type is the dismissal: viewing or a low rating keeps it, saved/used/rated >= 50 replace it.
    const nextType = (c: Call, current: string | undefined): string => {
      if (c.kind === 'outcome') return current ?? 'using';
      if (c.state === 'viewed') return current ?? 'following';
      if (c.state === 'rated') return (c.trust ?? 0) >= 50 ? 'trusted' : (current ?? 'using');
      return { saved: 'saved', used: 'using', dismissed: 'dismissed' }[c.state] as string;
    };
    await fc.assert(
      fc.asyncProperty(fc.array(callArb, { minLength: 1, maxLength: 20 }), async (calls) => {
        const who = user();
        const type = new Map<number, string>();
        for (const c of calls) {
          const t = target(c.target);
          if (c.kind === 'state') await setState(who, t, c.state, c.trust);
          else await outcome(who, t, c.impact);
          type.set(c.target, nextType(c, type.get(c.target)));
        }
        const ids = new Set((await recommendations(who, ['sleep', 'stress'])).map((r) => r.target_id));
        for (const [i, t] of catalogA.entries()) {
          expect(ids.has(t.id)).toBe(type.get(i) !== 'dismissed');
        }
        const last = calls.at(-1);
        if (last?.kind === 'state' && last.state === 'dismissed')
          expect(ids.has(target(last.target).id)).toBe(false);
      }),
      { numRuns: 20 },
    );
  });
});

describe('offers_recommendations', () => {
  it('ranks by topic overlap and strength, with reasons, and breaks ties by type then id', async () => {
    const who = user();
    await setState(who, target(4), 'used');
    const recs = await recommendations(who, ['sleep', 'stress']);
    expect(recs.map((r) => r.target_id)).not.toContain(foreignService);
    expect(recs).toHaveLength(catalogA.length);
    expect(first(recs)).toMatchObject({ target_id: target(0).id, score: '20.0' });
    expect(first(recs).reasons).toMatchObject({
      topic_overlap: ['sleep', 'stress'],
      topic_score: 20,
      strength: 0,
    });
    expect(nth(recs, 1)).toMatchObject({ target_id: target(4).id, score: '12.0' });
    expect(nth(recs, 1).reasons).toMatchObject({
      topic_overlap: ['sleep'],
      topic_score: 10,
      strength: 20,
      relationship_score: 2,
      relationship_type: 'using',
      state: 'used',
    });
    for (let i = 1; i < recs.length; i++) {
      const [a, b] = [nth(recs, i - 1), nth(recs, i)];
      const ordered =
        Number(a.score) > Number(b.score) ||
        (a.score === b.score &&
          (a.target_type < b.target_type || (a.target_type === b.target_type && a.target_id < b.target_id)));
      expect(ordered, `${JSON.stringify(a)} before ${JSON.stringify(b)}`).toBe(true);
    }
  });

  it('returns the identical list on every run, in separate transactions', async () => {
    const who = user();
    await setState(who, target(3), 'saved');
    await setState(who, target(0), 'dismissed');
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await recommendations(who, ['sleep'], 4));
    for (const r of runs) expect(r).toEqual(first(runs));
    expect(first(runs).map((r) => r.target_id)).not.toContain(target(0).id);
  });

  it('refuses a bad limit or target type with 22023', async () => {
    const who = user();
    expect(
      await sqlState(asRole(db.sql, who, (tx) => tx`select * from offers_recommendations(p_limit => 0)`)),
    ).toBe('22023');
    expect(
      await sqlState(asRole(db.sql, who, (tx) => tx`select * from offers_recommendations('person')`)),
    ).toBe('22023');
  });
});

describe('catalog_add_service / catalog_add_product', () => {
  it('lets service_role and an admin of the tenant add, and nobody else', async () => {
    const member = user();
    const admin = user(TENANT_A, { appRole: 'admin' });
    expect(await sqlState(asRole(db.sql, member, (tx) => tx`select catalog_add_service('X', 'coach')`))).toBe(
      '42501',
    );
    expect(await sqlState(asRole(db.sql, member, (tx) => tx`select catalog_add_product('X', 'app')`))).toBe(
      '42501',
    );
    const added = await asRole(
      db.sql,
      admin,
      (tx) => tx`select (catalog_add_product('Tracker', 'wearable', '{sleep}')).*`,
    );
    expect(first(added)).toMatchObject({ tenant_id: TENANT_A, name: 'Tracker', product_type: 'wearable' });
    expect(
      await sqlState(
        asRole(
          db.sql,
          admin,
          (tx) => tx`select catalog_add_service('X', 'coach', p_tenant_id => ${TENANT_B})`,
        ),
      ),
    ).toBe('42501');
    expect(
      await sqlState(asRole(db.sql, admin, (tx) => tx`select catalog_add_service('X', 'astrologer')`)),
    ).toBe('22023');
    expect(await sqlState(asRole(db.sql, admin, (tx) => tx`select catalog_add_service('  ', 'coach')`))).toBe(
      '22023',
    );
    const bCatalog = await asRole(
      db.sql,
      service,
      (tx) => tx`select (catalog_add_service('B lab', 'lab', '{}', 'Lab Inc', '{}', ${TENANT_B})).tenant_id`,
    );
    expect(first(bCatalog).tenant_id).toBe(TENANT_B);
  });
});
