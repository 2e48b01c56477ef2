/**
 * What `migrate up` and `events ingest` read: a missing migrations folder is named (not "every migration is
 * applied"), and files that are not UTF-8 are refused with their byte offset instead of being run or stored
 * with U+FFFD in place of the bytes.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../support/database.js';
import { queryOnce, runCli, useMigrateFixture } from './migrate-support.js';

const fixture = useMigrateFixture();

const query = queryOnce;

/** "café" in Latin-1: the é is the single byte 0xE9, which is not UTF-8. */
const latin1 = (text: string) => Buffer.from(text, 'latin1');

describe('migrate up inputs', () => {
  it('says that the migrations folder does not exist instead of "every migration is applied"', async () => {
    const r = await runCli(['migrate', 'up', '--database-url', fixture.db.url], fixture.project.root);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'warning: the migrations folder migrations/ (config "migrations") does not exist, so no migrations were read from it',
    );
    expect(r.stdout).not.toContain('every migration is applied');
    expect(r.stdout).toContain('migrations/ (config "migrations") not found');
  });

  it('refuses a migration that is not UTF-8, naming the file, byte offset and line; nothing runs', async () => {
    fixture.project.migration('20240101000000_ok', 'create table ok_t (id int);');
    const file = fixture.project.migration('20240102000000_latin1', 'create table t (v text);\n');
    writeFileSync(
      file,
      latin1(
        "-- Up Migration\ncreate table t (v text);\ninsert into t values ('café');\n-- Down Migration\n",
      ),
    );
    const r = await runCli(['migrate', 'up', '--database-url', fixture.db.url], fixture.project.root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'migrations/20240102000000_latin1.sql:3:27: error INPUT_INVALID: migrations/20240102000000_latin1.sql is not valid UTF-8: byte offset 67 (line 3, column 27) holds 0xe9',
    );
    const [row] = await query<{ t: string | null; ok: string | null }>(
      fixture.db.url,
      `select to_regclass('t')::text as t, to_regclass('ok_t')::text as ok`,
    );
    expect(row).toEqual({ t: null, ok: null });
  });

  it('refuses a repeatable that is not UTF-8; a U+FFFD written as UTF-8 is fine', async () => {
    fixture.project.write('schema/010_ok.sql', "select 'a real \uFFFD is valid UTF-8';\n");
    const file = path.join(fixture.project.root, 'policies/020_latin1.sql');
    fixture.project.write('policies/020_latin1.sql', '');
    writeFileSync(file, latin1("comment on schema public is 'café';\n"));
    const r = await runCli(['migrate', 'up', '--database-url', fixture.db.url], fixture.project.root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('policies/020_latin1.sql:1:33: error INPUT_INVALID');
    expect(r.stderr).toContain('byte offset 32 (line 1, column 33)');

    fixture.project.remove('policies/020_latin1.sql');
    const ok = await runCli(['migrate', 'up', '--database-url', fixture.db.url], fixture.project.root);
    expect(ok.code).toBe(0);
  });
});

describe('events ingest input', () => {
  it('refuses a file of events that is not UTF-8, naming the byte offset and line; nothing is stored', async () => {
    const db = await createDatabase();
    try {
      const file = path.join(fixture.project.root, 'events.ndjson');
      writeFileSync(
        file,
        latin1(
          '{"type": "utf8.check", "source": "test"}\n{"type": "utf8.check", "source": "test", "message": "café"}\n',
        ),
      );
      const r = await runCli(
        ['events', 'ingest', 'events.ndjson', '--database-url', db.url],
        fixture.project.root,
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        'events.ndjson:2:57: error INPUT_INVALID: events.ndjson is not valid UTF-8: byte offset 97 (line 2, column 57)',
      );
      const [row] = await query<{ n: number }>(
        db.url,
        `select count(*)::int as n from oasis_events where type = 'utf8.check'`,
      );
      expect(row?.n).toBe(0);
    } finally {
      await db.drop();
    }
  });
});
