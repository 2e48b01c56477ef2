import { beforeAll, describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/function-exposed.js';
import type { FunctionModel } from '../../../src/model/schema-model.js';
import { loadSqlParser } from '../../../src/sql/parser.js';
import { brief, context, loc, model, run } from './context.js';

beforeAll(loadSqlParser);

const fn = (name: string, opts: Partial<FunctionModel> = {}): FunctionModel => ({
  schema: 'public',
  name,
  identityArgs: 'p_year integer',
  returns: 'regclass',
  language: 'plpgsql',
  securityDefiner: true,
  searchPath: "''",
  body: 'begin return null; end',
  comment: null,
  executableBy: ['anon', 'authenticated'],
  ...opts,
});

/** The API function that calls the helper, as `vtid_next` calls `vtid_year_sequence`. */
const caller = (body: string, opts: Partial<FunctionModel> = {}) =>
  fn('vtid_next', { language: 'sql', securityDefiner: false, body, ...opts });

const live = (functions: FunctionModel[], migrations = model()) =>
  context({ database: model({ functions }), migrations, sources: ['doc', 'migrations', 'database'] });

describe('function-exposed', () => {
  it('valid: definer functions nobody calls, helpers the API roles cannot execute, other schemas', () => {
    const ctx = live([
      fn('vtid_api'),
      fn('helper', { executableBy: [] }),
      fn('private_helper', { schema: 'private' }),
      fn('invoker_helper', { securityDefiner: false }),
      caller('select public.helper(1), private.private_helper(1), public.invoker_helper(1)'),
    ]);
    expect(run(rule, ctx)).toEqual([]);
  });

  it('valid: offline (no grants known) nothing is said', () => {
    const migrations = model({
      functions: [fn('helper', { executableBy: undefined }), caller('select helper(1)')],
    });
    expect(run(rule, context({ migrations }))).toEqual([]);
  });

  it('valid: a name in a string or a comment, a call with more arguments, a trigger function, another schema', () => {
    const ctx = live([
      fn('vtid_year_sequence'),
      fn('touch', { identityArgs: '', returns: 'trigger' }),
      caller(
        "select 'public.vtid_year_sequence(1)' -- vtid_year_sequence(2)\n" +
          ', vtid_year_sequence(1, 2), other.vtid_year_sequence(3), touch()',
      ),
    ]);
    expect(run(rule, ctx)).toEqual([]);
  });

  it('invalid: a definer helper called by another function, at its definition in the files', () => {
    const migrations = model({
      functions: [fn('vtid_year_sequence', { loc: loc('schema/010_vtid.sql', 74) })],
    });
    const ctx = live(
      [
        fn('vtid_year_sequence'),
        caller("select coalesce(to_regclass('x'), public.vtid_year_sequence(p_year))::text"),
        fn('d44_record_feedback', {
          body: "begin\n  if p is null then raise exception 'x'; end if;\n  return vtid_year_sequence(2026);\nend",
          executableBy: ['authenticated'],
        }),
      ],
      migrations,
    );
    const findings = run(rule, ctx);
    expect(brief(findings)).toEqual(['schema/010_vtid.sql:74 function-exposed']);
    expect(findings[0]?.message).toContain('`public.vtid_year_sequence(p_year integer)`');
    expect(findings[0]?.message).toContain('called by `public.d44_record_feedback` and `public.vtid_next`');
    expect(findings[0]?.message).toContain(
      'revoke execute on function public.vtid_year_sequence(p_year integer) from public, anon, authenticated',
    );
  });

  it('invalid: a SQL-standard body calls it, or its comment marks it internal', () => {
    const ctx = live([
      fn('seq_for', { identityArgs: 'p integer' }),
      fn('audit_write', { identityArgs: '', comment: 'Internal: only the audit trigger writes here.' }),
      fn('purge', { identityArgs: '', comment: 'Deletes old rows. @internal' }),
      fn('api', {
        language: 'sql',
        securityDefiner: false,
        body: null,
        standardBody:
          'create function public.api(p integer) returns regclass language sql return public.seq_for(p)',
      }),
    ]);
    expect(
      run(rule, ctx)
        .map((f) => f.message.slice(0, f.message.indexOf(')`') + 2))
        .sort(),
    ).toEqual([
      'function `public.audit_write()`',
      'function `public.purge()`',
      'function `public.seq_for(p integer)`',
    ]);
  });
});

describe('function-exposed on PL/pgSQL callers', () => {
  it('sees a call in SELECT INTO a, b … FROM f() and in INSERT … RETURNING … INTO (chatbot-ui)', () => {
    const ctx = live([
      fn('delete_storage_object', { identityArgs: 'bucket text, object text', returns: 'record' }),
      fn('audit', { identityArgs: 'p text' }),
      fn('delete_storage_object_from_bucket', {
        identityArgs: 'bucket_name text, object_path text',
        returns: 'record',
        body:
          'begin\n  SELECT INTO status, content result.status, result.content\n' +
          '    FROM public.delete_storage_object(bucket_name, object_path) AS result;\n' +
          "  insert into log (id, note) values (1, public.audit('x')) returning id into strict v_id;\nend",
      }),
    ]);
    expect(
      run(rule, ctx)
        .map((f) => f.message.slice(0, f.message.indexOf(')`') + 2))
        .sort(),
    ).toEqual([
      'function `public.audit(p text)`',
      'function `public.delete_storage_object(bucket text, object text)`',
    ]);
  });
});
