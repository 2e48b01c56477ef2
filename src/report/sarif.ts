/**
 * The SARIF 2.1.0 reporter, for GitHub code scanning and other SARIF viewers. Every registered rule is listed in
 * the driver (so a viewer can show rules that found nothing); results point at 1-based line and column and
 * carry a line-independent fingerprint (the baseline's), so alerts survive edits above them.
 */
import { fingerprint } from '../lint/baseline.js';
import type { CheckResult } from '../lint/engine.js';
import { presetSeverity } from '../lint/presets.js';
import type { RuleMeta } from '../lint/types.js';
import { ruleDocUrl } from './rule-docs.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifOptions {
  rules: readonly RuleMeta[];
  version: string;
}

const levelOf = (s: 'error' | 'warning') => (s === 'error' ? 'error' : 'warning');

export function formatSarif(result: CheckResult, options: SarifOptions): string {
  const rules = [...options.rules];
  // Rules that reported but are not in the list (a plugin, a renamed rule) still need a descriptor.
  for (const f of result.findings) {
    if (!rules.some((r) => r.id === f.rule)) {
      rules.push({ id: f.rule, summary: f.rule, defaultSeverity: 'error', group: 'code' });
    }
  }
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dbcanon',
            version: options.version,
            informationUri: 'https://github.com/dbcanon/dbcanon',
            rules: rules.map((r) => {
              const s = presetSeverity(r, 'recommended');
              return {
                id: r.id,
                name: r.id,
                shortDescription: { text: r.summary },
                helpUri: ruleDocUrl(r.id),
                defaultConfiguration: { level: s === 'off' ? 'none' : s === 'warn' ? 'warning' : 'error' },
                properties: { group: r.group },
              };
            }),
          },
        },
        results: result.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: index.get(f.rule),
          level: levelOf(f.severity),
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file.split('\\').join('/'), uriBaseId: '%SRCROOT%' },
                region: { startLine: f.line, startColumn: f.column },
              },
            },
          ],
          ...(f.related?.length
            ? {
                relatedLocations: f.related.map((r, id) => ({
                  id,
                  physicalLocation: {
                    artifactLocation: { uri: r.file.split('\\').join('/'), uriBaseId: '%SRCROOT%' },
                    region: { startLine: r.line, startColumn: r.column },
                  },
                  ...(r.message ? { message: { text: r.message } } : {}),
                })),
              }
            : {}),
          partialFingerprints: { 'dbcanon/v1': fingerprint(f) },
          ...(f.table !== undefined || f.source !== undefined || f.suggestion !== undefined
            ? {
                properties: {
                  ...(f.table !== undefined ? { table: f.table } : {}),
                  ...(f.source !== undefined ? { source: f.source } : {}),
                  ...(f.suggestion !== undefined ? { suggestion: f.suggestion } : {}),
                },
              }
            : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
