/**
 * The ledger writer under concurrency: late commits, concurrent syncs, a sync killed mid-batch, a long
 * transaction in another database, and `ledger watch` across a restart.
 */
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import type { Sql } from '../../src/db/connect.js';
import { run as ledgerCli } from '../../src/platform/cli/ledger.js';
import * as ledger from '../../src/platform/ops/ledger.js';
import { createDatabase, type TestSql, useTestDatabase } from '../support/database.js';
import { drain, generateEvents, ingest, ledgerRows, sync } from './ledger-support.js';

const db = useTestDatabase();

async function eventCount(sql: TestSql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from oasis_events`;
  return row!.n;
}

/** The winner of every VTID by an independent statement of the merge rule, to check the projection against. */
async function expectedWinners(
  sql: TestSql,
): Promise<{ vtid: string; status: string; last_event_id: string }[]> {
  return sql`
    select distinct on (vtid) vtid, ledger_status as status, id::text as last_event_id
      from oasis_ledger_event_projection
     where skip_reason is null
     order by vtid, created_at desc, priority desc, id desc`;
}

async function projectedWinners(sql: TestSql) {
  return sql`select vtid, status, last_event_id from vtid_ledger where last_event_id is not null order by vtid`;
}

describe('never skip an event', () => {
  it('projects an event whose transaction commits after a later one, once', async () => {
    await drain(db.sql);
    const a = await db.sql.reserve();
    try {
      await a`begin`;
      await a`select oasis_ingest(${a.json({ type: 'task_started', source: 'A', vtid: 'VTID-310001' })}::jsonb)`;
      await ingest(db.sql, { type: 'task_started', source: 'B', vtid: 'VTID-310002' });
      // B committed, but A (older) is open: B's event waits, or A's would be skipped by the checkpoint.
      const whileOpen = await sync(db.sql);
      expect(whileOpen.processed).toBe(0);
      await a`commit`;
    } finally {
      a.release();
    }
    const after = await sync(db.sql);
    expect(after.processed).toBe(2);
    expect(after.created).toBe(2);
    expect((await sync(db.sql)).processed).toBe(1); // only the previous sync's note
    const rows =
      await db.sql`select vtid from vtid_ledger where vtid in ('VTID-310001', 'VTID-310002') order by vtid`;
    expect(rows.map((r) => r.vtid)).toEqual(['VTID-310001', 'VTID-310002']);
  });

  it('is not held back by a transaction open in another database', async () => {
    await drain(db.sql);
    const other = await createDatabase({ from: 'empty' });
    const elsewhere = postgres(other.url, { max: 1, onnotice: () => {} });
    try {
      const open = await elsewhere.reserve();
      await open`begin`;
      await open`select pg_current_xact_id()`;
      await ingest(db.sql, { type: 'task_started', source: 't', vtid: 'VTID-310003' });
      expect((await sync(db.sql)).processed).toBe(1);
      await open`rollback`;
      open.release();
    } finally {
      await elsewhere.end();
      await other.drop();
    }
  });

  it('counts every event once when four syncs run at the same time', async () => {
    await drain(db.sql);
    await generateEvents(db.sql, 6000, 700, 100000);
    const pools = Array.from({ length: 4 }, () => postgres(db.url, { max: 1, onnotice: () => {} }));
    try {
      const processed = await Promise.all(
        pools.map(async (p) => {
          let total = 0;
          for (;;) {
            const r = await sync(p as unknown as TestSql, 397);
            if (r.processed === 0) return total;
            total += r.processed;
          }
        }),
      );
      const rest = await drain(db.sql);
      const [offset] = await db.sql`
        select events_processed from projection_offsets where projector_name = 'vtid_ledger_writer'`;
      const [before] = await db.sql`select count(*)::int as n from oasis_events where source = 'test'`;
      expect(before!.n).toBe(6000);
      // Every stored event was read by exactly one of the calls: the sum of what they report equals the number
      // of events, which equals the checkpoint's count (the file's earlier events included).
      expect(Number(offset!.events_processed)).toBe(await eventCount(db.sql));
      expect(processed.filter((n) => n > 0).length).toBeGreaterThan(1);
      const all = processed.reduce((s, n) => s + n, 0) + rest;
      expect(all).toBeGreaterThanOrEqual(6000);
      expect(await projectedWinners(db.sql)).toEqual(await expectedWinners(db.sql));
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('leaves nothing behind when its backend is killed mid-batch; the rerun matches a clean run', async () => {
    const killed = await createDatabase();
    const clean = await createDatabase();
    const k = postgres(killed.url, { max: 4, onnotice: () => {} }) as unknown as TestSql;
    const c = postgres(clean.url, { max: 2, onnotice: () => {} }) as unknown as TestSql;
    try {
      for (const sql of [k, c]) {
        await generateEvents(sql, 1, 1, 0); // creates VTID-100000 (g = 1 maps to 100001; see below)
      }
      await sync(k);
      await sync(c);
      for (const sql of [k, c]) await generateEvents(sql, 3000, 400, 1);

      // Hold a lock on a ledger row the batch must update, so the sync is certainly inside its merge when killed.
      const holder = await k.reserve();
      await holder`begin`;
      await holder`select 1 from vtid_ledger for update`;
      const victim = await k.reserve();
      const [{ pid }] = (await victim`select pg_backend_pid() as pid`) as unknown as [{ pid: number }];
      const running = victim`select oasis_ledger_sync()`.then(
        () => 'finished',
        (e: { code?: string }) => e.code,
      );
      for (let i = 0; i < 200; i++) {
        const [w] = await k`select wait_event_type from pg_stat_activity where pid = ${pid}`;
        if (w?.wait_event_type === 'Lock') break;
        await new Promise((r) => setTimeout(r, 25));
      }
      await k`select pg_terminate_backend(${pid})`;
      // The server ends the session (57P01); postgres.js may report the closed socket first.
      expect(['57P01', 'CONNECTION_CLOSED']).toContain(await running);
      await holder`rollback`;
      holder.release();

      const [offset] =
        await k`select last_seq from projection_offsets where projector_name = 'vtid_ledger_writer'`;
      expect(Number(offset!.last_seq)).toBeLessThan(10); // the killed batch moved nothing
      await drain(k);
      await drain(c);
      const [killedRows, cleanRows] = [await ledgerRows(k), await ledgerRows(c)];
      expect(killedRows.length).toBe(400);
      expect(killedRows).toEqual(cleanRows);
    } finally {
      await k.end({ timeout: 1 });
      await c.end({ timeout: 1 });
      await killed.drop();
      await clean.drop();
    }
  });
});

describe('dbcanon ledger', () => {
  it('syncs in batches with a line per batch, and reports status', async () => {
    await drain(db.sql);
    for (let i = 0; i < 5; i++)
      await ingest(db.sql, { type: 'task_created', source: 'cli', vtid: `VTID-32000${i}` });
    const io = memoryIo(process.cwd(), { DATABASE_URL: db.url });
    expect(await ledgerCli(['sync', '--batch', '2'], io)).toBe(0);
    expect(io.out()).toMatch(/^batch 1: 2 events: 2 created, 0 updated, 0 skipped, 0 errors in \d+ ms/m);
    // Each batch's ledger_sync note is read by a later batch (and skipped): 5 events + 3 notes.
    expect(io.out()).toMatch(/^batch 3: 2 events: 1 created, 0 updated, 1 skipped, 0 errors/m);
    expect(io.out()).toMatch(
      /^synced 8 events in 4 batch\(es\), \d+ ms .*: 5 created, 0 updated, 3 skipped, 0 errors$/m,
    );

    const status = memoryIo(process.cwd(), { DATABASE_URL: db.url });
    expect(await ledgerCli(['status', '--json'], status)).toBe(0);
    expect(JSON.parse(status.out())).toMatchObject({ running: false, pending: 0 });

    const bad = memoryIo(process.cwd(), { DATABASE_URL: db.url });
    await expect(ledgerCli(['sync', '--batch', 'x'], bad)).rejects.toMatchObject({ code: 'CLI_USAGE' });
  });

  it('replays to the same ledger', async () => {
    await drain(db.sql);
    const before = await ledgerRows(db.sql);
    const io = memoryIo(process.cwd(), { DATABASE_URL: db.url });
    expect(await ledgerCli(['replay', '--batch', '5000'], io)).toBe(0);
    expect(io.out()).toMatch(/^checkpoint reset/m);
    expect(await ledgerRows(db.sql)).toEqual(before);
  });

  it('`ledger watch` exits 0 when interrupted, after projecting what was pending', async () => {
    await ingest(db.sql, { type: 'task_created', source: 'cli-watch', vtid: 'VTID-340001' });
    let interrupt!: () => void;
    const io = memoryIo(
      process.cwd(),
      { DATABASE_URL: db.url },
      new Promise<void>((r) => {
        interrupt = r;
      }),
    );
    const exit = ledgerCli(['watch', '--debounce', '10'], io);
    for (let i = 0; i < 400 && !io.out().includes('listening'); i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(io.out()).toContain('listening');
    interrupt();
    expect(await exit).toBe(0);
    expect(io.out()).toMatch(/^stopped; projected \d+ events/m);
    expect((await db.sql`select 1 from vtid_ledger where vtid = 'VTID-340001'`).length).toBe(1);
  });

  it('watches: projects at start, on notification, stops cleanly, and loses nothing across a restart', async () => {
    await drain(db.sql);
    const pool = postgres(db.url, { max: 3, onnotice: () => {} }) as unknown as Sql;
    const until = async (what: () => Promise<boolean>) => {
      for (let i = 0; i < 400; i++) {
        if (await what()) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('timed out waiting for the watcher');
    };
    const has = async (vtid: string) =>
      (await db.sql`select 1 from vtid_ledger where vtid = ${vtid}`).length === 1;
    try {
      await ingest(db.sql, { type: 'task_created', source: 'w', vtid: 'VTID-330001' }); // before the watcher
      let stop!: () => void;
      let ready!: () => void;
      const readyP = new Promise<void>((r) => {
        ready = r;
      });
      const first = ledger.watch(pool, {
        stop: new Promise<void>((r) => {
          stop = r;
        }),
        debounceMs: 20,
        idleMs: 60_000,
        onReady: () => ready(),
      });
      await readyP;
      expect(await has('VTID-330001')).toBe(true);
      expect((await ledger.status(pool)).running).toBe(true);
      await ingest(db.sql, { type: 'task_started', source: 'w', vtid: 'VTID-330002' });
      await until(() => has('VTID-330002')); // woken by NOTIFY, not by the 60 s idle timer
      stop();
      const totals = await first;
      expect(totals.processed).toBeGreaterThanOrEqual(2);
      expect((await ledger.status(pool)).running).toBe(false);

      await ingest(db.sql, { type: 'task_started', source: 'w', vtid: 'VTID-330003' }); // while stopped
      let stop2!: () => void;
      let ready2!: () => void;
      const ready2P = new Promise<void>((r) => {
        ready2 = r;
      });
      const second = ledger.watch(pool, {
        stop: new Promise<void>((r) => {
          stop2 = r;
        }),
        idleMs: 60_000,
        onReady: () => ready2(),
      });
      await ready2P;
      expect(await has('VTID-330003')).toBe(true);
      stop2();
      await second;
    } finally {
      await pool.end({ timeout: 1 });
    }
  });
});
