import { defineRule } from '../types.js';

/**
 * `dbcanon migrate` applies each section of a migration in a transaction it owns and records the migration in
 * that same transaction. A COMMIT (or BEGIN, ROLLBACK, SAVEPOINT, …) in the section ends or nests that
 * transaction: what came before it stays even when a later statement fails, and the record no longer says what
 * was applied. Statements Postgres runs only outside a transaction block (VACUUM, CREATE INDEX CONCURRENTLY, …)
 * fail there instead. The statements are found by src/migrate/transaction-control.ts, which the runner also
 * uses to refuse them before anything runs; this rule reports them offline, in pending and applied migrations,
 * Up and Down sections alike.
 */
export default defineRule({
  id: 'migration-transaction-control',
  summary: 'no migration section controls transactions, or needs autocommit without saying so',
  defaultSeverity: 'error',
  group: 'migration',
  check: (ctx) =>
    // A BEGIN … COMMIT pair is one mistake: reported once, at its COMMIT, which is what ends the runner's
    // transaction (the BEGIN inside it only warns).
    ctx.migrationTransactionControl
      .filter((t) => !t.pairedWithCommit)
      .map((t) => {
        const section = t.section === 'up' ? 'Up' : 'Down';
        const message =
          t.wrapsSection && t.statement === 'COMMIT'
            ? `the ${section} section is wrapped in BEGIN … COMMIT: the runner already applies each section in its ` +
              'own transaction and records the migration in it, so the BEGIN only warns and this COMMIT ends the ' +
              "runner's transaction before the migration is recorded (a failure then leaves it applied but " +
              'unrecorded, and the next run applies it again). Remove both lines: the section is atomic without them.'
            : t.kind === 'transaction-statement'
              ? `\`${t.statement}\` in the ${section} section: the runner applies each section in its own ` +
                `transaction and records the migration in it, so a \`${t.statement}\` here ends or splits that ` +
                'transaction: what ran before it stays even if a later statement fails, and the migration is ' +
                `half-applied with a record that does not say so. Remove the \`${t.statement}\` (the section is ` +
                'already atomic), or split the work into two migrations.'
              : `\`${t.statement}\` in the ${section} section cannot run inside a transaction block, and the runner ` +
                'applies each section in one: it fails there. Put it in a migration of its own whose section ' +
                'carries a line `-- dbcanon:no-transaction` (its statements then run one by one in autocommit), ' +
                'or drop `CONCURRENTLY` where the table is small enough to lock.';
        return {
          rule: 'migration-transaction-control',
          file: t.file,
          line: t.line,
          column: t.column,
          message,
        };
      }),
});
