/**
 * `dbcanon ledger sync|status|replay|watch`: the ledger writer of schema/030_ledger.sql from the shell.
 */

import { parseCommandArgs, positiveInt } from '../../cli/args.js';
import type { CliIo } from '../../cli/io.js';
import { resolveDatabaseUrl, withConnection } from '../../db/connect.js';
import { DbcanonError } from '../../errors.js';
import * as ledger from '../ops/ledger.js';

const HELP = `Usage: dbcanon ledger sync|status|replay|watch [options]

Projects OASIS events (oasis_events) into vtid_ledger with the SQL function oasis_ledger_sync().

  sync     project every pending event, in batches, one transaction each; a line per batch
  status   the writer's checkpoint, pending events and recent syncs (oasis_ledger_status())
  replay   move the checkpoint back to the first event and project everything again; the ledger
           comes out the same, plus whatever newly added rules now map
  watch    LISTEN on oasis_events and sync after each burst; Ctrl-C (or SIGTERM) stops cleanly

Options:
  --max N            sync: stop after N events
  --batch N          sync, replay, watch: events per transaction (default ${ledger.DEFAULT_BATCH})
  --debounce MS      watch: quiet time before a sync (default 200)
  --json             sync, status, replay: print one JSON document instead of text
  --database-url URL connection (else DATABASE_URL)
`;

const OPTIONS = {
  max: { type: 'string' },
  batch: { type: 'string' },
  debounce: { type: 'string' },
  json: { type: 'boolean' },
  'database-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function describe(r: ledger.SyncResult): string {
  return `${r.processed} events: ${r.created} created, ${r.updated} updated, ${r.skipped} skipped, ${r.errors} errors`;
}

function rate(events: number, ms: number): string {
  return ms > 0 ? `${Math.round((events * 1000) / ms).toLocaleString('en-US')} events/s` : '';
}

function batchPrinter(io: CliIo, quiet: boolean) {
  return (r: ledger.SyncResult, n: number, ms: number) => {
    if (quiet) return;
    io.stdout.write(`batch ${n}: ${describe(r)} in ${Math.round(ms)} ms (${rate(r.processed, ms)})`);
    io.stdout.write(r.last_event_time ? `; up to ${r.last_event_time}\n` : '\n');
  };
}

function warnErrors(io: CliIo, errors: number): void {
  if (errors > 0) {
    io.stderr.write(
      `warning: ${errors} event(s) could not be projected; their reasons are in oasis_ledger_errors. ` +
        'Fix the rule or constraint, then `dbcanon ledger replay`.\n',
    );
  }
}

function printTotals(io: CliIo, t: ledger.SyncTotals, ms: number): void {
  io.stdout.write(
    `synced ${t.processed} events in ${t.batches} batch(es), ${Math.round(ms)} ms (${rate(t.processed, ms)}): ` +
      `${t.created} created, ${t.updated} updated, ${t.skipped} skipped, ${t.errors} errors\n`,
  );
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('ledger', args, OPTIONS);
  const [sub, ...extra] = positionals;
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (sub === undefined || !['sync', 'status', 'replay', 'watch'].includes(sub)) {
    throw new DbcanonError(
      'CLI_USAGE',
      sub === undefined ? 'ledger needs a subcommand' : `unknown ledger subcommand '${sub}'`,
      { hint: 'one of sync, status, replay, watch (see `dbcanon ledger --help`)' },
    );
  }
  if (extra.length > 0) {
    throw new DbcanonError('CLI_USAGE', `unexpected argument '${extra[0]}' after \`ledger ${sub}\``, {
      hint: 'see `dbcanon ledger --help`',
    });
  }
  const batch = positiveInt('--batch', values.batch, ledger.DEFAULT_BATCH);
  const max = values.max === undefined ? undefined : positiveInt('--max', values.max, 1);
  const debounceMs = positiveInt('--debounce', values.debounce, 200);
  const json = values.json === true;
  const url = resolveDatabaseUrl(values['database-url'], io.env);

  if (sub === 'status') {
    const s = await withConnection(url, (sql) => ledger.status(sql), { applicationName: 'dbcanon ledger' });
    if (json) {
      io.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      return 0;
    }
    io.stdout.write(
      [
        `running:           ${s.running ? 'yes (a watcher is connected)' : 'no watcher connected'}`,
        `events processed:  ${s.events_processed}`,
        `pending:           ${s.pending}`,
        `last processed at: ${s.last_processed_at ?? '-'}`,
        `last event:        ${s.last_event_id ?? '-'} at ${s.last_event_time ?? '-'}`,
        'recent syncs:',
        ...(s.recent_syncs.length === 0
          ? ['  (none)']
          : s.recent_syncs.map((r) => `  ${r.created_at}  ${r.status.padEnd(7)}  ${r.notes ?? ''}`)),
      ].join('\n') + '\n',
    );
    return 0;
  }

  if (sub === 'sync' || sub === 'replay') {
    return withConnection(
      url,
      async (sql) => {
        const started = performance.now();
        let reset: { events_processed_before: number } | undefined;
        if (sub === 'replay') {
          reset = await ledger.resetCheckpoint(sql);
          if (!json) {
            io.stdout.write(
              `checkpoint reset (it had processed ${reset.events_processed_before} events); re-projecting\n`,
            );
          }
        }
        const totals = await ledger.syncAll(sql, { batch, max, onBatch: batchPrinter(io, json) });
        const ms = performance.now() - started;
        if (json) io.stdout.write(`${JSON.stringify({ ...totals, ms: Math.round(ms), ...(reset ?? {}) })}\n`);
        else printTotals(io, totals, ms);
        warnErrors(io, totals.errors);
        return 0;
      },
      { applicationName: `dbcanon ledger ${sub}` },
    );
  }

  // watch
  return withConnection(
    url,
    async (sql) => {
      const stop = io.interrupted();
      io.stdout.write('watching oasis_events (Ctrl-C to stop)\n');
      const totals = await ledger.watch(sql, {
        stop,
        batch,
        debounceMs,
        onBatch: batchPrinter(io, false),
        onReady: ({ otherWatcher }) => {
          io.stdout.write(
            otherWatcher
              ? 'listening; another watcher is also connected (safe: syncs take turns on the checkpoint)\n'
              : 'listening\n',
          );
        },
      });
      io.stdout.write(`stopped; projected ${totals.processed} events in ${totals.batches} batch(es)\n`);
      if (totals.lockSessionLost) {
        io.stderr.write(
          "note: the server closed the watcher's connection during the watch; every batch reported above is " +
            'committed, and `ledger status` showed no watcher since then\n',
        );
      }
      warnErrors(io, totals.errors);
      return 0;
    },
    { applicationName: 'dbcanon ledger watch', max: 3 },
  );
}
