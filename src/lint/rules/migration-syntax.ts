import { defineRule } from '../types.js';

/** A migration that does not parse fails half-way in production; its statements also vanish from the model. */
export default defineRule({
  id: 'migration-syntax',
  summary: 'every migration and repeatable SQL file parses',
  defaultSeverity: 'error',
  group: 'migration',
  check: (ctx) =>
    ctx.migrationProblems.map((p) => ({
      rule: 'migration-syntax',
      file: p.file,
      line: p.line,
      column: p.column,
      message:
        `${p.message}. The file fails when it is applied, and dbcanon cannot see what it changes. ` +
        'Fix the SQL at this position (try it with `psql -f`).',
    })),
});
