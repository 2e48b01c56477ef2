import path from 'node:path';
import type { OrderProblem } from '../../migrate/history.js';
import { defineRule, type MigrationRunnerFacts, type Violation } from '../types.js';

/**
 * A new version that keeps the file where it runs now: moved after the newest, it would run after later
 * migrations that may build on what it makes.
 */
function freeAdvice(p: Extract<OrderProblem, { kind: 'duplicate-version' }>): string {
  const name = path.posix.basename(p.file);
  if (p.free) {
    return (
      `Rename it \`${p.free}${name.slice(p.version.length)}\`: that version is free and keeps the file where it runs ` +
      'now (a version after the newest would run it after later migrations that may build on it).'
    );
  }
  if (p.next && p.later) {
    return (
      `No free version keeps its place (\`${p.next}\` comes right after it): rename it ` +
      `\`${p.later}${name.slice(p.version.length)}\` if it does not build on the migrations from \`${p.next}\` on, ` +
      'which it would then run after, or renumber it together with them.'
    );
  }
  return 'Give it a version of its own, after the newest.';
}

function message(p: OrderProblem, runner: MigrationRunnerFacts): string {
  switch (p.kind) {
    case 'duplicate-version':
      return (
        `migration \`${path.posix.basename(p.file)}\` has the version \`${p.version}\` of \`${path.posix.basename(p.other)}\`: ` +
        `${runner.title} records migrations by version, so it fails to record the second one (and stops there), ` +
        'or takes it for applied. ' +
        // A rollback script next to its migration is applied like any other file there: a new version would run it.
        (p.undoes
          ? 'It reads as a rollback script: move it out of the migrations folder, where every file is applied.'
          : freeAdvice(p))
      );
    case 'numeric-misorder':
      return (
        `migration \`${path.posix.basename(p.file)}\` runs ${p.runsEarly ? 'before' : 'after'} \`${path.posix.basename(p.other)}\`` +
        `${p.count > 1 ? ` (and ${p.count - 1} more)` : ''}, though its date says otherwise: ${runner.title} ` +
        'orders versions as numbers, and a date prefix of another length than the others is a much ' +
        `${p.runsEarly ? 'smaller' : 'larger'} number. Give it a prefix of the same length as the others.`
      );
    case 'journal-time':
      return (
        `journal entry \`${path.posix.basename(p.file)}\` has a \`when\` no later than \`${path.posix.basename(p.other)}\`'s: ` +
        `${runner.title} applies only entries newer than the last one recorded, so a database that ran ` +
        `\`${path.posix.basename(p.other)}\` never runs this one. Regenerate it (\`drizzle-kit generate\`) or fix its \`when\`.`
      );
  }
}

/**
 * What the project's runner would apply out of order, or fail on, because of its files' names: only what misorders
 * for that runner (a Supabase history in file-name order has no trouble with upper-case letters or 8-digit dates;
 * node-pg-migrate's numeric order has). The facts come from src/migrate/history.ts.
 */
export default defineRule({
  id: 'migration-order',
  summary: 'the migration runner applies every migration in the order its name gives it, each version once',
  defaultSeverity: 'error',
  group: 'migration',
  check: (ctx) => {
    const out: Violation[] = ctx.migrationOrderProblems.map((p) => ({
      rule: 'migration-order',
      file: p.file,
      line: 1,
      column: 1,
      message: message(p, ctx.migrationRunner),
    }));
    // With --db: a file that comes before the last applied migration in the runner's order but was never applied
    // is skipped by the runner (or applied out of order), typically a branch merged after a newer one was deployed.
    const applied = ctx.appliedMigrations;
    if (applied && applied.length > 0) {
      const appliedNames = new Set(applied.map((a) => a.name));
      const lastIndex = ctx.migrationFiles.findLastIndex((m) => appliedNames.has(m.name));
      const last = ctx.migrationFiles[lastIndex]?.name ?? '';
      for (const m of ctx.migrationFiles.slice(0, Math.max(0, lastIndex))) {
        if (appliedNames.has(m.name)) continue;
        out.push({
          rule: 'migration-order',
          file: m.file,
          line: 1,
          column: 1,
          source: 'migrations/database',
          message:
            `migration \`${m.name}\` comes before \`${last}\`, the last one applied to the database, but was ` +
            'never applied: it was merged after newer migrations ran. Rename it with a current timestamp so it ' +
            'runs next.',
        });
      }
    }
    return out;
  },
});
