/**
 * `dbcanon vtid next|create|show|list|stats`: the VTID ledger's SQL API from the shell. Argument handling and
 * printing only; every operation is one call in src/ops/vtid.ts.
 */

import { parseCommandArgs, positiveInt } from '../../cli/args.js';
import type { CliIo } from '../../cli/io.js';
import { resolveDatabaseUrl, withConnection } from '../../db/connect.js';
import { DbcanonError } from '../../errors.js';
import type { VtidRow } from '../ops/vtid.js';

const USAGE = `Usage:
  dbcanon vtid next [--year YYYY | --global]
  dbcanon vtid create --family F --type T --description D --tenant T [--status S] [--assigned-to A]
                      [--metadata JSON] [--parent VTID] [--title T] [--year YYYY]
  dbcanon vtid update VTID [--status S] [--assigned-to A] [--metadata JSON]
  dbcanon vtid show VTID
  dbcanon vtid list [--family F] [--status S] [--tenant T] [--limit N]
  dbcanon vtid stats [--since TIMESTAMP]

Options: --json (print JSON), --database-url URL (else DATABASE_URL)
`;

const OPTIONS = {
  help: { type: 'boolean' },
  json: { type: 'boolean' },
  'database-url': { type: 'string' },
  year: { type: 'string' },
  global: { type: 'boolean' },
  family: { type: 'string' },
  type: { type: 'string' },
  description: { type: 'string' },
  tenant: { type: 'string' },
  status: { type: 'string' },
  'assigned-to': { type: 'string' },
  metadata: { type: 'string' },
  parent: { type: 'string' },
  title: { type: 'string' },
  limit: { type: 'string' },
  since: { type: 'string' },
} as const;

function metadataArg(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new DbcanonError('CLI_USAGE', `--metadata is not valid JSON: ${(e as Error).message}`, {
      hint: `pass an object, e.g. --metadata '{"priority":"high"}'`,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DbcanonError('CLI_USAGE', '--metadata must be a JSON object', {
      hint: `pass an object, e.g. --metadata '{"priority":"high"}'`,
    });
  }
  return value as Record<string, unknown>;
}

function yearArg(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{4}$/.test(text))
    throw new DbcanonError('CLI_USAGE', `--year takes a four-digit year, not '${text}'`);
  return Number(text);
}

function oneVtid(positionals: string[], sub: string): string {
  const [vtid, ...extra] = positionals;
  if (vtid === undefined || extra.length > 0) {
    throw new DbcanonError('CLI_USAGE', `\`dbcanon vtid ${sub}\` takes exactly one VTID`, {
      hint: `e.g. dbcanon vtid ${sub} VTID-2026-0001`,
    });
  }
  return vtid;
}

function showRow(row: VtidRow): string {
  const lines = Object.entries(row)
    .filter(([, v]) => v !== null)
    .map(
      ([k, v]) =>
        `${k.padEnd(14)} ${v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : v}`,
    );
  return `${lines.join('\n')}\n`;
}

function listRows(rows: VtidRow[]): string {
  if (rows.length === 0) return 'no VTIDs match\n';
  const cols: [string, (r: VtidRow) => string][] = [
    ['VTID', (r) => r.vtid],
    ['STATUS', (r) => r.status],
    ['TENANT', (r) => r.tenant],
    ['FAMILY', (r) => r.task_family ?? ''],
    ['TYPE', (r) => r.task_type ?? ''],
    ['CREATED', (r) => r.created_at.toISOString().slice(0, 19).replace('T', ' ')],
    ['DESCRIPTION', (r) => (r.description ?? r.title ?? '').slice(0, 60)],
  ];
  const widths = cols.map(([h, f]) => Math.max(h.length, ...rows.map((r) => f(r).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(cols.map(([h]) => h)), ...rows.map((r) => line(cols.map(([, f]) => f(r))))].join('\n')}\n`;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('vtid', args, OPTIONS);
  const [sub, ...rest] = positionals;
  if (values.help || sub === undefined) {
    io.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const url = resolveDatabaseUrl(values['database-url'], io.env);
  const json = (v: unknown) => io.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
  const ops = await import('../ops/vtid.js');

  return withConnection(
    url,
    async (sql) => {
      switch (sub) {
        case 'next': {
          if (values.global && values.year !== undefined) {
            throw new DbcanonError('CLI_USAGE', '--global and --year exclude each other');
          }
          const year = yearArg(values.year);
          const vtid = await ops.vtidNext(sql, {
            ...(year !== undefined ? { year } : {}),
            global: !!values.global,
          });
          if (values.json) json({ vtid });
          else io.stdout.write(`${vtid}\n`);
          return 0;
        }
        case 'create': {
          const year = yearArg(values.year);
          const row = await ops.vtidCreate(sql, {
            taskFamily: values.family,
            taskType: values.type,
            description: values.description,
            tenant: values.tenant,
            status: values.status,
            assignedTo: values['assigned-to'],
            metadata: metadataArg(values.metadata),
            parentVtid: values.parent,
            title: values.title,
            ...(year !== undefined ? { year } : {}),
          });
          if (values.json) json(row);
          else io.stdout.write(`${row.vtid}\n`);
          return 0;
        }
        case 'update': {
          const row = await ops.vtidUpdate(sql, {
            vtid: oneVtid(rest, 'update'),
            status: values.status,
            assignedTo: values['assigned-to'],
            metadata: metadataArg(values.metadata),
          });
          if (values.json) json(row);
          else io.stdout.write(showRow(row));
          return 0;
        }
        case 'show': {
          const row = await ops.vtidGet(sql, oneVtid(rest, 'show'));
          if (values.json) json(row);
          else io.stdout.write(showRow(row));
          return 0;
        }
        case 'list': {
          const rows = await ops.vtidList(sql, {
            taskFamily: values.family,
            status: values.status,
            tenant: values.tenant,
            limit: values.limit === undefined ? undefined : positiveInt('--limit', values.limit, 50),
          });
          if (values.json) json(rows);
          else io.stdout.write(listRows(rows));
          return 0;
        }
        case 'stats': {
          let since: Date | undefined;
          if (values.since !== undefined) {
            since = new Date(values.since);
            if (Number.isNaN(since.getTime())) {
              throw new DbcanonError('CLI_USAGE', `--since takes a timestamp, not '${values.since}'`, {
                hint: 'e.g. --since 2026-01-01T00:00:00Z',
              });
            }
          }
          json(await ops.vtidStats(sql, since));
          return 0;
        }
        default:
          throw new DbcanonError('CLI_USAGE', `unknown subcommand 'vtid ${sub}'`, {
            hint: 'subcommands: next, create, update, show, list, stats (see `dbcanon vtid --help`)',
          });
      }
    },
    { max: 1, applicationName: 'dbcanon vtid' },
  );
}
