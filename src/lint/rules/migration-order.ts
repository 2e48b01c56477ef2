import { defineRule, type Violation } from '../types.js';

/** `YYYYMMDDHHMMSS_snake_name.sql`: the timestamp orders migrations across branches. */
const NAME = /^(\d{14})_[a-z0-9]+(?:_[a-z0-9]+)*\.sql$/;

const baseName = (file: string) => file.slice(file.lastIndexOf('/') + 1);

export default defineRule({
  id: 'migration-order',
  summary:
    'migration files are named YYYYMMDDHHMMSS_snake_name.sql, with unique timestamps, none applied out of order',
  defaultSeverity: 'error',
  group: 'migration',
  check: (ctx) => {
    const out: Violation[] = [];
    const byStamp = new Map<string, string>();
    for (const m of ctx.migrationFiles) {
      const name = baseName(m.file);
      const at = { file: m.file, line: 1, column: 1 };
      const match = NAME.exec(name);
      if (!match) {
        out.push({
          rule: 'migration-order',
          ...at,
          message:
            `migration file name \`${name}\` does not follow YYYYMMDDHHMMSS_snake_name.sql: migrations run in ` +
            'name order, so an odd name runs at the wrong time. Rename it (`dbcanon migrate new NAME` makes one).',
        });
        continue;
      }
      const stamp = match[1] ?? '';
      const other = byStamp.get(stamp);
      if (other) {
        out.push({
          rule: 'migration-order',
          ...at,
          message:
            `migration \`${name}\` has the same timestamp as \`${other}\`: their order depends on the rest of ` +
            'the name, which nobody chose. Give it a later timestamp.',
        });
      } else byStamp.set(stamp, name);
    }
    // With --db: a file that sorts before the last applied migration but was never applied is skipped by the
    // runner (or applied out of order), typically a branch merged after a newer one was deployed.
    const applied = ctx.appliedMigrations;
    if (applied && applied.length > 0) {
      const appliedNames = new Set(applied.map((a) => a.name));
      const last = [...appliedNames].sort().at(-1) ?? '';
      for (const m of ctx.migrationFiles) {
        if (appliedNames.has(m.name) || m.name >= last) continue;
        out.push({
          rule: 'migration-order',
          file: m.file,
          line: 1,
          column: 1,
          source: 'migrations/database',
          message:
            `migration \`${m.name}\` is older than \`${last}\`, the last one applied to the database, but was ` +
            'never applied: it was merged after newer migrations ran. Rename it with a current timestamp so it ' +
            'runs next.',
        });
      }
    }
    return out;
  },
});
