import { defineRule, type Violation } from '../types.js';

/**
 * An applied migration never runs again, so editing its file changes nothing in existing databases while new
 * ones get the edited version: the environments split silently.
 */
export default defineRule({
  id: 'migration-checksum',
  summary: 'applied migrations are unchanged since they ran (with --db)',
  defaultSeverity: 'error',
  group: 'migration',
  check: (ctx) => {
    const out: Violation[] = [];
    for (const m of ctx.appliedMigrations ?? []) {
      if (m.file === null) {
        out.push({
          rule: 'migration-checksum',
          file: ctx.config.migrations[0] ?? 'migrations',
          line: 1,
          column: 1,
          source: 'migrations/database',
          message:
            `migration \`${m.name}\` was applied to the database but its file is gone: a fresh database will ` +
            'not get what it did. Restore the file from version control.',
        });
        continue;
      }
      if (m.recordedChecksum === null || m.currentChecksum === null) continue;
      if (m.recordedChecksum === m.currentChecksum) continue;
      out.push({
        rule: 'migration-checksum',
        file: m.file,
        line: 1,
        column: 1,
        source: 'migrations/database',
        message:
          `migration \`${m.name}\` was edited after it was applied (checksum ${m.recordedChecksum.slice(0, 12)} ` +
          `when applied, ${m.currentChecksum.slice(0, 12)} now): existing databases keep the old version, new ones ` +
          'get the new one. Revert the edit and put the change in a new migration.',
      });
    }
    return out;
  },
});
