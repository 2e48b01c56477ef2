/**
 * The JSON reporter: exactly one document of the shape docs/design.md describes (`version: 1`), which CI scripts parse.
 * Fields appear in the contract's order; `table`, `suggestion` and `related` (the other places of the same
 * cause) only where they apply.
 */
import type { CheckResult } from '../lint/engine.js';

export function formatJson(result: CheckResult): string {
  const doc = {
    version: 1,
    findings: result.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      file: f.file,
      line: f.line,
      column: f.column,
      ...(f.table !== undefined ? { table: f.table } : {}),
      ...(f.suggestion !== undefined ? { suggestion: f.suggestion } : {}),
      ...(f.related?.length ? { related: f.related } : {}),
    })),
    summary: {
      errors: result.summary.errors,
      warnings: result.summary.warnings,
      tables: result.summary.tables,
      files: result.summary.files,
    },
    ...(result.read ? { read: result.read } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
