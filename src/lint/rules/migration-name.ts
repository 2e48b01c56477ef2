import type { SkippedMigration } from '../../migrate/history.js';
import { defineRule, type MigrationRunnerFacts } from '../types.js';

/** What the runner does with the file, and how to give it a place. */
function describe(m: SkippedMigration, runner: MigrationRunnerFacts): string {
  const name = m.file.slice(m.file.lastIndexOf('/') + 1);
  switch (m.reason) {
    case 'duplicate-name':
      return (
        `migration \`${name.replace(/\.sql$/, '')}\` exists twice (also ${m.other}): ${runner.title} records ` +
        'migrations by name, so the second never runs where the first did. Rename one of them.'
      );
    case 'legacy-init':
      return (
        `${runner.title} skips a first migration named \`<timestamp>_init.sql\` older than 2021-12-09 (what ` +
        'its old versions wrote for the initial schema), so nothing in it is applied. Rename it, keeping its ' +
        'timestamp, if it should run.'
      );
    case 'not-in-journal':
      return (
        `\`${name}\` is not in meta/_journal.json, and ${runner.title} applies only the journal's entries, so ` +
        'it never runs. Generate migrations with `drizzle-kit generate` (or add its entry), or move it out.'
      );
    default:
      return (
        `\`${name}\` does not match ${runner.pattern}, so ${runner.title} passes over it and nothing in it is ` +
        `applied. Rename it to ${runner.pattern} where it belongs in the order, or move it out of the ` +
        'migrations folder.'
      );
  }
}

/**
 * A file in a migrations dir that the project's runner passes over: its name does not match the runner's pattern,
 * or another dir has it too. `check` leaves it out of the replay (as the runner would) and reports it here, once,
 * instead of stopping: a strange file in a real repository is a finding. `dbcanon migrate` refuses to run while
 * it is there.
 */
export default defineRule({
  id: 'migration-name',
  summary: 'every file of the migrations dirs has a place in the runner’s order',
  defaultSeverity: 'warn',
  group: 'migration',
  check: (ctx) =>
    ctx.misnamedMigrations.map((m) => ({
      rule: 'migration-name',
      file: m.file,
      line: 1,
      column: 1,
      message: `${describe(m, ctx.migrationRunner)} (\`check\` leaves it out too, so nothing it creates is checked.)`,
    })),
});
