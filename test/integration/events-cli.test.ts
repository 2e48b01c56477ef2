import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { useTestDatabase } from '../support/database.js';

const db = useTestDatabase();
const dir = mkdtempSync(path.join(tmpdir(), 'dbcanon-events-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(interrupted?: Promise<void>) {
  return memoryIo(dir, { DATABASE_URL: db.url }, interrupted);
}

async function count(type: string): Promise<number> {
  const [r] = await db.sql`select count(*)::int as n from oasis_events where type = ${type}`;
  return r?.n as number;
}

describe('dbcanon events ingest', () => {
  it('stores the good records of a JSON array, reports the bad ones by line and exits 1', async () => {
    const file = path.join(dir, 'mixed.json');
    writeFileSync(
      file,
      [
        '[',
        '  {"type": "cli.array", "source": "test", "vtid": "VTID-2026-0001"},', // line 2: good
        '  {"source": "test"},', // line 3: no type
        '  {',
        '    "service": "deployment",', // line 5-9: good, legacy, spans lines
        '    "event": "cli.array",',
        '    "tenant": "system",',
        '    "metadata": {"vtid": "VTID-2025-0100", "note": "a ] and a , inside"}',
        '  },',
        '  {"type": "cli.array", "source": "test", "metadata": [1, 2]},', // line 10: metadata not an object
        '  {"type": "cli.array", "source": oops},', // line 11: not JSON
        '  "just a string",', // line 12: not an object
        '  {"event": "cli.array"}', // line 13: legacy without service
        ']',
      ].join('\n'),
    );
    const out = io();
    const code = await main(['events', 'ingest', file], out);
    expect(code).toBe(1);
    const errLines = out.err().trim().split('\n');
    expect(errLines).toEqual([
      `${file}:3: field 'type' is required`,
      `${file}:10: field 'metadata' must be a JSON object`,
      expect.stringMatching(new RegExp(`^${file}:11: not valid JSON`)),
      `${file}:12: an event must be a JSON object, not string`,
      `${file}:13: field 'service' is required (legacy shape)`,
    ]);
    expect(out.out()).toBe('stored 2 events; skipped 5 bad records (listed above)\n');
    expect(await count('cli.array')).toBe(2);
    const [legacy] = await db.sql`select vtid, source, metadata from oasis_events
                                  where type = 'cli.array' and source = 'deployment'`;
    expect(legacy).toEqual({
      vtid: 'VTID-2025-0100',
      source: 'deployment',
      metadata: { vtid: 'VTID-2025-0100', note: 'a ] and a , inside', tenant: 'system' },
    });
  });

  it('reads NDJSON from stdin, reports a record the server refuses, and keeps the rest', async () => {
    const id = '0b7f8e3c-6a35-4b7e-9a55-2f4a8d9c1e22';
    const text = [
      JSON.stringify({ id, type: 'cli.ndjson', source: 'test' }),
      '',
      JSON.stringify({ id, type: 'cli.ndjson', source: 'test' }), // line 3: duplicate id, refused by the server
      JSON.stringify({ type: 'cli.ndjson', source: 'test', created_at: 'not a date' }), // line 4
      JSON.stringify({ service: 'svc', event: 'cli.ndjson', notes: 'legacy' }), // line 5
    ].join('\n');
    const out = io();
    out.stdin = Readable.from([Buffer.from(text)]);
    const code = await main(['events', 'ingest', '-'], out);
    expect(code).toBe(1);
    const errLines = out.err().trim().split('\n');
    expect(errLines[0]).toMatch(
      /^<stdin>:3: duplicate key value violates unique constraint "oasis_events_pkey"/,
    );
    expect(errLines[1]).toMatch(/^<stdin>:4: field 'created_at' must be a timestamp/);
    expect(errLines).toHaveLength(2);
    expect(out.out()).toBe('stored 2 events; skipped 2 bad records (listed above)\n');
    expect(await count('cli.ndjson')).toBe(2);
  });

  it('exits 0 when every record is good', async () => {
    const file = path.join(dir, 'good.ndjson');
    writeFileSync(file, `${JSON.stringify({ type: 'cli.good', source: 'test' })}\n`);
    const out = io();
    expect(await main(['events', 'ingest', file], out)).toBe(0);
    expect(out.out()).toBe('stored 1 event\n');
    expect(out.err()).toBe('');
  });

  it('exits 2 naming the file when it cannot be read', async () => {
    const out = io();
    expect(await main(['events', 'ingest', 'missing.json'], out)).toBe(2);
    expect(out.err()).toContain('missing.json');
    expect(out.err()).toContain('IO_READ');
  });
});

describe('dbcanon events tail', () => {
  it('prints the events of one VTID as they arrive and exits 0 on interrupt', async () => {
    let stop: () => void = () => {};
    const interrupted = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const out = io(interrupted);
    const running = main(['events', 'tail', '--vtid', 'VTID-2026-0777'], out);
    while (!out.err().includes('listening')) await new Promise((r) => setTimeout(r, 20));

    await db.sql`select oasis_ingest('{"type":"tail.other","source":"test","vtid":"VTID-2026-0001"}')`;
    await db.sql`select oasis_ingest('{"type":"tail.mine","source":"test","vtid":"VTID-2026-0777","message":"first"}')`;
    await db.sql`select oasis_ingest('{"service":"svc","event":"tail.legacy","metadata":{"vtid":"VTID-2026-0777"}}')`;
    const deadline = Date.now() + 10_000;
    while (out.out().split('\n').length < 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    stop();
    expect(await running).toBe(0);

    const lines = out.out().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^#\d+ {2}\S+ \S+ {2}tail\.mine {2}VTID-2026-0777 {2}test {2}first$/);
    expect(lines[1]).toContain('tail.legacy  VTID-2026-0777  svc');
    expect(out.err()).toContain('stopped after 2 events');
  });
});
