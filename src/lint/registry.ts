/**
 * Every rule `dbcanon check` runs, sorted by id. One import per rule file; add a rule by adding its line in
 * sorted order within its block.
 */

// code rules (added by the code scanner's rule files; keep sorted)
import codeDeprecatedTable from './rules/code-deprecated-table.js';
import codeTableCase from './rules/code-table-case.js';
import codeUnknownBucket from './rules/code-unknown-bucket.js';
import codeUnknownFunction from './rules/code-unknown-function.js';
import codeUnknownTable from './rules/code-unknown-table.js';
import codeUsedByMissingFile from './rules/code-used-by-missing-file.js';
import codeUsedByStale from './rules/code-used-by-stale.js';
import codeUsedByUnlisted from './rules/code-used-by-unlisted.js';
import docChangelog from './rules/doc-changelog.js';
import docDuplicateTable from './rules/doc-duplicate-table.js';
import docEncoding from './rules/doc-encoding.js';
import docMisplacedTable from './rules/doc-misplaced-table.js';
import docRequiredSections from './rules/doc-required-sections.js';
import docSyntax from './rules/doc-syntax.js';
import driftColumnDefault from './rules/drift-column-default.js';
import driftColumnNullability from './rules/drift-column-nullability.js';
import driftColumnType from './rules/drift-column-type.js';
import driftConstraint from './rules/drift-constraint.js';
import driftMissingColumn from './rules/drift-missing-column.js';
import driftMissingTable from './rules/drift-missing-table.js';
import driftPolicy from './rules/drift-policy.js';
import driftRls from './rules/drift-rls.js';
import driftStatusValues from './rules/drift-status-values.js';
import driftUndocumentedColumn from './rules/drift-undocumented-column.js';
import driftUndocumentedTable from './rules/drift-undocumented-table.js';
import functionExposed from './rules/function-exposed.js';
import indexForeignKey from './rules/index-foreign-key.js';
import migrationChecksum from './rules/migration-checksum.js';
import migrationExternalTable from './rules/migration-external-table.js';
import migrationName from './rules/migration-name.js';
import migrationOrder from './rules/migration-order.js';
import migrationSyntax from './rules/migration-syntax.js';
import migrationTransactionControl from './rules/migration-transaction-control.js';
import namingIndexPrefix from './rules/naming-index-prefix.js';
import namingPluralTable from './rules/naming-plural-table.js';
import namingReservedColumn from './rules/naming-reserved-column.js';
import namingSnakeCase from './rules/naming-snake-case.js';
import rlsEnabled from './rules/rls-enabled.js';
import rlsPolicyTrustsClaimRole from './rules/rls-policy-trusts-claim-role.js';
import securityDefinerSearchPath from './rules/security-definer-search-path.js';
import securityDefinerView from './rules/security-definer-view.js';
import typeFkMatch from './rules/type-fk-match.js';
import typePrimaryKey from './rules/type-primary-key.js';
import typeTimestamptz from './rules/type-timestamptz.js';
import type { Rule } from './types.js';

const all: Rule[] = [
  docChangelog,
  docDuplicateTable,
  docEncoding,
  docMisplacedTable,
  docRequiredSections,
  docSyntax,
  driftColumnDefault,
  driftColumnNullability,
  driftColumnType,
  driftConstraint,
  driftMissingColumn,
  driftMissingTable,
  driftPolicy,
  driftRls,
  driftStatusValues,
  driftUndocumentedColumn,
  driftUndocumentedTable,
  functionExposed,
  indexForeignKey,
  migrationChecksum,
  migrationExternalTable,
  migrationName,
  migrationOrder,
  migrationSyntax,
  migrationTransactionControl,
  namingIndexPrefix,
  namingPluralTable,
  namingReservedColumn,
  namingSnakeCase,
  rlsEnabled,
  rlsPolicyTrustsClaimRole,
  securityDefinerSearchPath,
  securityDefinerView,
  typeFkMatch,
  typePrimaryKey,
  typeTimestamptz,
  // code rules
  codeDeprecatedTable,
  codeTableCase,
  codeUnknownBucket,
  codeUnknownFunction,
  codeUnknownTable,
  codeUsedByMissingFile,
  codeUsedByStale,
  codeUsedByUnlisted,
];

/** The registry, sorted by rule id. */
export const rules: readonly Rule[] = [...all].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export function findRule(id: string): Rule | undefined {
  return rules.find((r) => r.id === id);
}
