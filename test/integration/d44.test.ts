/**
 * Predictive signals (D44): recording with evidence, every lifecycle transition allowed and refused (through the
 * functions and through a direct UPDATE), expiry, feedback, ownership, and the history rows and OASIS events each
 * action leaves. All calls run as the roles with claims.
 */
import { describe, expect, it } from 'vitest';
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

const TENANT = '0000000a-0000-4000-8000-0000000000d4';
const service = serviceActor();

const newUser = (tenantId = TENANT): UserActor => newUserActor(tenantId);

function signalJson(owner: { userId: string }, extra: Record<string, unknown> = {}) {
  return {
    tenant_id: TENANT,
    user_id: owner.userId,
    signal_type: 'routine_instability',
    confidence: 72,
    time_window: 'last_14_days',
    detected_change: 'bedtime moved by 2h',
    user_impact: 'medium',
    suggested_action: 'reflection',
    explainability_text: 'your bedtime varied more than usual',
    ...extra,
  };
}

async function record(owner: { userId: string }, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await asRole(
    db.sql,
    service,
    (tx) => tx`select (d44_record_signal(${tx.json(signalJson(owner, extra) as never)})).id`,
  );
  return first(r).id as string;
}

type Action = 'acknowledge' | 'dismiss' | 'actioned' | 'expire';
const FN: Record<Exclude<Action, 'expire'>, string> = {
  acknowledge: 'd44_acknowledge_signal',
  dismiss: 'd44_dismiss_signal',
  actioned: 'd44_mark_actioned',
};
const TARGET: Record<Action, string> = {
  acknowledge: 'acknowledged',
  dismiss: 'dismissed',
  actioned: 'actioned',
  expire: 'expired',
};
const HISTORY: Record<Action, string | null> = {
  acknowledge: 'acknowledged',
  dismiss: 'dismissed',
  actioned: 'took_action',
  expire: null,
};
const EVENT: Record<Action, string> = {
  acknowledge: 'd44.signal.acknowledged',
  dismiss: 'd44.signal.dismissed',
  actioned: 'd44.signal.actioned',
  expire: 'd44.signal.expired',
};

async function act(who: Actor, action: Exclude<Action, 'expire'>, id: string) {
  return asRole(db.sql, who, (tx) => tx.unsafe(`select (${FN[action]}($1)).status`, [id]));
}

async function statusOf(id: string): Promise<string> {
  const r = await asRole(
    db.sql,
    service,
    (tx) => tx`select status from d44_predictive_signals where id = ${id}`,
  );
  return first(r).status as string;
}

async function trail(id: string): Promise<{ history: string[]; events: string[] }> {
  return asRole(db.sql, service, async (tx) => {
    const h =
      await tx`select action_type from d44_intervention_history where signal_id = ${id} order by created_at, id`;
    const e = await tx`select type from oasis_events where payload ->> 'signal_id' = ${id} order by seq`;
    return { history: h.map((r) => r.action_type as string), events: e.map((r) => r.type as string) };
  });
}

/** A signal of `owner` in `status`, reached by allowed transitions. */
async function signalIn(owner: Actor & { userId: string }, status: string): Promise<string> {
  const id = await record(owner);
  if (status === 'acknowledged') await act(owner, 'acknowledge', id);
  if (status === 'dismissed') await act(owner, 'dismiss', id);
  if (status === 'actioned') await act(owner, 'actioned', id);
  if (status === 'expired') {
    await asRole(
      db.sql,
      service,
      (tx) => tx`update d44_predictive_signals set expires_at = now() - interval '1 minute' where id = ${id}`,
    );
    await asRole(db.sql, service, (tx) => tx`select d44_expire_signals()`);
  }
  expect(await statusOf(id)).toBe(status);
  return id;
}

async function expireOne(id: string): Promise<number> {
  await asRole(
    db.sql,
    service,
    (tx) => tx`update d44_predictive_signals set expires_at = now() - interval '1 minute' where id = ${id}`,
  );
  const r = await asRole(db.sql, service, (tx) => tx`select d44_expire_signals() as n`);
  return first(r).n as number;
}

const STATUSES = ['active', 'acknowledged', 'dismissed', 'actioned', 'expired'] as const;
const ALLOWED: Record<(typeof STATUSES)[number], Action[]> = {
  active: ['acknowledge', 'dismiss', 'actioned', 'expire'],
  acknowledged: ['actioned', 'dismiss', 'expire'],
  dismissed: [],
  actioned: [],
  expired: [],
};

describe('d44_record_signal', () => {
  it('stores the signal with its evidence, counts the evidence and emits d44.signal.detected', async () => {
    const owner = newUser();
    const id = await record(owner, {
      domains_analyzed: ['sleep', 'calendar'],
      evidence: [
        {
          evidence_type: 'calendar',
          source_ref: 'cal-1',
          source_table: 'calendar_events',
          weight: 80,
          summary: 'late meetings',
          recorded_at: '2026-01-02T22:00:00Z',
        },
        {
          evidence_type: 'wearable',
          source_ref: 'w-9',
          source_table: 'wearable_samples',
          summary: 'short sleep',
          recorded_at: '2026-01-03T06:00:00Z',
        },
      ],
    });
    const seen = await asRole(db.sql, owner, async (tx) => {
      const s =
        await tx`select status, evidence_count, domains_analyzed from d44_predictive_signals where id = ${id}`;
      const e =
        await tx`select evidence_type, weight from d44_signal_evidence where signal_id = ${id} order by evidence_type`;
      return { s: first(s), e };
    });
    expect(seen.s).toMatchObject({
      status: 'active',
      evidence_count: 2,
      domains_analyzed: ['sleep', 'calendar'],
    });
    expect(seen.e.map((r) => [r.evidence_type, r.weight])).toEqual([
      ['calendar', 80],
      ['wearable', 50],
    ]);
    expect(await trail(id)).toEqual({ history: [], events: ['d44.signal.detected'] });
  });

  it('is for service_role only and names a bad or missing key with 22023', async () => {
    const owner = newUser();
    const asUser = await sqlState(
      asRole(db.sql, owner, (tx) => tx`select d44_record_signal(${tx.json(signalJson(owner) as never)})`),
    );
    expect(asUser).toBe('42501');
    const bad = async (signal: Record<string, unknown>) => {
      try {
        await asRole(db.sql, service, (tx) => tx`select d44_record_signal(${tx.json(signal as never)})`);
        return 'stored';
      } catch (e) {
        return `${(e as { code: string }).code} ${(e as Error).message}`;
      }
    };
    expect(await bad({ ...signalJson(owner), status: 'actioned' })).toMatch(
      /^22023 .*key status is not allowed/,
    );
    const { explainability_text: _omit, ...missing } = signalJson(owner);
    expect(await bad(missing)).toMatch(/^22023 .*key explainability_text is required/);
    expect(
      await bad({
        ...signalJson(owner),
        evidence: [{ evidence_type: 'memory', source_ref: 'r', source_table: 't', summary: 's' }],
      }),
    ).toMatch(/^22023 .*evidence\[0\]: key recorded_at is required/);
    const stored = await asRole(
      db.sql,
      service,
      (tx) => tx`select count(*)::int as n from d44_predictive_signals where user_id = ${owner.userId}`,
    );
    expect(first(stored).n).toBe(0);
  });
});

describe('lifecycle', () => {
  for (const from of STATUSES) {
    for (const action of ['acknowledge', 'dismiss', 'actioned', 'expire'] as Action[]) {
      const allowed = ALLOWED[from].includes(action);
      it(`${from} → ${TARGET[action]} is ${allowed ? 'allowed' : 'refused'}`, async () => {
        const owner = newUser();
        const id = await signalIn(owner, from);
        const before = await trail(id);
        if (action === 'expire') {
          const n = await expireOne(id);
          expect(n).toBe(allowed ? 1 : 0);
        } else if (allowed) {
          const r = await act(owner, action, id);
          expect(first(r).status).toBe(TARGET[action]);
        } else {
          expect(await sqlState(act(owner, action, id))).toBe('55000');
        }
        const after = await trail(id);
        expect(await statusOf(id)).toBe(allowed ? TARGET[action] : from);
        if (allowed) {
          const history = HISTORY[action];
          expect(after.history).toEqual(history ? [...before.history, history] : before.history);
          expect(after.events).toEqual([...before.events, EVENT[action]]);
        } else {
          expect(after).toEqual(before);
        }
      });
    }
  }

  it('refuses an invalid transition made by a direct UPDATE too (the table enforces it)', async () => {
    const owner = newUser();
    const id = await signalIn(owner, 'dismissed');
    const state = await sqlState(
      asRole(
        db.sql,
        service,
        (tx) => tx`update d44_predictive_signals set status = 'active' where id = ${id}`,
      ),
    );
    expect(state).toBe('55000');
    const insertDone = await sqlState(
      asRole(
        db.sql,
        service,
        (tx) =>
          tx`insert into d44_predictive_signals (tenant_id, user_id, signal_type, confidence, time_window, detected_change,
             user_impact, suggested_action, explainability_text, status)
           values (${TENANT}, ${owner.userId}, 'health_drift', 1, 'last_7_days', 'x', 'low', 'awareness', 'x', 'actioned')`,
      ),
    );
    expect(insertDone).toBe('22023');
  });

  it('stamps acknowledged_at and actioned_at', async () => {
    const owner = newUser();
    const id = await signalIn(owner, 'acknowledged');
    await act(owner, 'actioned', id);
    const r = await asRole(
      db.sql,
      owner,
      (tx) => tx`select acknowledged_at, actioned_at from d44_predictive_signals where id = ${id}`,
    );
    expect(first(r).acknowledged_at).toBeInstanceOf(Date);
    expect(first(r).actioned_at).toBeInstanceOf(Date);
  });
});

describe('ownership', () => {
  it('lets only the owner (or service_role) act; others get P0002 and nothing is written', async () => {
    const owner = newUser();
    const sameTenant = newUser();
    const otherTenant = newUser('0000000b-0000-4000-8000-0000000000d4');
    const id = await record(owner);
    for (const intruder of [sameTenant, otherTenant]) {
      for (const action of ['acknowledge', 'dismiss', 'actioned'] as const) {
        expect(await sqlState(act(intruder, action, id))).toBe('P0002');
      }
      expect(
        await sqlState(
          asRole(db.sql, intruder, (tx) => tx`select d44_record_feedback(${id}, 'marked_helpful')`),
        ),
      ).toBe('P0002');
    }
    expect(await trail(id)).toEqual({ history: [], events: ['d44.signal.detected'] });
    const r = await act(service, 'acknowledge', id);
    expect(first(r).status).toBe('acknowledged');
  });

  it('lets only service_role expire signals', async () => {
    const owner = newUser();
    expect(await sqlState(asRole(db.sql, owner, (tx) => tx`select d44_expire_signals()`))).toBe('42501');
  });
});

describe('feedback and expiry', () => {
  it('records each feedback kind in history and as d44.signal.feedback without changing the status', async () => {
    const owner = newUser();
    const id = await record(owner);
    for (const kind of ['marked_helpful', 'marked_not_helpful', 'reminder_set', 'shared']) {
      await asRole(
        db.sql,
        owner,
        (tx: RoleSql) => tx`select d44_record_feedback(${id}, ${kind}, '{"comment": "ok"}')`,
      );
    }
    expect(await statusOf(id)).toBe('active');
    const t = await trail(id);
    expect(t.history).toEqual(['marked_helpful', 'marked_not_helpful', 'reminder_set', 'shared']);
    expect(t.events).toEqual(['d44.signal.detected', ...Array(4).fill('d44.signal.feedback')]);
    expect(
      await sqlState(asRole(db.sql, owner, (tx) => tx`select d44_record_feedback(${id}, 'loved')`)),
    ).toBe('22023');
    const details = await asRole(
      db.sql,
      owner,
      (tx) => tx`select action_details from d44_intervention_history where signal_id = ${id} limit 1`,
    );
    expect(first(details).action_details).toMatchObject({
      comment: 'ok',
      from_status: 'active',
      to_status: 'active',
      by: owner.userId,
    });
  });

  it('expires only active and acknowledged signals past expires_at, one event each', async () => {
    const owner = newUser();
    const past = new Date(Date.now() - 60_000).toISOString();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const due = [await record(owner, { expires_at: past }), await record(owner, { expires_at: past })];
    await act(owner, 'acknowledge', nth(due, 1));
    const notDue = await record(owner, { expires_at: future });
    const never = await record(owner);
    const dismissed = await record(owner, { expires_at: past });
    await act(owner, 'dismiss', dismissed);
    const n = await asRole(db.sql, service, (tx) => tx`select d44_expire_signals() as n`);
    expect(first(n).n).toBeGreaterThanOrEqual(2);
    for (const id of due) {
      expect(await statusOf(id)).toBe('expired');
      expect((await trail(id)).events.at(-1)).toBe('d44.signal.expired');
    }
    expect(await statusOf(notDue)).toBe('active');
    expect(await statusOf(never)).toBe('active');
    expect(await statusOf(dismissed)).toBe('dismissed');
    const again = await asRole(db.sql, service, (tx) => tx`select d44_expire_signals() as n`);
    expect(first(again).n).toBe(0);
  });
});

describe('d44_signal_stats', () => {
  it('counts only the caller’s own signals, and every signal for service_role', async () => {
    const owner = newUser();
    const other = newUser();
    const a = await record(owner);
    await record(owner, { signal_type: 'positive_momentum', confidence: 90 });
    await record(other);
    await act(owner, 'acknowledge', a);
    await asRole(db.sql, owner, (tx) => tx`select d44_record_feedback(${a}, 'marked_helpful')`);
    const mine = await asRole(db.sql, owner, (tx) => tx`select d44_signal_stats() as s`);
    expect(first(mine).s).toMatchObject({
      total: 2,
      by_status: { active: 1, acknowledged: 1, dismissed: 0, actioned: 0, expired: 0 },
      by_type: { positive_momentum: 1, routine_instability: 1 },
      feedback: { marked_helpful: 1, marked_not_helpful: 0, reminder_set: 0, shared: 0 },
      average_confidence: 81,
    });
    const all = await asRole(
      db.sql,
      service,
      (tx) => tx`select d44_signal_stats() as s, (select count(*)::int from d44_predictive_signals) as n`,
    );
    expect(first(all).s.total).toBe(first(all).n);
    expect(first(all).n).toBeGreaterThan(2);
  });
});
