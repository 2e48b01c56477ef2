/**
 * node-pg-migrate's `dbClient`, over the run's one postgres.js connection.
 *
 * For each migration node-pg-migrate sends BEGIN, the section, dbcanon's checksum row, its own row and COMMIT,
 * each after the previous one answered: five round trips, each a context switch between two processes on a
 * busy machine. Here the statements of a migration are pipelined (sent at once and awaited at COMMIT), one
 * round trip per migration. Failure behaves as before: after a failed statement the server refuses the rest of
 * the transaction and answers the COMMIT with a rollback, and the first error is what the COMMIT reports.
 */
import type { Sql } from '../db/connect.js';

export interface PipelineHooks {
  /** True from the moment node-pg-migrate starts a migration (its action ran) until that migration's COMMIT. */
  inMigration(): boolean;
  /** The migration's COMMIT went through. */
  committed(): void;
  /** A statement of the migration failed; `text` is the first that did (so the cause, not a consequence). */
  failed(text: string, error: unknown): void;
}

export interface QueryResult {
  rows: unknown[];
}

export function pipelinedClient(sql: Sql, hooks: PipelineHooks) {
  let queued: { text: string; result: Promise<unknown> }[] = [];
  return {
    async query(q: string | { text: string }): Promise<QueryResult> {
      const text = typeof q === 'string' ? q : q.text;
      const result: Promise<unknown> = sql.unsafe(text).execute();
      // Observed below (at the COMMIT that ends the batch); without this, Node reports it as unhandled first.
      result.catch(() => {});
      if (hooks.inMigration() && text !== 'COMMIT;') {
        queued.push({ text, result });
        return { rows: [] };
      }
      const batch = [...queued, { text, result }];
      queued = [];
      const settled = await Promise.allSettled(batch.map((b) => b.result));
      const failed = settled.findIndex((s) => s.status === 'rejected');
      if (failed !== -1) {
        const reason = (settled[failed] as PromiseRejectedResult).reason;
        if (hooks.inMigration()) hooks.failed((batch[failed] as { text: string }).text, reason);
        throw reason;
      }
      if (text === 'COMMIT;' && hooks.inMigration()) hooks.committed();
      const rows = (settled.at(-1) as PromiseFulfilledResult<unknown>).value;
      return { rows: Array.isArray(rows) ? [...rows] : [] };
    },
  };
}
