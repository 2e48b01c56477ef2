import { describe, expect, it } from 'vitest';
import { apiExposure } from '../../src/model/exposure.js';
import { emptySchemaModel, type SchemaModel } from '../../src/model/schema-model.js';

function withPolicy(roles: string[]): SchemaModel {
  const m = emptySchemaModel();
  m.policies.push({
    schema: 'public',
    table: 'notes',
    name: 'own notes',
    command: 'all',
    permissive: true,
    roles,
    using: 'true',
    withCheck: null,
    loc: { file: 'migrations/1_init.sql', line: 3, column: 1 },
  });
  return m;
}

describe('apiExposure', () => {
  it('the config decides when it says so', () => {
    expect(apiExposure('none', { kind: 'supabase' }, [withPolicy(['anon'])]).exposed).toBe(false);
    expect(apiExposure('postgrest', { kind: 'postgres' }, []).exposed).toBe(true);
  });

  it('auto: a Supabase project is exposed', () => {
    const e = apiExposure('auto', { kind: 'supabase' }, []);
    expect(e).toEqual({ exposed: true, because: "the project starts from Supabase's schema" });
  });

  it('auto: a policy that names an API role means an API switches to it', () => {
    const e = apiExposure('auto', { kind: 'postgres' }, [emptySchemaModel(), withPolicy(['authenticated'])]);
    expect(e.exposed).toBe(true);
    expect(e.because).toContain('`own notes` on `public.notes`');
  });

  it('auto: plain Postgres whose policies name only its own roles is not exposed', () => {
    const e = apiExposure('auto', { kind: 'postgres' }, [withPolicy(['app_user'])]);
    expect(e.exposed).toBe(false);
  });
});
