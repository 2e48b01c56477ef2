/**
 * The ledger writer from TypeScript: thin calls of the SQL API in schema/030_ledger.sql (oasis_ledger_sync,
 * oasis_ledger_status, oasis_ledger_replay) plus the loops that the CLI needs around them (batches, LISTEN).
 * Every guarantee (exactly once, never before older transactions end, deterministic merge) lives in SQL; this
 * module only decides when to call it.
 */

import type { Sql } from '../../db/connect.js';
import { isConnectionError } from '../../db/session.js';
import { DbcanonError } from '../../errors.js';

/** One oasis_ledger_sync call: seed 003's result plus `skipped`. */
export interface SyncResult {
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  errors: number;
  last_event_id: string | null;
  last_event_time: string | null;
}

export interface RecentSync {
  id: string;
  status: string;
  notes: string | null;
  metadata: Record<string, unknown> | null;
  created_at: string;
}

/** oasis_ledger_status(): seed 003 section 6 plus `pending`. */
export interface LedgerStatus {
  running: boolean;
  events_processed: number;
  last_processed_at: string | null;
  last_event_id: string | null;
  last_event_time: string | null;
  pending: number;
  recent_syncs: RecentSync[];
}

export interface SyncTotals {
  batches: number;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  errors: number;
  last_event_id: string | null;
  last_event_time: string | null;
}

/** Batch size of the CLI's sync loop: large batches rewrite each ledger row fewer times (see README). */
export const DEFAULT_BATCH = 250_000;

function queryError(what: string, e: unknown): DbcanonError {
  const err = e as { message?: string; code?: string; hint?: string };
  if (isConnectionError(e)) {
    return new DbcanonError(
      'DB_CONNECT',
      `the connection was lost during ${what}: ${err.message ?? String(e)}`,
      {
        hint: 'the failed call was rolled back, and every batch reported before it is committed; run it again once the server answers',
        cause: e,
      },
    );
  }
  const missing = err.code === '42883' || err.code === '42P01';
  return new DbcanonError('DB_QUERY', `${what} failed: ${err.message ?? String(e)}`, {
    hint: missing
      ? 'the ledger writer is not installed in this database; run `dbcanon migrate up`'
      : (err.hint ?? 'nothing was projected by the failed call; run it again'),
    cause: e,
  });
}

async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw queryError(what, e);
  }
}

/** One sync transaction of at most `maxEvents` events (every pending event when null). */
export async function syncOnce(sql: Sql, maxEvents: number | null = null): Promise<SyncResult> {
  return call('oasis_ledger_sync', async () => {
    const [row] = await sql<{ r: SyncResult }[]>`select oasis_ledger_sync(${maxEvents}::integer) as r`;
    return row!.r;
  });
}

export interface SyncLoopOptions {
  /** Events per transaction. */
  batch?: number;
  /** Stop after about this many events (whole batches; the last one is shortened). */
  max?: number;
  /** Called after each committed batch. */
  onBatch?: (result: SyncResult, batchNumber: number, elapsedMs: number) => void;
  /** Checked between batches; a true value ends the loop after the batch in progress. */
  shouldStop?: () => boolean;
}

function emptyTotals(): SyncTotals {
  return {
    batches: 0,
    processed: 0,
    created: 0,
    updated: 0,
    skipped: 0,
    errors: 0,
    last_event_id: null,
    last_event_time: null,
  };
}

/**
 * Syncs batch after batch, each in its own transaction, until nothing is left below the transaction horizon
 * (or `max` events were processed). A batch that processed only the previous batch's ledger_sync note ends the
 * loop too: that note is always there after a batch.
 */
export async function syncAll(sql: Sql, options: SyncLoopOptions = {}): Promise<SyncTotals> {
  const batch = options.batch ?? DEFAULT_BATCH;
  const totals = emptyTotals();
  for (;;) {
    const left = options.max === undefined ? batch : Math.min(batch, options.max - totals.processed);
    if (left <= 0) break;
    const started = performance.now();
    const r = await syncOnce(sql, left);
    if (r.processed === 0) break;
    totals.batches++;
    totals.processed += r.processed;
    totals.created += r.created;
    totals.updated += r.updated;
    totals.skipped += r.skipped;
    totals.errors += r.errors;
    totals.last_event_id = r.last_event_id;
    totals.last_event_time = r.last_event_time;
    options.onBatch?.(r, totals.batches, performance.now() - started);
    if (r.processed < left || options.shouldStop?.()) break;
  }
  return totals;
}

export async function status(sql: Sql): Promise<LedgerStatus> {
  return call('oasis_ledger_status', async () => {
    const [row] = await sql<{ r: LedgerStatus }[]>`select oasis_ledger_status() as r`;
    return row!.r;
  });
}

/** Moves the checkpoint back to the first event (the next syncs re-project everything). */
export async function resetCheckpoint(sql: Sql): Promise<{ events_processed_before: number }> {
  return call('oasis_ledger_replay', async () => {
    const [row] = await sql<{ r: { events_processed_before: number } }[]>`select oasis_ledger_replay() as r`;
    return row!.r;
  });
}

export interface WatchOptions extends Omit<SyncLoopOptions, 'max' | 'shouldStop'> {
  /** Resolves when the watch must end; the batch in progress commits first. */
  stop: Promise<void>;
  /** Quiet time after a notification before syncing, so that a burst of events is one sync. */
  debounceMs?: number;
  /** Re-check interval while events wait for an older transaction to end (no notification announces that). */
  retryMs?: number;
  /** Re-check interval when idle, in case a notification was lost with a dropped connection. */
  idleMs?: number;
  /** Called once the LISTEN is in place and the start-up sync is done. */
  onReady?: (info: { otherWatcher: boolean }) => void;
}

export interface WatchTotals extends SyncTotals {
  /** The session holding the watcher lock was closed by the server during the watch (the lock went with it). */
  lockSessionLost: boolean;
}

/**
 * LISTENs on oasis_events and syncs after each quiet spell until `stop` resolves. It syncs once at start, so
 * events stored while no watcher ran are projected; the checkpoint lives in the database, so a restart loses
 * nothing. Holds the watcher's advisory lock for oasis_ledger_status().running.
 */
export async function watch(sql: Sql, options: WatchOptions): Promise<WatchTotals> {
  const debounceMs = options.debounceMs ?? 200;
  const retryMs = options.retryMs ?? 1_000;
  const idleMs = options.idleMs ?? 30_000;
  let stopped = false;
  let notified = false;
  // The sleep in progress: a notification ends it only when it is a wait for events, not a debounce.
  let current: { end: () => void; byNotification: boolean } | undefined;
  const sleep = (ms: number, byNotification: boolean) =>
    new Promise<void>((resolve) => {
      if (stopped) return resolve();
      const t = setTimeout(resolve, ms);
      current = {
        end: () => {
          clearTimeout(t);
          resolve();
        },
        byNotification,
      };
    });
  void options.stop.then(() => {
    stopped = true;
    current?.end();
  });

  const lock = await call('claiming the watcher lock', () => sql.reserve());
  const totals: WatchTotals = { ...emptyTotals(), lockSessionLost: false };
  let listener: { unlisten: () => Promise<void> } | undefined;
  let lockPid: number | undefined;
  try {
    const [claim] = await lock<{ claimed: boolean; pid: number }[]>`
      select oasis_ledger_claim_watcher() as claimed, pg_backend_pid() as pid`;
    lockPid = claim?.pid;
    listener = await call('LISTEN oasis_events', () =>
      sql.listen('oasis_events', () => {
        notified = true;
        if (current?.byNotification) current.end();
      }),
    );
    let first = true;
    while (!stopped) {
      notified = false;
      const round = await syncAll(sql, {
        batch: options.batch,
        onBatch: options.onBatch,
        shouldStop: () => stopped,
      });
      totals.batches += round.batches;
      totals.processed += round.processed;
      totals.created += round.created;
      totals.updated += round.updated;
      totals.skipped += round.skipped;
      totals.errors += round.errors;
      if (round.processed > 0) {
        totals.last_event_id = round.last_event_id;
        totals.last_event_time = round.last_event_time;
      }
      if (first) {
        first = false;
        options.onReady?.({ otherWatcher: !claim!.claimed });
      }
      if (stopped) break;
      if (!notified) {
        // Events below the checkpoint but above the horizon wait for an older transaction, whose end sends no
        // notification when it stored no event: look again soon instead of waiting for the next event.
        const waiting = (await status(sql)).pending > 0;
        await sleep(waiting ? retryMs : idleMs, true);
      }
      // Debounce: a burst of events becomes one sync once it pauses (or after ten debounce periods).
      for (let i = 0; i < 10 && notified && !stopped; i++) {
        notified = false;
        await sleep(debounceMs, false);
      }
    }
  } finally {
    await listener?.unlisten().catch(() => {});
    // postgres.js sends a query on a reserved session that the server has closed into a socket that is gone, and
    // throws a TypeError from a timer, outside any promise: so ask the pool (which reconnects) whether the
    // session still exists before using it. A session that went took the watcher lock with it, and is left out
    // of the pool's open connections (releasing it would hand the closed one to the next query).
    const alive =
      lockPid !== undefined &&
      (await sql<{ alive: boolean }[]>`
        select exists (select from pg_stat_activity where pid = ${lockPid}) as alive`.then(
        ([r]) => r?.alive === true,
        () => false,
      ));
    if (alive) {
      // The session goes back to the pool and outlives this watcher: give the lock back explicitly.
      await lock`select oasis_ledger_release_watcher()`.catch(() => {});
      lock.release();
    } else {
      totals.lockSessionLost = true;
    }
  }
  return totals;
}
