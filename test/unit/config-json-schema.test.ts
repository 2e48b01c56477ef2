import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/config/json-schema.js';
import { rules } from '../../src/lint/registry.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('config.schema.json', () => {
  it('is the JSON Schema of the config as the code validates it (regenerate: npm run config-schema)', () => {
    const shipped = JSON.parse(readFileSync(path.join(ROOT, 'config.schema.json'), 'utf8'));
    expect(shipped).toEqual(configJsonSchema(rules.map((r) => r.id)));
  });

  it('names every key, its default, and only the registered rule ids', () => {
    const schema = configJsonSchema(rules.map((r) => r.id)) as {
      properties: Record<string, { default?: unknown; propertyNames?: { enum: string[] } }>;
      additionalProperties?: boolean;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.doc?.default).toBe('DATABASE_SCHEMA.md');
    expect(schema.properties.rules?.propertyNames?.enum).toContain('code-unknown-table');
    expect(schema.properties.rules?.propertyNames?.enum).toHaveLength(rules.length);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        '$schema',
        'migrations',
        'migrationRunner',
        'externalTables',
        'startingSchema',
      ]),
    );
  });

  it('is shipped in the package', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.files).toContain('config.schema.json');
  });
});
