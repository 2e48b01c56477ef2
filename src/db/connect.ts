import postgres from 'postgres';
import { DbcanonError } from '../errors.js';

export type Sql = postgres.Sql<Record<string, never>>;

/** The connection URL: `--database-url`, else DATABASE_URL; a usage error naming both when neither is set. */
export function resolveDatabaseUrl(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const url = flag ?? env.DATABASE_URL;
  if (!url) {
    throw new DbcanonError('DB_NO_URL', 'no database to connect to', {
      hint: 'pass --database-url postgres://user@host:5432/db or set DATABASE_URL (`dbcanon db start` prints one)',
    });
  }
  return url;
}

/** Hides the password of a connection URL for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

export interface ConnectOptions {
  /** Pool size; 1 for commands that need session state (locks, LISTEN). */
  max?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
  /**
   * Whether postgres.js reads the database's array types when it connects (default true). Commands that read
   * only scalar columns skip it: it is a catalog query on every cold start.
   */
  fetchTypes?: boolean;
}

/**
 * Opens a postgres.js pool. Server notices are dropped (migrations raise many harmless ones); errors keep every
 * field the server sent (code, detail, hint, position).
 */
export function connect(url: string, options: ConnectOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 4,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? 'dbcanon' },
    idle_timeout: 30,
    connect_timeout: 10,
    fetch_types: options.fetchTypes ?? true,
  }) as unknown as Sql;
}

/** Runs `fn` with a pool and always closes it. Turns a failed connection into a DB_CONNECT error. */
export async function withConnection<T>(
  url: string,
  fn: (sql: Sql) => Promise<T>,
  options?: ConnectOptions,
): Promise<T> {
  const sql = connect(url, options);
  try {
    try {
      await sql`select 1`;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new DbcanonError('DB_CONNECT', `cannot connect to ${redactUrl(url)}: ${err.message}`, {
        hint: 'is the server running? `dbcanon db start` starts a local one',
        cause: e,
      });
    }
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
