/**
 * `dbcanon events ingest FILE|-` and `dbcanon events tail [--vtid V]`: the OASIS event log from the shell.
 * Argument handling and printing only; reading, validating, storing and following are in src/ops/events.ts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCommandArgs } from '../../cli/args.js';
import type { CliIo } from '../../cli/io.js';
import { resolveDatabaseUrl, withConnection } from '../../db/connect.js';
import { DbcanonError } from '../../errors.js';
import { decodeUtf8Strict } from '../../io/utf8.js';
import type { BadRecord, OasisEventRow } from '../ops/events.js';

const USAGE = `Usage:
  dbcanon events ingest FILE|-      store events from a JSON array or NDJSON file (- reads stdin)
  dbcanon events tail [--vtid V]    print events as they are stored, until Ctrl-C

Every record is validated before anything is sent; bad records are reported with their line and skipped, the
good ones are stored, and the exit code is 1 if any record was bad.
Options: --json (tail: one JSON object per line), --database-url URL (else DATABASE_URL)
`;

const OPTIONS = {
  help: { type: 'boolean' },
  json: { type: 'boolean' },
  vtid: { type: 'string' },
  'database-url': { type: 'string' },
} as const;

async function readInput(file: string, io: CliIo): Promise<{ name: string; text: string }> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const c of io.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
    return { name: '<stdin>', text: decodeUtf8Strict(Buffer.concat(chunks), '<stdin>') };
  }
  const full = path.resolve(io.cwd, file);
  let bytes: Buffer;
  try {
    bytes = await readFile(full);
  } catch (e) {
    throw new DbcanonError('IO_READ', `cannot read ${file}: ${(e as Error).message}`, {
      location: { file },
      hint: 'pass a path to a JSON array or NDJSON file, or - for stdin',
    });
  }
  // Events are stored as read: bytes that are not UTF-8 would be stored as U+FFFD.
  return { name: file, text: decodeUtf8Strict(bytes, file) };
}

function formatEvent(row: OasisEventRow): string {
  const at = row.created_at.toISOString().replace('T', ' ').slice(0, 23);
  const parts = [`#${row.seq}`, at, row.type, row.vtid ?? '-', row.source];
  if (row.status) parts.push(`[${row.status}]`);
  if (row.message) parts.push(row.message);
  return `${parts.join('  ')}\n`;
}

async function ingest(file: string, url: string, io: CliIo): Promise<number> {
  const ops = await import('../ops/events.js');
  const input = await readInput(file, io);
  const read = ops.readEventRecords(input.text);
  const checked = ops.checkEventRecords(read.records);
  const bad: BadRecord[] = [...read.bad, ...checked.bad];

  let stored = 0;
  if (checked.good.length > 0) {
    const result = await withConnection(url, (sql) => ops.ingestEvents(sql, checked.good), {
      max: 1,
      applicationName: 'dbcanon events ingest',
    });
    stored = result.stored.length;
    bad.push(...result.refused);
  }
  bad.sort((a, b) => a.line - b.line);
  for (const b of bad) io.stderr.write(`${input.name}:${b.line}: ${b.message}\n`);
  io.stdout.write(
    `stored ${stored} event${stored === 1 ? '' : 's'}` +
      (bad.length ? `; skipped ${bad.length} bad record${bad.length === 1 ? '' : 's'} (listed above)` : '') +
      '\n',
  );
  return bad.length > 0 ? 1 : 0;
}

async function tail(url: string, vtid: string | undefined, asJson: boolean, io: CliIo): Promise<number> {
  const ops = await import('../ops/events.js');
  const until = io.interrupted();
  const count = await withConnection(
    url,
    (sql) =>
      ops.tailEvents(sql, {
        ...(vtid !== undefined ? { vtid } : {}),
        until,
        onListening: () =>
          io.stderr.write(`listening on oasis_events${vtid ? ` for ${vtid}` : ''}; Ctrl-C to stop\n`),
        onEvent: (row) => io.stdout.write(asJson ? `${JSON.stringify(row)}\n` : formatEvent(row)),
      }),
    { max: 2, applicationName: 'dbcanon events tail' },
  );
  io.stderr.write(`stopped after ${count} event${count === 1 ? '' : 's'}\n`);
  return 0;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('events', args, OPTIONS);
  const [sub, ...rest] = positionals;
  if (values.help || sub === undefined) {
    io.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const url = resolveDatabaseUrl(values['database-url'], io.env);
  switch (sub) {
    case 'ingest': {
      const [file, ...extra] = rest;
      if (file === undefined || extra.length > 0) {
        throw new DbcanonError('CLI_USAGE', '`dbcanon events ingest` takes one FILE (or - for stdin)');
      }
      return ingest(file, url, io);
    }
    case 'tail':
      if (rest.length > 0)
        throw new DbcanonError('CLI_USAGE', '`dbcanon events tail` takes no positional arguments');
      return tail(url, values.vtid, !!values.json, io);
    default:
      throw new DbcanonError('CLI_USAGE', `unknown subcommand 'events ${sub}'`, {
        hint: 'subcommands: ingest, tail (see `dbcanon events --help`)',
      });
  }
}
