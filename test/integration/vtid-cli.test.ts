import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { useTestDatabase } from '../support/database.js';

const db = useTestDatabase();

async function cli(...args: string[]) {
  const io = memoryIo(process.cwd(), { DATABASE_URL: db.url });
  const code = await main(['vtid', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('dbcanon vtid', () => {
  it('next allocates per year, and globally with --global', async () => {
    expect(await cli('next', '--year', '2093')).toEqual({ code: 0, out: 'VTID-2093-0001\n', err: '' });
    expect(await cli('next', '--year', '2093')).toMatchObject({ out: 'VTID-2093-0002\n' });
    expect((await cli('next', '--global')).out).toMatch(/^VTID-[0-9]{5}\n$/);
  });

  it('create stores a task and prints its VTID; show prints it back', async () => {
    const created = await cli(
      'create',
      '--family',
      'governance',
      '--type',
      'migration',
      '--description',
      'Migrate user data',
      '--tenant',
      'system',
      '--metadata',
      '{"priority":"high"}',
      '--year',
      '2094',
    );
    expect(created).toEqual({ code: 0, out: 'VTID-2094-0001\n', err: '' });
    const shown = await cli('show', 'VTID-2094-0001');
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/^vtid {10} VTID-2094-0001$/m);
    expect(shown.out).toMatch(/^metadata {6} \{"priority":"high"\}$/m);
    expect(shown.out).toMatch(/^status {8} pending$/m);
    const [row] = await db.sql`select task_family, metadata from vtid_ledger where vtid = 'VTID-2094-0001'`;
    expect(row).toEqual({ task_family: 'governance', metadata: { priority: 'high' } });
  });

  it('create without a required field fails with exit 1 and names the field', async () => {
    const r = await cli('create', '--family', 'governance', '--type', 'migration', '--tenant', 'system');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('vtid_create: p_description is required');
    expect(r.err).toContain('SQLSTATE 22023');
  });

  it('update merges metadata; list filters and prints a table in VTID order', async () => {
    await cli(
      'create',
      '--family',
      'clilist',
      '--type',
      't',
      '--description',
      'one',
      '--tenant',
      'maxina',
      '--year',
      '2095',
    );
    await cli(
      'create',
      '--family',
      'clilist',
      '--type',
      't',
      '--description',
      'two',
      '--tenant',
      'maxina',
      '--year',
      '2095',
    );
    const upd = await cli('update', 'VTID-2095-0001', '--status', 'active', '--metadata', '{"progress":50}');
    expect(upd.code).toBe(0);
    expect(upd.out).toMatch(/^status {8} active$/m);

    const list = await cli('list', '--family', 'clilist', '--tenant', 'maxina');
    expect(list.code).toBe(0);
    const lines = list.out.trim().split('\n');
    expect(lines[0]).toMatch(/^VTID\s+STATUS\s+TENANT\s+FAMILY\s+TYPE\s+CREATED\s+DESCRIPTION$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['VTID-2095-0002', 'VTID-2095-0001']);

    const json = await cli('list', '--family', 'clilist', '--status', 'active', '--json');
    expect(JSON.parse(json.out).map((r: { vtid: string }) => r.vtid)).toEqual(['VTID-2095-0001']);
    expect((await cli('list', '--family', 'nothing-here')).out).toBe('no VTIDs match\n');
  });

  it('show of an unknown VTID exits 1; a malformed flag value exits 2', async () => {
    const missing = await cli('show', 'VTID-2001-0404');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('VTID VTID-2001-0404 not found');
    expect((await cli('next', '--year', '26')).code).toBe(2);
    expect((await cli('list', '--limit', 'lots')).code).toBe(2);
    expect((await cli('create', '--metadata', '[1]')).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
  });

  it('stats prints the metrics as JSON', async () => {
    const r = await cli('stats');
    expect(r.code).toBe(0);
    const stats = JSON.parse(r.out);
    expect(stats.by_task_family.clilist.total).toBe(2);
    expect(stats.status_distribution.active).toBe(1);
  });

  it('without a database URL it exits 2 and says how to give one', async () => {
    const io = memoryIo(process.cwd(), {});
    expect(await main(['vtid', 'next'], io)).toBe(2);
    expect(io.err()).toContain('DATABASE_URL');
  });
});
