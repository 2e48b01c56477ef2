import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/code-unknown-bucket.js';
import { replaySql } from '../../../src/sql/replay.js';
import { codeContext, ref } from './code-context.js';

const bucket = (name: string, file: string, line: number) =>
  ref(name, file, line, 'unknown', { target: 'bucket', via: 'supabase-storage' });

describe('code-unknown-bucket', () => {
  it('reads the buckets the migrations insert, and reports the ones they do not make, once each', async () => {
    const { model } = await replaySql([
      {
        file: 'supabase/migrations/1_buckets.sql',
        sql: [
          "insert into storage.buckets (id, name, public) values ('profile_images', 'profile_images', true);",
          "insert into storage.buckets (name, id) values ('Files', 'files'), ('docs', 'docs') on conflict do nothing;",
        ].join('\n'),
      },
    ]);
    expect(model.buckets?.map((b) => [b.id, b.loc.line])).toEqual([
      ['docs', 2],
      ['files', 2],
      ['profile_images', 1],
    ]);
    const ctx = codeContext({
      migrations: ['profiles'],
      references: [
        bucket('files', 'src/a.ts', 1),
        bucket('docs', 'src/d.ts', 1),
        bucket('profile_images', 'src/d.ts', 2),
        bucket('profile_image', 'src/a.ts', 2),
        bucket('profile_image', 'src/b.ts', 5),
        bucket('avatars', 'src/c.ts', 3),
      ],
    });
    ctx.migrations.buckets = model.buckets ?? [];
    const found = rule.check(ctx);
    expect(found.map((f) => [f.file, f.line, f.suggestion ?? null, f.related?.length ?? 0])).toEqual([
      ['src/a.ts', 2, 'profile_images', 1],
      ['src/c.ts', 3, null, 0],
    ]);
    expect(found[1]?.message).toContain('no migration makes the storage bucket `avatars`');
  });

  it('where most buckets the code names are not made in SQL (the dashboard makes them), only misspellings', () => {
    const ctx = codeContext({
      migrations: ['profiles'],
      references: [
        bucket('media', 'src/a.ts', 1),
        bucket('documents', 'src/a.ts', 2),
        bucket('avatar', 'src/a.ts', 3),
      ],
    });
    ctx.migrations.buckets = [{ id: 'avatars', loc: { file: 'm.sql', line: 1, column: 1 } }];
    expect(rule.check(ctx).map((f) => [f.line, f.suggestion])).toEqual([[3, 'avatars']]);
  });

  it('judges nothing where the migrations make no bucket (they are made in the dashboard)', () => {
    const ctx = codeContext({ migrations: ['profiles'], references: [bucket('avatars', 'src/a.ts', 1)] });
    expect(rule.check(ctx)).toEqual([]);
  });
});
