/**
 * Calls a function of the platform's SQL API with named arguments, passing only those the caller gave so that
 * the function's own defaults apply to the rest, and turns the server's errors into DbcanonErrors that keep the
 * server's message (which names the argument at fault).
 */

import type { Sql } from '../../db/connect.js';
import { DbcanonError, type ErrorCode } from '../../errors.js';

export interface SqlArg {
  value: unknown;
  /** The SQL type the parameter is cast to, e.g. `text`, `jsonb`, `integer`. */
  type: string;
}

/** `select * from fn(p_a => $1::text, …)` with the arguments whose value is not undefined. */
export async function callFunction<T>(sql: Sql, fn: string, args: Record<string, SqlArg> = {}): Promise<T[]> {
  const given = Object.entries(args).filter(([, a]) => a.value !== undefined);
  const params = given.map(([, a]) =>
    a.type === 'jsonb' && a.value !== null ? JSON.stringify(a.value) : a.value,
  );
  // jsonb travels as text: postgres.js would otherwise encode the already-serialized string a second time.
  const list = given
    .map(([name, a], i) => `${name} => $${i + 1}::${a.type === 'jsonb' ? 'text::jsonb' : a.type}`)
    .join(', ');
  try {
    return (await sql.unsafe(`select * from ${fn}(${list})`, params as never[])) as unknown as T[];
  } catch (e) {
    throw fromServerError(fn, e);
  }
}

/** SQLSTATEs the SQL API raises on purpose, and the error code each becomes. */
const STATES: Record<string, ErrorCode> = {
  '22023': 'INPUT_INVALID',
  '23503': 'INPUT_INVALID',
  '23505': 'INPUT_INVALID',
  '23514': 'INPUT_INVALID',
  P0002: 'DB_QUERY',
};

interface ServerError {
  code?: string;
  message: string;
  hint?: string;
  detail?: string;
}

/** A DbcanonError carrying the server's message, SQLSTATE, detail and hint; other errors pass through. */
export function fromServerError(fn: string, e: unknown): unknown {
  const err = e as ServerError;
  if (typeof err?.code !== 'string' || !/^[0-9A-Z]{5}$/.test(err.code)) return e;
  const details = [`${fn}() failed with SQLSTATE ${err.code}${err.detail ? `: ${err.detail}` : ''}`];
  return new DbcanonError(STATES[err.code] ?? 'DB_QUERY', err.message, {
    details,
    ...(err.hint ? { hint: err.hint } : {}),
    cause: e,
  });
}

/** The SQLSTATE of a server error kept as the cause of a DbcanonError (or of the error itself). */
export function sqlState(e: unknown): string | undefined {
  const inner = e instanceof DbcanonError ? e.cause : e;
  const code = (inner as ServerError | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
