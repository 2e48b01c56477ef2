/**
 * The one advisory lock around a whole `migrate up`/`down` run, repeatables included. It is a session lock held
 * by the run's own connection, so it is released when the run ends or its process dies.
 */

import type { Queryable } from '../db/session.js';
import { DbcanonError } from '../errors.js';

// Inlined into the SQL as a literal: a bound JavaScript number would not resolve to the bigint overload.
/** Fixed per database (advisory locks are scoped to the current database); distinct from node-pg-migrate's. */
export const MIGRATE_LOCK_KEY = 3_141_592_653_589_793;

interface Holder {
  pid: number;
  application_name: string;
  backend_start: Date;
}

async function lockHolder(sql: Queryable): Promise<Holder | undefined> {
  const high = Math.floor(MIGRATE_LOCK_KEY / 2 ** 32);
  const low = MIGRATE_LOCK_KEY % 2 ** 32;
  const [holder] = (await sql.unsafe(`
    select a.pid, a.application_name, a.backend_start
    from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.granted and l.objsubid = 1
      and l.classid = ${high}::bigint::oid and l.objid = ${low}::bigint::oid
      and l.database = (select oid from pg_database where datname = current_database())`)) as Holder[];
  return holder;
}

function describe(holder: Holder | undefined): string {
  return holder ? `process ${holder.pid} (${holder.application_name || 'unnamed'})` : 'another session';
}

/**
 * Takes the lock. With `wait`, blocks until the other run ends (saying so through `log`); without it, fails at
 * once with MIGRATE_LOCKED naming the session that holds it.
 */
export async function acquireLock(
  sql: Queryable,
  wait: boolean,
  log?: (line: string) => void,
): Promise<void> {
  const [row] = (await sql.unsafe(`select pg_try_advisory_lock(${MIGRATE_LOCK_KEY}) as locked`)) as {
    locked: boolean;
  }[];
  if (row?.locked) return;
  const holder = await lockHolder(sql);
  if (!wait) {
    throw new DbcanonError('MIGRATE_LOCKED', `another migration run holds the lock: ${describe(holder)}`, {
      hint: 'wait for it to finish, or run without --no-wait to wait for it',
    });
  }
  log?.(`waiting for the migration lock held by ${describe(holder)}`);
  await sql.unsafe(`select pg_advisory_lock(${MIGRATE_LOCK_KEY})`);
}

export async function releaseLock(sql: Queryable): Promise<void> {
  await sql.unsafe(`select pg_advisory_unlock(${MIGRATE_LOCK_KEY})`);
}
