import { beforeAll, describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/rls-policy-trusts-claim-role.js';
import type { FunctionModel, PolicyModel } from '../../../src/model/schema-model.js';
import { loadSqlParser } from '../../../src/sql/parser.js';
import { brief, context, loc, model, run } from './context.js';

beforeAll(loadSqlParser);

const fn = (name: string, body: string, opts: Partial<FunctionModel> = {}): FunctionModel => ({
  schema: 'public',
  name,
  identityArgs: '',
  returns: 'boolean',
  language: 'sql',
  securityDefiner: false,
  searchPath: "''",
  body,
  comment: null,
  loc: loc('schema/035_request_context.sql', 21),
  ...opts,
});

const policy = (name: string, using: string | null, opts: Partial<PolicyModel> = {}): PolicyModel => ({
  schema: 'public',
  table: 'offers',
  name,
  command: 'all',
  permissive: true,
  roles: ['public'],
  using,
  withCheck: null,
  loc: loc('policies/offers.sql', 5),
  ...opts,
});

const findingsFor = (parts: { functions?: FunctionModel[]; policies?: PolicyModel[] }) =>
  run(rule, context({ migrations: model(parts) }));

describe('rls-policy-trusts-claim-role', () => {
  it('valid: the database role, other claims, the claim only read or defined, comments and strings', () => {
    const findings = findingsFor({
      functions: [
        fn('request_is_service_role', "select current_user = 'service_role'"),
        // The Supabase-compat definition of auth.role() reads the claim: defining it is no decision.
        fn(
          'role',
          "select coalesce(nullif(current_setting('request.jwt.claim.role', true), ''), " +
            "nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')::text",
          { schema: 'auth', returns: 'text' },
        ),
        fn('emit', "select jsonb_build_object('role', coalesce(auth.role(), current_user))"),
        // Asking whether the claim is there is no decision on which role it names.
        fn(
          'active_role',
          "declare v_claims jsonb; v_role text;\nbegin\n  v_claims := current_setting('request.jwt.claims', true)::jsonb;\n" +
            "  v_role := v_claims ->> 'role';\n  if v_role is not null and v_role != '' then return v_role; end if;\nend",
          { language: 'plpgsql', returns: 'text' },
        ),
        fn('is_admin', "select coalesce(auth.jwt() -> 'app_metadata' ->> 'role' = 'admin', false)"),
        fn(
          'noted',
          "begin\n  -- if auth.role() = 'service_role' then\n  raise notice 'auth.role() = ''x''';\n  return true;\nend",
          { language: 'plpgsql' },
        ),
      ],
      policies: [
        policy('Owners', 'owner = auth.uid()'),
        policy('Service', 'true', { roles: ['service_role'] }),
        policy('Tenant', "tenant = (auth.jwt() ->> 'tenant')"),
      ],
    });
    expect(findings).toEqual([]);
  });

  it('invalid: schema/035 as it stands, request_is_service_role() trusting auth.role()', () => {
    const findings = findingsFor({
      functions: [
        fn(
          'request_is_service_role',
          "\n  select current_user = 'service_role' or coalesce(auth.role() = 'service_role', false)\n",
        ),
      ],
    });
    expect(brief(findings)).toEqual(['schema/035_request_context.sql:21 rls-policy-trusts-claim-role']);
    expect(findings[0]?.severity).toBe('warning');
    expect(findings[0]?.message).toContain('`public.request_is_service_role()`');
    expect(findings[0]?.message).toContain("`auth.role() = 'service_role'`");
    expect(findings[0]?.message).toContain("current_user = 'service_role'");
  });

  it('invalid: every spelling of the role claim, in policies', () => {
    const findings = findingsFor({
      policies: [
        policy('a', "auth.role() = 'authenticated'"),
        policy('b', "(auth.jwt() ->> 'role') = 'service_role'"),
        policy('c', null, {
          withCheck:
            "((current_setting('request.jwt.claims', true))::json ->> 'role') = ANY (ARRAY['service_role', 'admin'])",
        }),
        policy('d', "current_setting('request.jwt.claim.role', true) <> 'anon'"),
        policy('e', "(auth.jwt() #>> '{role}') IN ('service_role')"),
        policy('f', "(SELECT auth.role() AS role) = 'authenticated'"),
      ],
    });
    expect(findings.map((f) => f.message.slice(0, f.message.indexOf(' on ')))).toEqual([
      'policy "a"',
      'policy "b"',
      'policy "c"',
      'policy "d"',
      'policy "e"',
      'policy "f"',
    ]);
    expect(findings[0]?.table).toBe('offers');
    expect(findings[0]?.message).toContain('to service_role');
  });

  it('invalid: PL/pgSQL deciding on the claim directly or through a variable', () => {
    const findings = findingsFor({
      functions: [
        fn(
          'guard',
          "declare\n  v_role text := auth.jwt() ->> 'role';\nbegin\n  if v_role <> 'service_role' then\n" +
            "    raise exception 'denied';\n  end if;\n  return true;\nend",
          { language: 'plpgsql' },
        ),
        fn(
          'guard2',
          "begin\n  if lower(auth.role()) = 'service_role' then return true; end if;\n  return false;\nend",
          {
            language: 'plpgsql',
          },
        ),
        fn(
          'guard4',
          "declare c jsonb := auth.jwt();\nbegin\n  return (c ->> 'role') in ('service_role', 'admin');\nend",
          { language: 'plpgsql' },
        ),
        fn(
          'guard3',
          "declare r text;\nbegin\n  select auth.role() into r;\n  return case r when 'service_role' then true else false end;\nend",
          { language: 'plpgsql' },
        ),
      ],
    });
    expect(findings.map((f) => f.message.slice(0, f.message.indexOf(')`') + 2))).toEqual([
      'function `public.guard()`',
      'function `public.guard2()`',
      'function `public.guard4()`',
      'function `public.guard3()`',
    ]);
  });

  it('with --db, reads the database (a fix made there counts) and points into the files', () => {
    const migrations = model({
      functions: [fn('request_is_service_role', "select coalesce(auth.role() = 'service_role', false)")],
    });
    const fixed = model({
      functions: [fn('request_is_service_role', "select current_user = 'service_role'", { loc: undefined })],
    });
    expect(run(rule, context({ migrations, database: fixed }))).toEqual([]);
    const broken = model({ functions: [{ ...migrations.functions[0], loc: undefined } as FunctionModel] });
    expect(brief(run(rule, context({ migrations, database: broken })))).toEqual([
      'schema/035_request_context.sql:21 rls-policy-trusts-claim-role',
    ]);
  });
});
