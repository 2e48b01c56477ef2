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
  return checkDatabaseUrl(
    url,
    flag !== undefined ? '--database-url' : 'the DATABASE_URL environment variable',
  );
}

const EXAMPLE_URL = 'postgres://user:password@host:5432/database';

/**
 * Returns `url` when it is a PostgreSQL connection URL, else throws a config error (exit 2) naming where it came
 * from (`source`: the option or variable). Without this, a typo reaches postgres.js and comes back as a bare
 * "Invalid URL", and a `mysql://` URL is tried as a PostgreSQL server.
 */
export function checkDatabaseUrl(url: string, source = 'the database URL'): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DbcanonError('CONFIG_INVALID', `${source} is not a valid URL: '${redactUrl(url)}'`, {
      hint: `write it as ${EXAMPLE_URL} (percent-encode special characters in the user and password)`,
    });
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new DbcanonError(
      'CONFIG_INVALID',
      `${source} is a ${u.protocol}// URL, but dbcanon connects only to PostgreSQL: '${redactUrl(url)}'`,
      { hint: `use a postgres:// or postgresql:// URL, such as ${EXAMPLE_URL}` },
    );
  }
  return url;
}

/** Query parameters that carry a password (libpq's `password`, and the spellings drivers accept). */
const SECRET_PARAM = /^(password|pass|pwd|sslpassword)$/i;

/**
 * Hides the passwords of a connection URL for messages: the userinfo password and a `?password=` query parameter
 * alike (postgres.js and libpq accept both). A string that is not a URL is redacted by pattern, so that an error
 * about a malformed URL does not print its password either.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    const params = [...u.searchParams.keys()].filter((k) => SECRET_PARAM.test(k));
    for (const key of params) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return url
      .replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@')
      .replace(/([?&](?:password|pass|pwd|sslpassword)=)[^&#]*/gi, '$1***');
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
  checkDatabaseUrl(url);
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
