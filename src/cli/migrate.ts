/**
 * `dbcanon migrate up|down|status|new`: argument handling and printing only; the work is in src/migrate/.
 */
import path from 'node:path';
import { loadConfigLazily } from '../config/defaults.js';
import { resolveDatabaseUrl } from '../db/connect.js';
import { DbcanonError } from '../errors.js';
import type { MigrateResult, MigrationStatus } from '../migrate/index.js';
import { plural } from '../words.js';
import { parseCommandArgs, positiveInt } from './args.js';
import type { CliIo } from './io.js';

const HELP = `Usage: dbcanon migrate <subcommand> [options]

Subcommands:
  up       apply pending migrations (all, or --count N), then the changed repeatables (schema/, policies/)
  down     revert the last applied migration (or the last --count N), newest first
  status   applied, pending, changed and missing migrations, and the state of each repeatable
  new NAME write migrations/YYYYMMDDHHMMSS_name.sql with both section markers
           --table T: the migration creates table T, and T's stub entry (with the "Adding a new table"
           checklist) and a change-log row go into the schema document in the same step

Options:
  --count N            up: at most N migrations; down: N migrations (default 1)
  --dry-run            print the SQL that would run and change nothing
  --allow-changed      run even though an applied migration file was edited or deleted
  --no-wait            fail at once (MIGRATE_LOCKED) when another run holds the migration lock
  --format table|json  status output (default table)
  --database-url URL   the database (default: DATABASE_URL)
  --config FILE        dbcanon.config.json to use (default: the one in the working directory)
  --help               this text

A run (its migrations and repeatables) is one transaction; a section with a line \`-- dbcanon:no-transaction\`
runs outside it, statement by statement (for CREATE INDEX CONCURRENTLY, VACUUM, ...).

Exit codes: 0 done; 1 a failed or refused run (MIGRATE_CHANGED, MIGRATE_MISSING, MIGRATE_ORDER, MIGRATE_LOCKED,
MIGRATE_TRANSACTION_CONTROL, MIGRATE_FAILED, DB_CONNECT), or \`status\` finding changed, missing or out-of-order
migrations; 2 usage or config error.
`;

const OPTIONS = {
  count: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'allow-changed': { type: 'boolean' },
  'no-wait': { type: 'boolean' },
  format: { type: 'string' },
  'database-url': { type: 'string' },
  config: { type: 'string' },
  table: { type: 'string' },
  help: { type: 'boolean' },
} as const;

function printRun(io: CliIo, result: MigrateResult, direction: 'up' | 'down'): void {
  const missing = result.missingMigrationDirs;
  if (missing.length > 0) {
    io.stderr.write(
      `warning: the migrations folder${missing.length === 1 ? '' : 's'} ${missing.map((d) => `${d}/`).join(', ')} ` +
        `(config "migrations") ${missing.length === 1 ? 'does' : 'do'} not exist, so no migrations were read from ${missing.length === 1 ? 'it' : 'them'}\n`,
    );
  }
  if (result.dryRun) {
    const migrations = result.planned.filter((p) => p.kind === 'migration').length;
    const repeatables = result.planned.length - migrations;
    const lines = [
      `-- dry run: nothing was changed. Would run ${plural(migrations, 'migration')}` +
        (direction === 'up' ? ` and ${plural(repeatables, 'repeatable')}` : '') +
        (result.planned.length ? ':' : '.'),
    ];
    for (const p of result.planned) {
      const what =
        p.kind === 'migration' ? `migration ${p.name} (${p.file}), ${p.direction}` : `repeatable ${p.file}`;
      lines.push('', `-- ${what}`, p.sql.replace(/\s+$/, ''));
    }
    io.stdout.write(`${lines.join('\n')}\n`);
    return;
  }
  const migrations = result.applied.filter((s) => s.kind === 'migration').length;
  const repeatables = result.applied.length - migrations;
  if (result.applied.length === 0) {
    io.stdout.write(
      direction === 'down'
        ? 'nothing to revert\n'
        : missing.length > 0
          ? `nothing to do: no repeatable changed, and ${missing.map((d) => `${d}/`).join(', ')} (config "migrations") not found\n`
          : 'nothing to do: every migration is applied and no repeatable changed\n',
    );
    return;
  }
  const ms = result.applied.reduce((sum, s) => sum + s.ms, 0);
  const parts = [`${direction === 'up' ? 'applied' : 'reverted'} ${plural(migrations, 'migration')}`];
  if (direction === 'up') parts.push(`${plural(repeatables, 'repeatable')}`);
  io.stdout.write(`${parts.join(' and ')} in ${ms.toFixed(0)} ms\n`);
}

function statusJson(status: MigrationStatus) {
  return {
    version: 1,
    migrations: status.migrations.map((m) => ({
      name: m.name,
      file: m.file,
      state: m.state,
      appliedAt: m.appliedAt?.toISOString() ?? null,
      recordedChecksum: m.recordedChecksum,
      currentChecksum: m.currentChecksum,
    })),
    repeatables: status.repeatables,
    outOfOrder: status.outOfOrder.map((p) => ({
      pending: p.pending.file,
      newestApplied: p.newestApplied.file ?? p.newestApplied.name,
    })),
    summary: summary(status),
  };
}

function summary(status: MigrationStatus) {
  const count = <T extends { state: string }>(list: T[], state: string) =>
    list.filter((x) => x.state === state).length;
  return {
    applied: count(status.migrations, 'applied'),
    pending: count(status.migrations, 'pending'),
    changed: count(status.migrations, 'changed'),
    missing: count(status.migrations, 'missing'),
    outOfOrder: status.outOfOrder.length,
    repeatables: {
      applied: count(status.repeatables, 'applied'),
      changed: count(status.repeatables, 'changed'),
      pending: count(status.repeatables, 'pending'),
      missing: count(status.repeatables, 'missing'),
    },
  };
}

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => `  ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd());
}

function statusText(status: MigrationStatus): string {
  const lines: string[] = ['migrations:'];
  const late = new Set(status.outOfOrder.map((p) => p.pending.name));
  if (status.migrations.length === 0) lines.push('  (none)');
  else {
    lines.push(
      ...table([
        ['STATE', 'MIGRATION', 'APPLIED AT'],
        ...status.migrations.map((m) => [
          m.state + (late.has(m.name) ? ' (out of order)' : ''),
          m.file ?? `${m.name}.sql`,
          m.appliedAt ? m.appliedAt.toISOString().replace('T', ' ').slice(0, 19) : '',
        ]),
      ]),
    );
  }
  lines.push('', 'repeatables:');
  if (status.repeatables.length === 0) lines.push('  (none)');
  else lines.push(...table([['STATE', 'FILE'], ...status.repeatables.map((r) => [r.state, r.file])]));
  const s = summary(status);
  lines.push(
    '',
    `${s.applied} applied, ${s.pending} pending, ${s.changed} changed, ${s.missing} missing` +
      (s.outOfOrder ? `, ${s.outOfOrder} out of order` : '') +
      `; repeatables: ${s.repeatables.applied} applied, ${s.repeatables.changed} changed, ${s.repeatables.pending} pending`,
  );
  return `${lines.join('\n')}\n`;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('migrate', args, OPTIONS);
  const [sub, ...rest] = positionals;
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (!sub || !['up', 'down', 'status', 'new'].includes(sub)) {
    throw new DbcanonError(
      'CLI_USAGE',
      sub ? `unknown subcommand 'migrate ${sub}'` : 'migrate needs a subcommand',
      {
        hint: 'dbcanon migrate up|down|status|new NAME (see `dbcanon migrate --help`)',
      },
    );
  }
  if (sub === 'new' ? rest.length !== 1 : rest.length !== 0) {
    throw new DbcanonError(
      'CLI_USAGE',
      sub === 'new' ? 'migrate new takes one NAME' : `unexpected argument '${rest[0]}'`,
      { hint: 'see `dbcanon migrate --help`' },
    );
  }
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'json') {
    throw new DbcanonError('CLI_USAGE', `--format takes table or json, not '${format}'`);
  }

  const { config, root } = await loadConfigLazily(io.cwd, values.config);
  const migrate = await import('../migrate/index.js');

  if (sub === 'new' && values.table !== undefined) {
    const { newTableMigration } = await import('../doc/new-table.js');
    const r = await newTableMigration({ root, config, name: rest[0] as string, table: values.table });
    io.stdout.write(`${path.relative(io.cwd, r.migration)}\n`);
    if (r.doc) io.stdout.write(`${r.doc}: stub entry for ${values.table} and a change-log row added\n`);
    if (r.note) io.stdout.write(`note: ${r.note}\n`);
    return 0;
  }
  if (values.table !== undefined) {
    throw new DbcanonError('CLI_USAGE', '--table goes with `migrate new NAME`', {
      hint: 'dbcanon migrate new add_user_offers --table user_offers',
    });
  }
  if (sub === 'new') {
    const dryRun = values['dry-run'] === true;
    const file = await migrate.newMigration({ root, config, name: rest[0] as string, dryRun });
    const shown = path.relative(io.cwd, file);
    io.stdout.write(
      dryRun ? `-- dry run: would write ${shown}:\n${migrate.MIGRATION_TEMPLATE}` : `${shown}\n`,
    );
    return 0;
  }

  const databaseUrl = resolveDatabaseUrl(values['database-url'], io.env);
  if (sub === 'status') {
    const status = await migrate.migrationStatus({ databaseUrl, root, config });
    io.stdout.write(
      format === 'json' ? `${JSON.stringify(statusJson(status), null, 2)}\n` : statusText(status),
    );
    const s = summary(status);
    return s.changed + s.missing + s.outOfOrder > 0 ? 1 : 0;
  }

  const options = {
    databaseUrl,
    root,
    config,
    count: values.count === undefined ? undefined : positiveInt('--count', values.count, 1),
    dryRun: values['dry-run'] === true,
    allowChanged: values['allow-changed'] === true,
    wait: values['no-wait'] !== true,
    log: (line: string) => io.stderr.write(`${line}\n`),
  };
  const result = sub === 'up' ? await migrate.migrateUp(options) : await migrate.migrateDown(options);
  printRun(io, result, sub === 'up' ? 'up' : 'down');
  return 0;
}
