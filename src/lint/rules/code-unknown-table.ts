import { groupByName, groupFinding, KnownNames, qualified } from '../../code/known-names.js';
import type { TableReference } from '../../code/table-reference.js';
import { defineRule, type Violation } from '../types.js';

/**
 * A table the code uses that no source declares: one finding per name, at its first use, with the other uses
 * as related places. A table the migrations dropped or renamed is reported with the statement that did it. When
 * the migrations show that tables are made elsewhere (KnownNames.complete), only a name
 * that looks like a misspelling of a known table is reported: any other may be one of those made elsewhere.
 */
export default defineRule({
  id: 'code-unknown-table',
  summary: 'every table the code reads or writes is in the document or the migrations',
  defaultSeverity: 'error',
  group: 'code',
  check: (ctx) => {
    if (!ctx.code) return [];
    const known = new KnownNames(ctx);
    if (!known.hasSchema) return [];
    const complete = known.complete;
    const unknown = ctx.code.references.filter(
      (ref) =>
        ref.target === 'table' &&
        known.judged(ref) &&
        !known.table(ref) &&
        // A spelling of a known table is code-table-case's finding, not an unknown table.
        known.looseMatches(ref).length === 0,
    );
    const out: Violation[] = [];
    for (const uses of groupByName(unknown)) {
      const ref = uses[0] as TableReference;
      const { at, related, others } = groupFinding(uses, 'used');
      const use = ref.kind === 'write' ? 'write' : ref.kind === 'read' ? 'read' : 'use';
      const gone = known.gone.get(qualified(ref.schema, ref.name));
      // A table the project's own history took away is certain, whatever else lives elsewhere.
      const became = gone?.becameKey?.replace(/^public\./, '');
      const suggestion = gone
        ? became
        : known.closest(
            ref.name,
            [...known.tables.values()]
              .filter((t) => t.schema === (ref.schema ?? 'public'))
              .map((t) => t.name),
          );
      if (!gone && !suggestion && !complete) continue;
      const message = gone
        ? `\`${ref.name}\` was ${became ? `renamed to \`${became}\`` : 'dropped'} by ${gone.loc.file}:${gone.loc.line}${others}, ` +
          `so this ${use} fails at run time. ` +
          (became ? `Use \`${became}\`.` : 'Remove the use, or restore the table with a migration.')
        : `\`${ref.name}\` is neither documented in ${ctx.doc?.file ?? ctx.config.doc} nor created by a migration` +
          `${ctx.orm.tables.length > 0 ? ' nor declared in the ORM schema' : ''}${others}, ` +
          `so this ${use} fails at run time (or hits a table nobody governs). ` +
          (suggestion ? `Did you mean \`${suggestion}\`? ` : '') +
          'Fix the name, or add the table with a migration and document it' +
          (suggestion ? '.' : " (or, if it is made elsewhere, list it in the config's `externalTables`).");
      out.push({
        rule: 'code-unknown-table',
        ...at,
        table: ref.schema ? `${ref.schema}.${ref.name}` : ref.name,
        ...(suggestion ? { suggestion } : {}),
        ...related,
        message,
      });
    }
    return out;
  },
});
