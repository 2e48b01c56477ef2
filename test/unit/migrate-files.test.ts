/** listMigrationFiles: the checksum is always of the file's bytes, whatever the text decodes to. */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { listMigrationFiles } from '../../src/migrate/files.js';

describe('listMigrationFiles checksums', () => {
  it('are the SHA-256 of the bytes, for UTF-8 with a BOM, for multi-byte text and for bytes that are not UTF-8', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-files-'));
    mkdirSync(path.join(root, 'migrations'));
    const files: Record<string, Buffer> = {
      '1_bom.sql': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('select 1;\n')]),
      '2_multibyte.sql': Buffer.from("select 'é🔒 ✅';\n"),
      '3_latin1.sql': Buffer.from([0x73, 0x65, 0x6c, 0x65, 0x63, 0x74, 0x20, 0x27, 0xe9, 0x27, 0x3b, 0x0a]),
    };
    for (const [name, bytes] of Object.entries(files))
      writeFileSync(path.join(root, 'migrations', name), bytes);
    const listed = await listMigrationFiles(root, defaultConfig());
    expect(listed.map((f) => f.name)).toEqual(['1_bom', '2_multibyte', '3_latin1']);
    for (const f of listed) {
      const bytes = files[`${f.name}.sql`] as Buffer;
      expect(f.checksum).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    expect(listed[2]?.text).toContain('\uFFFD');
  });
});
