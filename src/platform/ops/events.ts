/**
 * The OASIS event log for the CLI and for code: reading event files (JSON array or NDJSON) with the line of
 * every record, validating each record before anything is sent, storing the good ones through oasis_ingest()
 * (schema/020_oasis_events.sql), and following the log through the `oasis_events` notification channel.
 */
import { z } from 'zod';
import type { Sql } from '../../db/connect.js';
import { fromServerError } from './sql-call.js';

/** A row of oasis_events as postgres.js returns it (seq and tx_id arrive as strings: they are 64-bit). */
export interface OasisEventRow {
  id: string;
  type: string;
  source: string;
  vtid: string | null;
  topic: string | null;
  service: string | null;
  status: string | null;
  message: string | null;
  payload: Record<string, unknown> | null;
  metadata: Record<string, unknown> | null;
  created_at: Date;
  seq: string;
  tx_id: string;
}

/** One record of an input file and the 1-based line it starts on. */
export interface SourceRecord {
  line: number;
  text: string;
}

export interface BadRecord {
  line: number;
  message: string;
}

// --- reading ---------------------------------------------------------------------------------------------------

function lineAt(text: string, offset: number, from = { offset: 0, line: 1 }): number {
  let line = from.line;
  for (let i = from.offset; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Splits a JSON array into its top-level elements without parsing them, so that one malformed element is
 * reported on its own line and the others are still stored.
 */
function splitJsonArray(text: string, open: number): { records: SourceRecord[]; bad: BadRecord[] } {
  const records: SourceRecord[] = [];
  const bad: BadRecord[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  let cursor = { offset: 0, line: 1 };
  const finish = (end: number) => {
    const body = text.slice(start, end).trim();
    const line = lineAt(text, start, cursor);
    cursor = { offset: start, line };
    if (body) records.push({ line, text: body });
    start = -1;
  };
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (depth === 0) {
      if (c === ',' || c === ']') {
        if (start >= 0) finish(i);
        if (c === ']') {
          const rest = text.slice(i + 1).trim();
          if (rest) bad.push({ line: lineAt(text, i + 1), message: 'unexpected text after the closing ]' });
          return { records, bad };
        }
        continue;
      }
      if (start < 0 && !/\s/.test(c ?? '')) start = i;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  if (start >= 0) finish(text.length);
  bad.push({ line: lineAt(text, text.length), message: 'the JSON array is not closed with ]' });
  return { records, bad };
}

/**
 * The records of an events file: a JSON array (each element a record, at the line it starts on), else NDJSON
 * (each non-blank line a record). Problems of the file's structure come back as bad records.
 */
export function readEventRecords(text: string): { records: SourceRecord[]; bad: BadRecord[] } {
  const open = text.search(/\S/);
  if (open >= 0 && text[open] === '[') return splitJsonArray(text, open);
  const records: SourceRecord[] = [];
  text.split('\n').forEach((raw, i) => {
    const body = raw.trim();
    if (body) records.push({ line: i + 1, text: body });
  });
  return { records, bad: [] };
}

// --- validating ------------------------------------------------------------------------------------------------

const requiredText = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .trim()
  .min(1, 'must not be blank');
const optionalText = z.string({ error: 'must be a string' }).nullable().optional();
const optionalObject = z
  .record(z.string(), z.unknown(), { error: 'must be a JSON object' })
  .nullable()
  .optional();
const timestamp = z
  .string({ error: 'must be a timestamp string' })
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a timestamp such as 2026-01-31T10:00:00Z');

/** The column shape of oasis_events; other keys are kept (oasis_ingest merges them into payload). */
export const columnEventSchema = z.looseObject({
  type: requiredText,
  source: requiredText,
  vtid: optionalText,
  topic: optionalText,
  service: optionalText,
  status: optionalText,
  message: optionalText,
  payload: optionalObject,
  metadata: optionalObject,
  id: z.guid({ error: 'must be a UUID' }).optional(),
  created_at: timestamp.optional(),
});

/** The legacy shape of seeds 002/003: {service, event, tenant, status, notes, metadata}. */
export const legacyEventSchema = z.looseObject({
  event: requiredText,
  service: requiredText,
  tenant: optionalText,
  status: optionalText,
  notes: optionalText,
  vtid: optionalText,
  metadata: optionalObject,
  payload: optionalObject,
  id: z.guid({ error: 'must be a UUID' }).optional(),
  created_at: timestamp.optional(),
});

export type EventInput = z.infer<typeof columnEventSchema> | z.infer<typeof legacyEventSchema>;

/** Validates one parsed record the way oasis_ingest() reads it: legacy when it has `event` and no `type`. */
export function validateEvent(
  value: unknown,
): { ok: true; event: EventInput } | { ok: false; message: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      message: `an event must be a JSON object, not ${Array.isArray(value) ? 'an array' : typeof value}`,
    };
  }
  const legacy = 'event' in value && !('type' in value);
  const result = (legacy ? legacyEventSchema : columnEventSchema).safeParse(value);
  if (result.success) return { ok: true, event: result.data };
  const problems = result.error.issues.map((i) => `field '${i.path.join('.') || '(event)'}' ${i.message}`);
  return { ok: false, message: `${problems.join('; ')}${legacy ? ' (legacy shape)' : ''}` };
}

/** Parses and validates every record; returns the valid events with their lines, and the bad ones. */
export function checkEventRecords(records: SourceRecord[]): {
  good: { line: number; event: EventInput }[];
  bad: BadRecord[];
} {
  const good: { line: number; event: EventInput }[] = [];
  const bad: BadRecord[] = [];
  for (const r of records) {
    let value: unknown;
    try {
      value = JSON.parse(r.text);
    } catch (e) {
      bad.push({ line: r.line, message: `not valid JSON: ${(e as Error).message}` });
      continue;
    }
    const v = validateEvent(value);
    if (v.ok) good.push({ line: r.line, event: v.event });
    else bad.push({ line: r.line, message: v.message });
  }
  return { good, bad };
}

// --- storing ---------------------------------------------------------------------------------------------------

/** Stores one event through oasis_ingest(); the server's 22023 message names the field at fault. */
export async function ingestEvent(sql: Sql, event: unknown): Promise<OasisEventRow> {
  try {
    const [row] = await sql`select * from oasis_ingest(${JSON.stringify(event)}::text::jsonb)`;
    return row as unknown as OasisEventRow;
  } catch (e) {
    throw fromServerError('oasis_ingest', e);
  }
}

export interface IngestResult {
  stored: { line: number; id: string; seq: string }[];
  /** Records the server refused (e.g. a duplicate id), with the server's message. */
  refused: BadRecord[];
}

/**
 * Stores validated events in file order. Each chunk goes in one oasis_ingest_many() call (one statement, one
 * commit); a chunk the server refuses (all or nothing, e.g. a duplicate id) is retried one event per statement,
 * so the refused event is reported with its line and the others of its chunk are still stored.
 */
export async function ingestEvents(
  sql: Sql,
  events: { line: number; event: EventInput }[],
  options: { chunk?: number; onProgress?: (done: number) => void } = {},
): Promise<IngestResult> {
  const result: IngestResult = { stored: [], refused: [] };
  const chunk = options.chunk ?? 500;
  for (let i = 0; i < events.length; i += chunk) {
    const part = events.slice(i, i + chunk);
    let rows: OasisEventRow[] | undefined;
    try {
      rows =
        (await sql`select * from oasis_ingest_many(${JSON.stringify(part.map((e) => e.event))}::text::jsonb)`) as unknown as OasisEventRow[];
    } catch {
      rows = undefined;
    }
    if (rows) {
      rows.forEach((row, j) => {
        result.stored.push({ line: part[j]?.line ?? 0, id: row.id, seq: String(row.seq) });
      });
    } else {
      const settled = await Promise.allSettled(part.map((e) => ingestEvent(sql, e.event)));
      settled.forEach((s, j) => {
        const line = part[j]?.line ?? 0;
        if (s.status === 'fulfilled') result.stored.push({ line, id: s.value.id, seq: String(s.value.seq) });
        else result.refused.push({ line, message: (s.reason as Error).message });
      });
    }
    options.onProgress?.(Math.min(i + chunk, events.length));
  }
  return result;
}

// --- following -------------------------------------------------------------------------------------------------

/** What oasis_events_notify() sends for each stored event. */
export interface EventNotice {
  id: string;
  seq: number;
  type: string;
  vtid: string | null;
}

/**
 * Listens on channel `oasis_events` and hands every new event (optionally only those of one VTID) to `onEvent`,
 * in the order the notifications arrive (commit order), until `until` resolves. Returns how many were handed on.
 */
export async function tailEvents(
  sql: Sql,
  options: {
    vtid?: string;
    until: Promise<void>;
    onEvent: (row: OasisEventRow) => void;
    onListening?: () => void;
  },
): Promise<number> {
  let count = 0;
  let failure: unknown;
  let chain: Promise<void> = Promise.resolve();
  const listener = await sql.listen(
    'oasis_events',
    (payload) => {
      let notice: EventNotice;
      try {
        notice = JSON.parse(payload) as EventNotice;
      } catch {
        return;
      }
      if (options.vtid !== undefined && notice.vtid !== options.vtid) return;
      // Fetched one after the other so that the order printed is the order notified.
      chain = chain
        .then(async () => {
          const [row] = await sql`select * from oasis_events where id = ${notice.id}`;
          if (row) {
            count++;
            options.onEvent(row as unknown as OasisEventRow);
          }
        })
        .catch((e) => {
          failure ??= e;
        });
    },
    options.onListening,
  );
  try {
    await options.until;
  } finally {
    await listener.unlisten();
  }
  await chain;
  if (failure !== undefined) throw failure;
  return count;
}
