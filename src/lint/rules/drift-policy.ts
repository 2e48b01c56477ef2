import type { PolicyModel } from '../../model/schema-model.js';
import { at, comparisons, fallbackLocation, locate } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

const keyOf = (p: PolicyModel) => `${p.schema}.${p.table}.${p.name}`;
const tableOf = (p: PolicyModel) => (p.schema === 'public' ? p.table : `${p.schema}.${p.table}`);

/** What a policy does, for comparing and for messages. */
function differences(a: PolicyModel, b: PolicyModel): string[] {
  const out: string[] = [];
  if (a.command !== b.command) out.push(`command ${a.command} vs ${b.command}`);
  if (a.permissive !== b.permissive)
    out.push(a.permissive ? 'permissive vs restrictive' : 'restrictive vs permissive');
  if (a.roles.join(',') !== b.roles.join(','))
    out.push(`roles ${a.roles.join(', ')} vs ${b.roles.join(', ')}`);
  if (a.using !== b.using) out.push(`using (${a.using ?? ''}) vs (${b.using ?? ''})`);
  if (a.withCheck !== b.withCheck) out.push(`with check (${a.withCheck ?? ''}) vs (${b.withCheck ?? ''})`);
  return out;
}

/** A policy dropped or changed by hand silently changes who can read or write which rows. */
export default defineRule({
  id: 'drift-policy',
  summary: 'the policies in the database are exactly those of policies/ and the migrations',
  defaultSeverity: 'error',
  group: 'drift',
  check: (ctx) => {
    const out: Violation[] = [];
    for (const cmp of comparisons(ctx, { doc: false, database: true })) {
      const right = new Map(cmp.right.policies.map((p) => [keyOf(p), p]));
      const left = new Map(cmp.left.policies.map((p) => [keyOf(p), p]));
      for (const p of cmp.left.policies) {
        const r = right.get(keyOf(p));
        const base = {
          rule: 'drift-policy',
          ...at(locate(ctx, cmp.leftKind, p.loc)),
          table: tableOf(p),
          source: cmp.source,
        };
        if (!r) {
          out.push({
            ...base,
            message:
              `policy "${p.name}" on \`${tableOf(p)}\` is declared in ${p.loc?.file ?? cmp.leftName} but missing from ` +
              'the database: the rows it should open are refused (or, if it was restrictive, opened). Run ' +
              '`dbcanon migrate up` to re-apply the policies/ files.',
          });
          continue;
        }
        const diff = differences(p, r);
        if (diff.length === 0) continue;
        out.push({
          ...base,
          message:
            `policy "${p.name}" on \`${tableOf(p)}\` differs between ${cmp.leftName} and the database ` +
            `(${diff.join('; ')}): someone changed it by hand. Run \`dbcanon migrate up\` to re-apply the ` +
            'policies/ files, or put the change in them.',
        });
      }
      for (const p of cmp.right.policies) {
        if (left.has(keyOf(p))) continue;
        const table = cmp.left.tables.find((t) => t.schema === p.schema && t.name === p.table);
        out.push({
          rule: 'drift-policy',
          ...at(table?.loc ?? fallbackLocation(ctx, cmp.leftKind)),
          table: tableOf(p),
          source: cmp.source,
          message:
            `policy "${p.name}" on \`${tableOf(p)}\` exists in the database but in no file of policies/ or the ` +
            "migrations: a fresh deploy will not have it. Add it to the table's policies/ file, or drop it.",
        });
      }
    }
    return out;
  },
});
