import { defineRule, type MigrationRunnerFacts, type MigrationTransactionControl } from '../types.js';

/**
 * Whether the project's runner trips over the statement. Each runner wraps a migration in its own way
 * (src/migrate/runners/runner.ts, `transaction`):
 * - `migration` (`dbcanon migrate`, goose, dbmate, Flyway): a transaction it opens and commits, with its record of
 *   the migration; any transaction statement ends or splits it; a statement that needs autocommit fails unless
 *   the section opts out;
 * - `implicit` (the Supabase CLI, Prisma, golang-migrate): the file goes as one batch, which Postgres runs as one
 *   implicit transaction; a BEGIN … COMMIT around the whole file only makes it explicit, but a COMMIT inside it
 *   still splits it; a statement that needs autocommit works only alone in its file;
 * - `run` (drizzle): every pending migration in one transaction, with no way out.
 */
function trips(t: MigrationTransactionControl, runner: MigrationRunnerFacts): boolean {
  if (t.kind === 'transaction-statement') {
    // A BEGIN … COMMIT pair is one mistake: reported once, at its COMMIT, which is what ends the transaction.
    if (t.pairedWithCommit) return false;
    return !(runner.transaction === 'implicit' && t.wrapsSection);
  }
  if (runner.transaction === 'run') return true;
  if (runner.transaction === 'implicit') return t.alone !== true;
  return t.optedOut !== true;
}

function message(t: MigrationTransactionControl, runner: MigrationRunnerFacts): string {
  const section = t.section === 'up' ? 'Up' : 'Down';
  const own = runner.id === 'node-pg-migrate';
  const wraps =
    runner.transaction === 'run'
      ? `${runner.title} applies every pending migration of a run in one transaction`
      : runner.transaction === 'implicit'
        ? `${runner.title} sends each file as one batch, which Postgres runs as one transaction`
        : own
          ? 'the runner applies each section in its own transaction and records the migration in it'
          : `${runner.title} applies each migration in its own transaction and records it there`;
  if (t.kind === 'outside-transaction-only') {
    const fix =
      runner.transaction === 'implicit'
        ? 'Put it in a migration file of its own, as its only statement (it then runs outside any transaction)'
        : runner.optOut
          ? `Put it in a migration of its own with ${runner.optOut}`
          : `${runner.title} has no way to run a migration outside its transaction: run it outside the migrations`;
    return (
      `\`${t.statement}\` in the ${section} section cannot run inside a transaction block, and ${wraps}: it ` +
      `fails there. ${fix}, or drop \`CONCURRENTLY\` where the table is small enough to lock.`
    );
  }
  if (t.wrapsSection && t.statement === 'COMMIT') {
    return (
      `the ${section} section is wrapped in BEGIN … COMMIT: ${wraps}, so the BEGIN only warns and this COMMIT ` +
      "ends the runner's transaction before the migration is recorded (a failure then leaves it applied but " +
      'unrecorded, and the next run applies it again). Remove both lines: the section is atomic without them.'
    );
  }
  return (
    `\`${t.statement}\` in the ${section} section: ${wraps}, so a \`${t.statement}\` here ends or splits ` +
    'that transaction: what ran before it stays even if a later statement fails, and the migration is ' +
    `half-applied with a record that does not say so. Remove the \`${t.statement}\` (the ` +
    `${runner.transaction === 'run' ? 'run' : 'section'} is already atomic), or split the work into two migrations.`
  );
}

/**
 * Transaction statements (COMMIT, BEGIN, ROLLBACK, SAVEPOINT, …) and statements Postgres runs only outside a
 * transaction block (VACUUM, CREATE INDEX CONCURRENTLY, …) in a migration, judged by how the project's runner wraps
 * a migration in a transaction. The statements are found by src/migrate/transaction-control.ts, which
 * `dbcanon migrate` also uses to refuse them before anything runs; this rule reports them offline, in pending and
 * applied migrations, Up and Down sections alike.
 */
export default defineRule({
  id: 'migration-transaction-control',
  summary: 'no migration controls transactions, or needs autocommit, where its runner does not allow it',
  defaultSeverity: 'error',
  group: 'migration',
  check: (ctx) =>
    ctx.migrationTransactionControl
      .filter((t) => trips(t, ctx.migrationRunner))
      .map((t) => ({
        rule: 'migration-transaction-control',
        file: t.file,
        line: t.line,
        column: t.column,
        message: message(t, ctx.migrationRunner),
      })),
});
