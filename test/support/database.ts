/**
 * Per-file databases for integration tests: `const db = useTestDatabase()` gives the file its own database,
 * cloned from the run's migrated template in beforeAll and dropped (with force) in afterAll.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, inject } from 'vitest';
import { urlFor } from './server.js';

export type TestSql = postgres.Sql<Record<string, never>>;

export interface TestDatabase {
  /** Name of this file's database. */
  readonly name: string;
  /** Connection URL of this file's database (as the owner/superuser). */
  readonly url: string;
  /** A pool on this file's database, opened in beforeAll. */
  readonly sql: TestSql;
  /** URL of the `postgres` database on the same server, for creating more databases. */
  readonly adminUrl: string;
  /** Name of the migrated template database of this run. */
  readonly template: string;
}

/** Creates an extra database, empty (`template0`) or from the run's migrated template; returns its URL. */
export async function createDatabase(
  options: { from?: 'template' | 'empty'; name?: string } = {},
): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const adminUrl = inject('pgAdminUrl');
  const name = options.name ?? `dbcanon_t_${randomBytes(5).toString('hex')}`;
  const source = options.from === 'empty' ? 'template0' : inject('pgTemplate');
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name} template ${source}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: urlFor(adminUrl, name),
    drop: async () => {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}

export function useTestDatabase(options: { from?: 'template' | 'empty' } = {}): TestDatabase {
  let created: Awaited<ReturnType<typeof createDatabase>> | undefined;
  let sql: TestSql | undefined;
  beforeAll(async () => {
    created = await createDatabase(options);
    sql = postgres(created.url, { max: 8, onnotice: () => {} }) as unknown as TestSql;
  });
  afterAll(async () => {
    await sql?.end({ timeout: 5 });
    await created?.drop();
  });
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`useTestDatabase: ${what} is only available inside tests and hooks`);
    return v;
  };
  return {
    get name() {
      return need(created, 'name').name;
    },
    get url() {
      return need(created, 'url').url;
    },
    get sql() {
      return need(sql, 'sql');
    },
    get adminUrl() {
      return inject('pgAdminUrl');
    },
    get template() {
      return inject('pgTemplate');
    },
  };
}
