/**
 * The GitHub Actions reporter: one workflow command per finding (`::error file=…,line=…,col=…,title=…::…`), which
 * GitHub turns into an annotation on the pull request's diff. Values are escaped as the runner requires.
 */
import type { CheckResult } from '../lint/engine.js';

/** Escaping of the message part of a workflow command. */
const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** Escaping of a property value (additionally `:` and `,`). */
const property = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function formatGithub(result: CheckResult): string {
  const lines = result.findings.map((f) => {
    const kind = f.severity === 'error' ? 'error' : 'warning';
    const props = `file=${property(f.file)},line=${f.line},col=${f.column},title=${property(`dbcanon ${f.rule}`)}`;
    return `::${kind} ${props}::${data(f.message)}`;
  });
  const { errors, warnings, tables, files } = result.summary;
  lines.push(`dbcanon check: ${errors} errors, ${warnings} warnings (${tables} tables, ${files} files)`);
  return `${lines.join('\n')}\n`;
}
