/**
 * personalization_audit keeps only non-sensitive summaries: the snapshot's shape is the table's own rule, so a
 * forbidden key is refused (22023, naming the key) by personalization_audit_write and by a direct INSERT alike.
 */
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { asRole, first, newUserActor, serviceActor, type UserActor } from '../support/roles.js';

const db = useTestDatabase();

const TENANT = '0000000a-0000-4000-8000-0000000000a0';
const service = serviceActor();

const newUser = (): UserActor => newUserActor(TENANT);

const GOOD = {
  snapshot_id: 'snap-1',
  weaknesses: ['sleep_debt', 'low_movement'],
  top_topics: [
    { key: 'sleep', score: 0.82 },
    { key: 'stress', score: 0.4 },
  ],
  recommendation_count: 3,
  generated_at: '2026-01-05T10:00:00Z',
};

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'stored';
  } catch (e) {
    return `${(e as { code: string }).code} ${(e as Error).message}`;
  }
}

async function countFor(userId: string): Promise<{ rows: number; events: number }> {
  return asRole(db.sql, service, async (tx) => {
    const r = await tx`select count(*)::int as n from personalization_audit where user_id = ${userId}`;
    const e = await tx`select count(*)::int as n from oasis_events
                       where type = 'personalization.audit.written' and payload ->> 'user_id' = ${userId}`;
    return { rows: first(r).n as number, events: first(e).n as number };
  });
}

const FORBIDDEN: [string, Record<string, unknown>, RegExp][] = [
  [
    'raw diary text',
    { ...GOOD, diary_text: 'I slept badly because…' },
    /snapshot key diary_text is not allowed/,
  ],
  [
    'an extra key on a topic',
    { ...GOOD, top_topics: [{ key: 'sleep', score: 1, text: 'raw' }] },
    /top_topics\[0\]\.text is not allowed/,
  ],
  [
    'a topic without a score',
    { ...GOOD, top_topics: [{ key: 'sleep' }] },
    /top_topics\[0\]\.score must be a number/,
  ],
  [
    'weaknesses that are not strings',
    { ...GOOD, weaknesses: [{ note: 'x' }] },
    /weaknesses must be an array of strings/,
  ],
  [
    'a negative count',
    { ...GOOD, recommendation_count: -1 },
    /recommendation_count must be a non-negative integer/,
  ],
];

describe('personalization_audit_write', () => {
  it('stores an allowed snapshot and emits personalization.audit.written', async () => {
    const who = newUser();
    const row = await asRole(
      db.sql,
      who,
      (tx) =>
        tx`select (personalization_audit_write('/api/v1/personalization/snapshot', ${tx.json(GOOD)})).*`,
    );
    expect(first(row)).toMatchObject({ tenant_id: TENANT, user_id: who.userId, snapshot: GOOD });
    const event = await asRole(
      db.sql,
      who,
      (tx) =>
        tx`select payload from oasis_events where type = 'personalization.audit.written' and payload ->> 'audit_id' = ${first(row).id}`,
    );
    expect(first(event).payload).toMatchObject({
      audit_id: first(row).id,
      endpoint: '/api/v1/personalization/snapshot',
      snapshot_id: 'snap-1',
    });
  });

  for (const [what, snapshot, message] of FORBIDDEN) {
    it(`refuses ${what} with 22023 naming the key, storing nothing and emitting nothing`, async () => {
      const who = newUser();
      const r = await refusal(
        asRole(
          db.sql,
          who,
          (tx) => tx`select personalization_audit_write('/x', ${tx.json(snapshot as never)})`,
        ),
      );
      expect(r).toMatch(/^22023 /);
      expect(r).toMatch(message);
      expect(await countFor(who.userId)).toEqual({ rows: 0, events: 0 });
    });
  }

  it('refuses an empty endpoint with 22023', async () => {
    const who = newUser();
    expect(
      await refusal(asRole(db.sql, who, (tx) => tx`select personalization_audit_write(' ', '{}')`)),
    ).toMatch(/^22023 /);
  });
});

describe('a direct INSERT into personalization_audit', () => {
  for (const actor of ['the signed-in user', 'service_role'] as const) {
    it(`is held to the same snapshot rule for ${actor}`, async () => {
      const who = newUser();
      const as = actor === 'service_role' ? service : who;
      const insert = (snapshot: Record<string, unknown>) =>
        asRole(
          db.sql,
          as,
          (tx) => tx`insert into personalization_audit (tenant_id, user_id, endpoint, snapshot)
                                      values (${TENANT}, ${who.userId}, '/direct', ${tx.json(snapshot as never)})`,
        );
      const r = await refusal(insert({ ...GOOD, mood_journal: 'raw text' }));
      expect(r).toMatch(/^22023 .*snapshot key mood_journal is not allowed/);
      expect((await countFor(who.userId)).rows).toBe(0);
      await insert(GOOD);
      expect((await countFor(who.userId)).rows).toBe(1);
    });
  }
});
