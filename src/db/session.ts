/**
 * One database session that never reconnects: the session of a `migrate up`/`down` run.
 *
 * The run's advisory lock and its open transaction live in that server process. When it goes (terminated, a
 * server restart, a dropped network), the run cannot go on, yet postgres.js would open a new connection for the
 * next query: one without the lock and outside the transaction, on which the run's remaining statements would
 * commit one by one. And a query in flight when the socket closes can be left pending for ever, or fail inside
 * postgres.js with a TypeError. So here the first sign of a lost connection ends the session for good: every
 * query in flight and every later one fails with the same ConnectionLost, and nothing is ever sent on a second
 * connection.
 */
import postgres from 'postgres';
import { checkDatabaseUrl } from './connect.js';

/** The connection of the run was lost after it was opened; the lock and any open transaction went with it. */
export class ConnectionLost extends Error {
  constructor(cause: unknown) {
    super((cause as Error)?.message ?? String(cause), { cause });
    this.name = 'ConnectionLost';
  }
}

/** What the migration code needs of a connection: a postgres.js pool, a transaction, or a RunSession. */
export interface Queryable {
  // biome-ignore lint/suspicious/noExplicitAny: rows are typed by each caller
  unsafe(text: string): PromiseLike<readonly any[]>;
}

export interface RunSession extends Queryable {
  // biome-ignore lint/suspicious/noExplicitAny: rows are typed by each caller
  unsafe(text: string): Promise<readonly any[]>;
  /** The error that ended the session, or null while it holds. */
  lost(): ConnectionLost | null;
  /** Closes the session (a lost one is already closed). */
  end(): Promise<void>;
}

/** SQLSTATEs the server sends as it ends the session (admin_shutdown, crash_shutdown, cannot_connect_now). */
const FATAL_CODES = new Set(['57P01', '57P02', '57P03']);

/** Whether `e` says the connection itself failed, rather than a statement on it. */
export function isConnectionError(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  if (typeof code !== 'string') return false;
  return (
    FATAL_CODES.has(code) ||
    code.startsWith('CONNECTION_') ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'ETIMEDOUT'
  );
}

export function openSession(url: string, applicationName: string): RunSession {
  checkDatabaseUrl(url);
  let lostError: ConnectionLost | null = null;
  let opened = false;
  let ending = false;
  let signalLost: (e: ConnectionLost) => void = () => {};
  const lostPromise = new Promise<never>((_, reject) => {
    signalLost = reject;
  });
  lostPromise.catch(() => {});

  const markLost = (cause: unknown) => {
    if (lostError || ending) return;
    lostError = cause instanceof ConnectionLost ? cause : new ConnectionLost(cause);
    signalLost(lostError);
    // Queries still queued in the pool would otherwise be sent on a fresh connection as soon as it opened.
    void sql.end({ timeout: 0 }).catch(() => {});
  };

  const sql = postgres(url, {
    max: 1,
    onnotice: () => {},
    connection: { application_name: applicationName },
    connect_timeout: 10,
    fetch_types: false,
    // The session must outlive any pause of the run (a long statement, a wait for the lock): postgres.js would
    // otherwise close it after an idle spell or a random lifetime of 30 to 60 minutes, lock and all.
    idle_timeout: 0,
    max_lifetime: null,
    onclose: () => {
      // Before the first answer this is a failed connection attempt, which the query itself reports.
      if (opened) markLost(new Error('the server closed the connection'));
    },
  });

  return {
    async unsafe(text: string) {
      if (lostError) throw lostError;
      try {
        const rows = await Promise.race([sql.unsafe(text).execute(), lostPromise]);
        opened = true;
        return rows;
      } catch (e) {
        if (lostError) throw lostError;
        if (opened && isConnectionError(e)) {
          markLost(e);
          throw lostError ?? e;
        }
        throw e;
      }
    },
    lost: () => lostError,
    async end() {
      ending = true;
      await sql.end({ timeout: 5 }).catch(() => {});
    },
  };
}
