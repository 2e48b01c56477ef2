/**
 * Wording shared by the drift rules, so that every one of them says the same thing about the same pair of
 * sources: what exists where, why that matters, and which side to change.
 */
import type { ConstraintModel, TableModel } from '../model/schema-model.js';
import type { Comparison } from './helpers.js';
import type { RuleContext } from './types.js';

/** `thing` exists on the right (migrations or database) but the left (document or migrations) lacks it. */
export function onlyRightText(ctx: RuleContext, cmp: Comparison, thing: string, where: string): string {
  if (cmp.leftKind === 'doc') {
    return (
      `${thing} exists in ${cmp.rightName} but ${ctx.config.doc} does not describe it, so readers and the ` +
      `code checks do not know it. Add it to ${where} in ${ctx.config.doc}.`
    );
  }
  return (
    `${thing} exists in the database but no migration creates it: a change made by hand is lost on the next ` +
    `fresh deploy. Write a migration that creates it, or drop it from the database if it was a mistake.`
  );
}

/** `thing` is declared on the left but the right does not have it. */
export function onlyLeftText(ctx: RuleContext, cmp: Comparison, thing: string): string {
  if (cmp.leftKind === 'doc') {
    return (
      `${ctx.config.doc} describes ${thing} but ${cmp.rightName} ${cmp.rightKind === 'database' ? 'does not have' : 'never create'} it, ` +
      'so code written from the document fails at run time. Write the migration that creates it, or remove ' +
      'it from the document.'
    );
  }
  return (
    `the migrations create ${thing} but the database does not have it: it was dropped by hand or the database ` +
    'is behind. Run `dbcanon migrate up`, or find who changed the database and write a migration for it.'
  );
}

/** Two values that should be equal differ; `what` names the attribute, e.g. "the type of column `t.c`". */
export function differsText(cmp: Comparison, what: string, left: string, right: string): string {
  const fix =
    cmp.leftKind === 'doc'
      ? `Change the document to \`${right}\` (or write a migration that makes it \`${left}\`).`
      : `Write a migration that makes it \`${right}\` in every database, or change the database back to \`${left}\`.`;
  return `${what} is \`${left}\` in ${cmp.leftName} but \`${right}\` in ${cmp.rightName}. ${fix}`;
}

/** A table is the project's bookkeeping, not part of its schema: the migration runner's tables. */
export function isBookkeepingTable(ctx: RuleContext, t: { schema: string; name: string }): boolean {
  return (
    t.schema === ctx.config.migrationsSchema &&
    (t.name === ctx.config.migrationsTable || t.name.startsWith('dbcanon_'))
  );
}

/** What makes two constraints the same constraint, regardless of the name each producer gave it. */
export function constraintSignature(c: ConstraintModel): string {
  const parts = [c.kind, c.columns.join(',')];
  if (c.references) {
    const r = c.references;
    parts.push(
      `${r.schema}.${r.table}(${r.columns.join(',')})`,
      `on delete ${r.onDelete}`,
      `on update ${r.onUpdate}`,
    );
  }
  if (c.expression !== null) parts.push(c.expression);
  return parts.join(' ');
}

/** A constraint as a reader would write it, for messages. */
export function describeConstraint(t: TableModel, c: ConstraintModel): string {
  const cols = c.columns.join(', ');
  switch (c.kind) {
    case 'primary_key':
      return `primary key (${cols}) of \`${t.name}\``;
    case 'unique':
      return `unique (${cols}) on \`${t.name}\``;
    case 'foreign_key': {
      const r = c.references;
      return `foreign key (${cols}) of \`${t.name}\` referencing ${r ? `${r.table}(${r.columns.join(', ')})` : '?'}`;
    }
    case 'check':
      return `check (${c.expression ?? ''}) on \`${t.name}\``;
    default:
      return `${c.kind} constraint \`${c.name}\` on \`${t.name}\``;
  }
}
