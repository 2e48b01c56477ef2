import { listedExternal } from '../../model/external.js';
import { tableKey } from '../../model/schema-model.js';
import { suggestName } from '../../model/suggest.js';
import { plural } from '../../words.js';
import { defineRule, type Violation } from '../types.js';

/**
 * A table the migrations alter, index, reference or grant on but never create: a database built from the
 * migrations alone fails at the first statement that touches it. One finding per table, at that statement,
 * with the other files as related places; from there on the replay treats the table as existing (columns
 * unknown), so nothing else is reported for it. Tables the config lists in `externalTables` are expected.
 */
export default defineRule({
  id: 'migration-external-table',
  summary: 'every table the migrations touch is created by a migration, or listed in `externalTables`',
  defaultSeverity: 'warn',
  group: 'migration',
  check: (ctx) => {
    const out: Violation[] = [];
    const existing = ctx.migrations.tables;
    for (const e of ctx.migrations.externalTables ?? []) {
      // Made, perhaps, by a DO block's dynamic SQL: the replay cannot tell, so it does not claim otherwise. Or
      // meant to be made by a file that does not parse: that file's migration-syntax finding is the one cause.
      if (e.dynamic || e.inFailedFile || listedExternal(ctx.config, e.schema, e.name)) continue;
      const name = tableKey(e);
      const others = e.files.slice(1);
      const touched =
        others.length > 0
          ? `${e.loc.file} and ${plural(others.length, 'other migration file')} touch`
          : `${e.loc.file} touches`;
      let message: string;
      let suggestion: string | undefined;
      if (e.createdAt) {
        message =
          `\`${name}\` is used before it is created: ${touched} it, but only ${e.createdAt.file}:${e.createdAt.line} ` +
          'creates it, so on a fresh database this statement fails. Create the table in an earlier migration, or ' +
          'if it was made by hand before that migration captured it, list it in `externalTables`.';
      } else if (e.skippedCreate) {
        const at = `${e.skippedCreate.file}:${e.skippedCreate.line}`;
        message =
          `\`${name}\` is used before any migration creates it: ${touched} it, and the CREATE TABLE IF NOT EXISTS ` +
          `at ${at} comes later, so on a fresh database this statement fails, and where the table was already ` +
          `there that CREATE did nothing: its column list is not known to be the table's. dbcanon takes the table ` +
          'as made elsewhere (its columns unknown). Move the CREATE TABLE before its first use, or if the table ' +
          "is made elsewhere, list it in the config's `externalTables`.";
      } else {
        suggestion = suggestName(
          e.name,
          existing.filter((t) => t.schema === e.schema).map((t) => t.name),
        );
        message =
          `\`${name}\` is never created by a migration: ${touched} it, so a database built from the migrations ` +
          'alone fails here. dbcanon takes it as made elsewhere (its columns unknown) from this statement on. ' +
          (suggestion ? `Did you mean \`${suggestion}\`? ` : '') +
          'If it is made elsewhere (a dashboard, another repository, before the first migration), list it in ' +
          "the config's `externalTables`; else add the migration that creates it.";
      }
      out.push({
        rule: 'migration-external-table',
        file: e.loc.file,
        line: e.loc.line,
        column: e.loc.column,
        table: name,
        message,
        ...(suggestion ? { suggestion } : {}),
        ...(others.length ? { related: others.map((file) => ({ file, line: 1, column: 1 })) } : {}),
      });
    }
    return out;
  },
});
