import { describe, expect, it } from 'vitest';
import { detectCodeInclude, detectMigrations } from '../../src/cli/init.js';
import { tempProject } from '../support/temp-project.js';

describe('init: what detection finds without a config', () => {
  it('leaves migrations/ and supabase/migrations to the defaults', () => {
    expect(detectMigrations(tempProject({ 'supabase/migrations/1_a.sql': '' }))).toBeNull();
    expect(detectMigrations(tempProject({ 'migrations/1_a.sql': '' }))).toBeNull();
  });

  it("takes drizzle-kit's `out` from its config", () => {
    const root = tempProject({
      'drizzle.config.ts':
        "export default defineConfig({ schema: './src/db/schema.ts', out: './db/generated/' });",
      'db/generated/0000_init.sql': '',
      'drizzle/0000_other.sql': '',
    });
    expect(detectMigrations(root)).toEqual(['db/generated']);
  });

  it('finds the usual folders of other runners, then the same in a monorepo workspace', () => {
    expect(detectMigrations(tempProject({ 'prisma/migrations/2024_init/migration.sql': '' }))).toEqual([
      'prisma/migrations',
    ]);
    expect(detectMigrations(tempProject({ 'apps/web/supabase/migrations/1_a.sql': '' }))).toEqual([
      'apps/web/supabase/migrations',
    ]);
    expect(detectMigrations(tempProject({ 'packages/db/prisma/migrations/x/migration.sql': '' }))).toEqual([
      'packages/db/prisma/migrations',
    ]);
    expect(detectMigrations(tempProject({ 'README.md': '' }))).toBeNull();
  });

  it('code: every top-level folder with TypeScript, never build output or dependencies', () => {
    const root = tempProject({
      'app/page.tsx': '',
      'lib/db.ts': '',
      'dist/index.ts': '',
      '.next/x.ts': '',
      'node_modules/x/index.ts': '',
      'types/only.d.ts': '',
    });
    expect(detectCodeInclude(root)).toEqual(['app/**/*.ts', 'app/**/*.tsx', 'lib/**/*.ts', 'lib/**/*.tsx']);
  });
});
