/**
 * `dbcanon db start|status|stop` from a clean checkout: the built CLI run as a user runs it, in a copy of the
 * repository made with `git archive` (no node_modules, no .dbcanon), against the embedded server it starts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'dbcanon.js');

function dbcanon(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '' },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('dbcanon db', () => {
  let checkout: string;
  beforeAll(() => {
    checkout = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-checkout-'));
    // Postgres runs as the `postgres` OS user when the tests run as root: it must reach the checkout.
    chmodSync(checkout, 0o755);
    execFileSync('sh', ['-c', `git -C "${ROOT}" archive HEAD | tar -x -C "${checkout}"`]);
  });
  afterAll(() => {
    if (checkout) {
      dbcanon(checkout, 'db', 'stop');
      rmSync(checkout, { recursive: true, force: true });
    }
  });

  it('starts a migrated server that outlives the command, reports it, and stops it', async () => {
    expect(dbcanon(checkout, 'db', 'status')).toMatchObject({
      code: 1,
      out: expect.stringContaining('not created'),
    });

    const start = dbcanon(checkout, 'db', 'start');
    expect(start.err).toBe('');
    expect(start.code).toBe(0);
    const url = /^URL:\s+(\S+)$/m.exec(start.out)?.[1];
    expect(url).toMatch(/^postgres:\/\/postgres:postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(start.out).toContain(`psql: psql ${url}`);
    expect(existsSync(path.join(checkout, '.dbcanon', 'db', 'data', 'PG_VERSION'))).toBe(true);

    // The command has exited; the server must still answer.
    const sql = postgres(url as string, { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql`select current_setting('server_version_num')::int as v`;
      expect(row?.v).toBeGreaterThanOrEqual(150000);
    } finally {
      await sql.end();
    }

    const status = dbcanon(checkout, 'db', 'status');
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/^running: pid \d+, port \d+$/m);
    expect(status.out).toContain(url);

    // The printed URL is what a user passes on: `migrate status` against it finds every migration and every
    // repeatable of the checkout applied, nothing pending or changed.
    const sqlFiles = (dir: string) => readdirSync(path.join(checkout, dir)).filter((f) => f.endsWith('.sql'));
    const migrations = sqlFiles('migrations').length;
    const repeatables = sqlFiles('schema').length + sqlFiles('policies').length;
    const migrateStatus = dbcanon(checkout, 'migrate', 'status', '--database-url', url as string);
    expect(migrateStatus.err).toBe('');
    expect(migrateStatus.code).toBe(0);
    expect(migrateStatus.out).toContain(`${migrations} applied, 0 pending, 0 changed, 0 missing`);
    expect(migrateStatus.out).toContain(`repeatables: ${repeatables} applied, 0 changed, 0 pending`);

    const again = dbcanon(checkout, 'db', 'start');
    expect(again).toMatchObject({ code: 0, out: expect.stringContaining('already running') });

    expect(dbcanon(checkout, 'db', 'stop')).toMatchObject({ code: 0, out: 'stopped\n' });
    expect(dbcanon(checkout, 'db', 'status')).toMatchObject({
      code: 1,
      out: expect.stringContaining('stopped'),
    });
    const gone = postgres(url as string, { max: 1, onnotice: () => {}, connect_timeout: 2 });
    await expect(gone`select 1`).rejects.toThrow();
    await gone.end();
    expect(dbcanon(checkout, 'db', 'stop')).toMatchObject({ code: 0, out: 'not running\n' });
  });

  it('exits 1 when the migrations did not all apply (the server stays up for a look)', () => {
    const project = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-broken-'));
    chmodSync(project, 0o755);
    try {
      mkdirSync(path.join(project, 'migrations'));
      writeFileSync(
        path.join(project, 'migrations', '20250101000000_broken.sql'),
        'create tabel x (id int);\n',
      );
      writeFileSync(path.join(project, 'dbcanon.config.json'), '{"repeatables": []}\n');
      const start = dbcanon(project, 'db', 'start', '--port', '54391');
      expect(start.err).toContain('the migrations did not all apply');
      expect(start.code).toBe(1);
    } finally {
      dbcanon(project, 'db', 'stop');
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('rejects an unknown subcommand as a usage error', () => {
    expect(dbcanon(checkout, 'db', 'restart')).toMatchObject({
      code: 2,
      err: expect.stringContaining('restart'),
    });
  });
});
