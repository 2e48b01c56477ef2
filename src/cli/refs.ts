/**
 * `dbcanon refs`: every place the code (and the repeatable SQL, and the Prisma schemas) names each table, RPC
 * function or storage bucket, with read/write kind — "who uses this table" before a migration touches it.
 */
import { looseName } from '../code/known-names.js';
import type { CodeScanResult, TableReference } from '../code/table-reference.js';
import { loadConfigLazily } from '../config/defaults.js';
import { DbcanonError } from '../errors.js';
import { parseCommandArgs } from './args.js';
import type { CliIo } from './io.js';
import { commandUsage } from './main.js';

const HELP = `
Options:
  --table T          only this table (case and underscores ignored, so every spelling of it shows)
  --format FORMAT    text (default) or json
  --config FILE      config file (default: dbcanon.config.json in the working directory)
  --no-cache         scan every file again instead of reusing .dbcanon/cache/

Names the scanner cannot know before run time (a table name passed in as a parameter) are counted as
unresolved, not listed as references.
`;

interface Group {
  /** `vtid_ledger`, `audit.personalization_audit`. */
  name: string;
  target: TableReference['target'];
  references: TableReference[];
}

function label(r: Pick<TableReference, 'schema' | 'name'>): string {
  return r.schema && r.schema !== 'public' ? `${r.schema}.${r.name}` : r.name;
}

export function groupReferences(result: CodeScanResult, table?: string): Group[] {
  const wanted = table === undefined ? null : looseName(table.replace(/^public\./, ''));
  const groups = new Map<string, Group>();
  for (const r of result.references) {
    const name = label(r);
    if (wanted !== null && looseName(name) !== wanted && looseName(r.name) !== wanted) continue;
    const key = `${r.target}\0${name}`;
    let g = groups.get(key);
    if (!g) {
      g = { name, target: r.target, references: [] };
      groups.set(key, g);
    }
    g.references.push(r);
  }
  const rank = { table: 0, function: 1, bucket: 2 };
  return [...groups.values()].sort((a, b) =>
    a.target !== b.target ? rank[a.target] - rank[b.target] : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
}

function counts(refs: TableReference[]): string {
  const n = (k: TableReference['kind']) => refs.filter((r) => r.kind === k).length;
  const parts = [
    n('write') ? `${n('write')} write` : '',
    n('read') ? `${n('read')} read` : '',
    n('unknown') ? `${n('unknown')} other` : '',
  ].filter(Boolean);
  return `${refs.length} reference${refs.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

function text(result: CodeScanResult, groups: Group[], table: string | undefined): string {
  const lines: string[] = [];
  for (const g of groups) {
    lines.push(`${g.target === 'table' ? '' : `${g.target} `}${g.name}  (${counts(g.references)})`);
    for (const r of g.references) {
      const kind =
        g.target === 'function'
          ? 'call'
          : g.target === 'bucket'
            ? 'use'
            : r.kind === 'unknown'
              ? 'other'
              : r.kind;
      lines.push(`  ${kind.padEnd(5)}  ${r.file}:${r.line}:${r.column}  ${r.via}`);
    }
    lines.push('');
  }
  if (groups.length === 0) lines.push(table ? `no references to ${table}` : 'no references found', '');
  const tables = groups.filter((g) => g.target === 'table').length;
  const functions = groups.filter((g) => g.target === 'function').length;
  const buckets = groups.filter((g) => g.target === 'bucket').length;
  const refs = groups.reduce((n, g) => n + g.references.length, 0);
  const files = new Set(groups.flatMap((g) => g.references.map((r) => r.file))).size;
  lines.push(
    `${refs} reference${refs === 1 ? '' : 's'} to ${tables} table${tables === 1 ? '' : 's'} and ${functions} ` +
      `function${functions === 1 ? '' : 's'}${buckets ? ` and ${buckets} storage bucket${buckets === 1 ? '' : 's'}` : ''} ` +
      `in ${files} file${files === 1 ? '' : 's'} ` +
      `(${result.filesMatched} scanned); ${result.unresolved.length} unresolved (names known only at run time)`,
  );
  return `${lines.join('\n')}\n`;
}

function json(result: CodeScanResult, groups: Group[]): string {
  const entry = (r: TableReference) => ({
    file: r.file,
    line: r.line,
    column: r.column,
    kind: r.kind,
    via: r.via,
  });
  const doc = {
    version: 1,
    tables: groups
      .filter((g) => g.target === 'table')
      .map((g) => ({ table: g.name, references: g.references.map(entry) })),
    functions: groups
      .filter((g) => g.target === 'function')
      .map((g) => ({ function: g.name, references: g.references.map(entry) })),
    buckets: groups
      .filter((g) => g.target === 'bucket')
      .map((g) => ({ bucket: g.name, references: g.references.map(entry) })),
    unresolved: result.unresolved,
    summary: {
      references: groups.reduce((n, g) => n + g.references.length, 0),
      tables: groups.filter((g) => g.target === 'table').length,
      functions: groups.filter((g) => g.target === 'function').length,
      buckets: groups.filter((g) => g.target === 'bucket').length,
      files: result.filesMatched,
      unresolved: result.unresolved.length,
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('refs', args, {
    table: { type: 'string' },
    format: { type: 'string', default: 'text' },
    config: { type: 'string' },
    'no-cache': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    io.stdout.write(`${commandUsage('refs')} [--config FILE] [--no-cache]\n${HELP}`);
    return 0;
  }
  if (positionals.length > 0) {
    throw new DbcanonError('CLI_USAGE', `unexpected argument '${positionals[0]}'`, {
      hint: 'see `dbcanon refs --help`',
    });
  }
  if (values.format !== 'text' && values.format !== 'json') {
    throw new DbcanonError('CLI_USAGE', `--format takes text or json, not '${values.format}'`);
  }
  if (values.table === '') throw new DbcanonError('CLI_USAGE', '--table needs a table name');
  const { config, root } = await loadConfigLazily(io.cwd, values.config);
  const { prewarmCodeScan, scanCode } = await import('../code/scan.js');
  // A worker loads the TypeScript compiler while the file list is built and the SQL files are read.
  prewarmCodeScan(root, { cache: !values['no-cache'] });
  const result = await scanCode(root, config, { cache: !values['no-cache'] });
  const groups = groupReferences(result, values.table);
  io.stdout.write(values.format === 'json' ? json(result, groups) : text(result, groups, values.table));
  return 0;
}
