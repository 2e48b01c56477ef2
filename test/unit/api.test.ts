import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, formatJson } from '../../src/index.js';

describe('the programmatic API', () => {
  it('check() finds the project from cwd upward and returns what `dbcanon check --format json` prints', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-api-'));
    mkdirSync(path.join(root, 'db/migrations'), { recursive: true });
    mkdirSync(path.join(root, 'src/deep'), { recursive: true });
    writeFileSync(
      path.join(root, 'dbcanon.config.json'),
      '{"migrations": ["db/migrations"], "repeatables": []}',
    );
    writeFileSync(path.join(root, 'db/migrations/20250101000000_a.sql'), 'create tabel a (id int);\n');
    const result = await check({ cwd: path.join(root, 'src/deep') });
    expect(result.findings.map((f) => `${f.rule} ${f.file}:${f.line}`)).toContain(
      'migration-syntax db/migrations/20250101000000_a.sql:1',
    );
    expect(result.summary.errors).toBeGreaterThan(0);
    expect(JSON.parse(formatJson(result)).version).toBe(1);
  });
});
