/**
 * Dogfood at the database level: this repository's migrated template database agrees with its migrations,
 * schema/ and policies/ files (no drift, no edited migration) as `dbcanon check --db` sees them.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { runCheck } from '../../src/lint/engine.js';
import { useTestDatabase } from '../support/database.js';

const root = path.resolve(import.meta.dirname, '../..');
const db = useTestDatabase();

describe('check --db on this repository', () => {
  it('finds no drift and no edited migration between the files and a database migrated from them', async () => {
    const r = await runCheck({ root, config: parseConfig({}), databaseUrl: db.url });
    const live = r.findings.filter(
      (f) => f.source === 'migrations/database' || f.rule.startsWith('migration-'),
    );
    expect(live.map((f) => `${f.file}:${f.line} ${f.rule}: ${f.message}`)).toEqual([]);
    expect(r.summary.tables).toBeGreaterThan(10);
  });
});
