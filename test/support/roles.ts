/**
 * Runs SQL as one of the API roles with JWT claims, the way PostgREST/Supabase does: inside one transaction,
 * `set local role <role>` and `request.jwt.claims` set transaction-locally. Row-level security applies exactly
 * as it would for a real request, which a test connected as the owner or a superuser would bypass.
 */
import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import type { TestSql } from './database.js';

export type ApiRole = 'anon' | 'authenticated' | 'service_role';

export type RoleSql = postgres.TransactionSql<Record<string, never>>;

export interface Actor {
  /** Name shown in test output. */
  readonly name: string;
  readonly role: ApiRole;
  readonly claims: Readonly<Record<string, unknown>>;
}

const ROLES: ReadonlySet<string> = new Set<ApiRole>(['anon', 'authenticated', 'service_role']);

/** A signed-in user: `sub`, `tenant_id` (uuid), `tenant` (name) and optionally `app_role`. */
export function userActor(
  name: string,
  identity: { userId: string; tenantId: string; tenant: string; appRole?: string },
): Actor {
  const claims: Record<string, unknown> = {
    role: 'authenticated',
    sub: identity.userId,
    tenant_id: identity.tenantId,
    tenant: identity.tenant,
  };
  if (identity.appRole) claims.app_role = identity.appRole;
  return { name, role: 'authenticated', claims };
}

export type UserActor = Actor & { readonly userId: string };

/** A fresh signed-in user (random `sub`) of a tenant, so that tests never share rows by accident. */
export function newUserActor(
  tenantId: string,
  options: { tenant?: string; appRole?: string } = {},
): UserActor {
  const userId = randomUUID();
  const identity = { userId, tenantId, tenant: options.tenant ?? 'maxina', appRole: options.appRole };
  return { ...userActor(`user ${userId.slice(0, 8)}`, identity), userId };
}

export const anonActor: Actor = { name: 'anon', role: 'anon', claims: { role: 'anon' } };

/** service_role, optionally with extra claims (a tenant_id, say). */
export function serviceActor(extra: Record<string, unknown> = {}): Actor {
  return { name: 'service_role', role: 'service_role', claims: { role: 'service_role', ...extra } };
}

class Rollback<T> {
  constructor(readonly value: T) {}
}

/**
 * Runs `fn` as `who` in one transaction and commits, or, with `{ rollback: true }`, rolls back and still returns
 * what `fn` returned. An error from `fn` rolls back and is rethrown unchanged (postgres.js keeps code/detail).
 */
export async function asRole<T>(
  sql: TestSql,
  who: Actor,
  fn: (tx: RoleSql) => Promise<T>,
  options: { rollback?: boolean } = {},
): Promise<T> {
  if (!ROLES.has(who.role))
    throw new Error(`asRole: ${who.role} is not one of anon, authenticated, service_role`);
  try {
    return (await sql.begin(async (tx) => {
      await tx.unsafe(`set local role ${who.role}`);
      await tx`select set_config('request.jwt.claims', ${JSON.stringify(who.claims)}, true)`;
      const value = await fn(tx as unknown as RoleSql);
      if (options.rollback) throw new Rollback(value);
      return value;
    })) as T;
  } catch (e) {
    if (e instanceof Rollback) return e.value as T;
    throw e;
  }
}

/** The SQLSTATE of a failed call, or null when it succeeded. */
export async function sqlState(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    throw e;
  }
}

/** rows[i], or a test failure naming the index when the result is shorter (instead of a later TypeError). */
export function nth<T>(rows: readonly T[], i: number): T {
  const row = rows[i];
  if (row === undefined) throw new Error(`expected a row at index ${i}, got ${rows.length} rows`);
  return row;
}

/** The first row of a result; fails the test when there is none. */
export function first<T>(rows: readonly T[]): T {
  return nth(rows, 0);
}
