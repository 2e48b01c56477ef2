import { defineRule } from '../types.js';

/**
 * A file in a migrations dir whose name gives it no place in the runner's order (no numeric prefix, or a name
 * that another dir uses too). `dbcanon migrate` refuses to run while it is there; `check` leaves it out of the
 * replay and reports it here, once, instead of stopping: a strange file in a real repository is a finding.
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
      message:
        `${m.message}: \`dbcanon migrate\` refuses to run while it is there, and check leaves it out, so nothing ` +
        `it creates is checked. Fix: ${m.hint}.`,
    })),
});
