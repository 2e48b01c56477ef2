/**
 * The VTID ledger's SQL API (schema/010_vtid.sql) for the CLI and for code: each function is one call of the
 * SQL function of the same name, so psql, PostgREST and dbcanon behave the same.
 */
import type { Sql } from '../../db/connect.js';
import { callFunction } from './sql-call.js';

/** A row of vtid_ledger as postgres.js returns it. */
export interface VtidRow {
  vtid: string;
  id: string;
  layer: string | null;
  module: string | null;
  status: string;
  title: string | null;
  summary: string | null;
  assigned_to: string | null;
  metadata: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  task_family: string | null;
  task_type: string | null;
  description: string | null;
  tenant: string;
  parent_vtid: string | null;
  last_event_id: string | null;
  last_event_at: Date | null;
  service: string | null;
  environment: string | null;
}

export interface VtidCreateInput {
  taskFamily?: string;
  taskType?: string;
  description?: string;
  tenant?: string;
  status?: string;
  assignedTo?: string;
  metadata?: Record<string, unknown>;
  parentVtid?: string;
  title?: string;
  layer?: string;
  module?: string;
  year?: number;
}

export interface VtidUpdateInput {
  vtid: string;
  status?: string;
  assignedTo?: string;
  metadata?: Record<string, unknown>;
}

export interface VtidListFilters {
  taskFamily?: string;
  status?: string;
  tenant?: string;
  limit?: number;
}

function one<T>(rows: T[]): T {
  const [row] = rows;
  if (row === undefined) throw new Error('the SQL API returned no row');
  return row;
}

/** The next VTID: per year (`VTID-YYYY-NNNN`) or, with `global`, `VTID-NNNNN`. */
export async function vtidNext(sql: Sql, options: { year?: number; global?: boolean } = {}): Promise<string> {
  if (options.global) {
    return one(await callFunction<{ vtid_next_global: string }>(sql, 'vtid_next_global')).vtid_next_global;
  }
  const rows = await callFunction<{ vtid_next: string }>(sql, 'vtid_next', {
    p_year: { value: options.year, type: 'integer' },
  });
  return one(rows).vtid_next;
}

export async function vtidCreate(sql: Sql, input: VtidCreateInput): Promise<VtidRow> {
  return one(
    await callFunction<VtidRow>(sql, 'vtid_create', {
      p_task_family: { value: input.taskFamily, type: 'text' },
      p_task_type: { value: input.taskType, type: 'text' },
      p_description: { value: input.description, type: 'text' },
      p_tenant: { value: input.tenant, type: 'text' },
      p_status: { value: input.status, type: 'text' },
      p_assigned_to: { value: input.assignedTo, type: 'text' },
      p_metadata: { value: input.metadata, type: 'jsonb' },
      p_parent_vtid: { value: input.parentVtid, type: 'text' },
      p_title: { value: input.title, type: 'text' },
      p_layer: { value: input.layer, type: 'text' },
      p_module: { value: input.module, type: 'text' },
      p_year: { value: input.year, type: 'integer' },
    }),
  );
}

export async function vtidUpdate(sql: Sql, input: VtidUpdateInput): Promise<VtidRow> {
  return one(
    await callFunction<VtidRow>(sql, 'vtid_update', {
      p_vtid: { value: input.vtid, type: 'text' },
      p_status: { value: input.status, type: 'text' },
      p_assigned_to: { value: input.assignedTo, type: 'text' },
      p_metadata: { value: input.metadata, type: 'jsonb' },
    }),
  );
}

/** One task; an unknown VTID is an error (P0002) naming it. */
export async function vtidGet(sql: Sql, vtid: string): Promise<VtidRow> {
  return one(await callFunction<VtidRow>(sql, 'vtid_get', { p_vtid: { value: vtid, type: 'text' } }));
}

export async function vtidList(sql: Sql, filters: VtidListFilters = {}): Promise<VtidRow[]> {
  return callFunction<VtidRow>(sql, 'vtid_list', {
    p_task_family: { value: filters.taskFamily, type: 'text' },
    p_status: { value: filters.status, type: 'text' },
    p_tenant: { value: filters.tenant, type: 'text' },
    p_limit: { value: filters.limit, type: 'integer' },
  });
}

/** vtid_stats(): creation rate, status distribution, completion time, by task family. */
export async function vtidStats(sql: Sql, since?: Date): Promise<Record<string, unknown>> {
  const row = one(
    await callFunction<{ vtid_stats: Record<string, unknown> }>(sql, 'vtid_stats', {
      p_since: { value: since, type: 'timestamptz' },
    }),
  );
  return row.vtid_stats;
}
