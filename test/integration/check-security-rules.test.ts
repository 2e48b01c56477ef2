/**
 * The security rules against a live database migrated from this repository: they fire on the state the main
 * branch had on 2026-12-02 (recreated here in SQL, so that the test keeps its meaning after main is fixed), and
 * they are satisfied once that state is fixed the way main fixes it. `migration-transaction-control` offline,
 * on a throw-away project.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { useTestDatabase } from '../support/database.js';
import { tempProject } from '../support/temp-project.js';

const root = path.resolve(import.meta.dirname, '../..');
const db = useTestDatabase();

const SECURITY_RULES = ['function-exposed', 'rls-policy-trusts-claim-role', 'security-definer-view'];

interface JsonFinding {
  rule: string;
  message: string;
  file: string;
  line: number;
  table?: string;
}

async function checkJson(cwd: string, args: string[]): Promise<{ code: number; findings: JsonFinding[] }> {
  const io = memoryIo(cwd);
  const code = await main(['check', ...args, '--format', 'json'], io);
  return { code, findings: JSON.parse(io.out()).findings };
}

/** [rule, object] of each security finding: the view's table, or the function's name from the message. */
function objects(findings: JsonFinding[]): string[] {
  return findings
    .filter((f) => SECURITY_RULES.includes(f.rule))
    .map((f) => `${f.rule} ${f.table ?? /`([\w.]+)\(/.exec(f.message)?.[1]}`)
    .sort();
}

/**
 * The objects as main had them on 2026-12-02: definer helpers in public that the API roles may execute and other
 * functions call, owner's-rights views anon may read, and request_is_service_role() trusting auth.role().
 */
const TODAYS_MAIN = `
  alter view public.oasis_ledger_event_projection reset (security_invoker);
  alter view public.oasis_projector_metrics reset (security_invoker);
  grant select on public.oasis_ledger_event_projection, public.oasis_projector_metrics to anon, authenticated;

  create or replace function public.vtid_year_sequence(p_year integer) returns regclass
    language plpgsql security definer set search_path = ''
    as $$ begin return pg_catalog.to_regclass('public.vtid_year_seq_' || p_year); end $$;
  grant execute on function public.vtid_year_sequence(integer) to public, anon, authenticated;
  create or replace function public.vtid_next(p_year integer default extract(year from now() at time zone 'UTC')::integer)
    returns text language sql volatile
    return 'VTID-' || p_year || '-' || replace(format('%4s', nextval(
      coalesce(to_regclass('public.vtid_year_seq_' || p_year), public.vtid_year_sequence(p_year)))), ' ', '0');

  create or replace function public.d44_apply_action(
    p_signal_id uuid, p_to_status text, p_action_type text, p_event_type text, p_details jsonb)
    returns public.d44_predictive_signals language plpgsql volatile security definer set search_path = ''
    as $$ begin return null; end $$;
  revoke all on function public.d44_apply_action(uuid, text, text, text, jsonb) from public, anon;
  grant execute on function public.d44_apply_action(uuid, text, text, text, jsonb) to authenticated;
  create or replace function public.d44_acknowledge_signal(p_signal_id uuid, p_details jsonb default '{}')
    returns public.d44_predictive_signals language sql volatile security definer set search_path = ''
    as $$ select * from public.d44_apply_action(p_signal_id, 'acknowledged', 'acknowledged',
                                                'd44.signal.acknowledged', p_details) $$;

  create or replace function public.request_is_service_role() returns boolean
    language sql stable set search_path = ''
    as $$ select current_user = 'service_role' or coalesce(auth.role() = 'service_role', false) $$;
`;

/** What main does about it: the fixes each finding's message names. */
const FIXED = `
  alter view public.oasis_ledger_event_projection set (security_invoker = true);
  alter view public.oasis_projector_metrics set (security_invoker = true);
  revoke execute on function public.vtid_year_sequence(integer) from public, anon, authenticated;
  revoke execute on function public.d44_apply_action(uuid, text, text, text, jsonb) from public, anon, authenticated;
  create or replace function public.request_is_service_role() returns boolean
    language sql stable set search_path = ''
    as $$ select current_user = 'service_role' $$;
`;

describe('check --db: the security rules on this repository’s database', () => {
  it("reports the definer helpers, the owner's-rights views and the claim-trusting function of main as of today", async () => {
    await db.sql.unsafe(TODAYS_MAIN);
    const { code, findings } = await checkJson(root, ['--db', db.url]);
    expect(code).toBe(1);
    const found = objects(findings);
    for (const expected of [
      'function-exposed public.d44_apply_action',
      'function-exposed public.vtid_year_sequence',
      'rls-policy-trusts-claim-role public.request_is_service_role',
      'security-definer-view oasis_ledger_event_projection',
      'security-definer-view oasis_projector_metrics',
    ]) {
      expect(found).toContain(expected);
    }
    const helper = findings.find(
      (f) => f.rule === 'function-exposed' && f.message.includes('vtid_year_sequence'),
    );
    expect(helper?.message).toContain('called by `public.vtid_next`');
    const actions = findings.find(
      (f) => f.rule === 'function-exposed' && f.message.includes('d44_apply_action'),
    );
    expect(actions?.message).toContain('`public.d44_acknowledge_signal`');
    expect(actions?.message).toContain('`authenticated` may execute it');
  });

  it('reports none of them once the views run as the caller, the helpers are revoked and the role is the database’s', async () => {
    await db.sql.unsafe(TODAYS_MAIN);
    await db.sql.unsafe(FIXED);
    const { findings } = await checkJson(root, ['--db', db.url]);
    expect(objects(findings)).toEqual([]);
  });
});

describe('migration-transaction-control, offline', () => {
  it('flags a COMMIT in a migration at its line', async () => {
    const project = tempProject({
      'migrations/20260101000000_half.sql':
        '-- Up Migration\ncreate table t(a int);\ncommit;\nselect 1/0;\n\n-- Down Migration\ndrop table t;\n',
      'DATABASE_SCHEMA.md': '',
    });
    const { code, findings } = await checkJson(project, []);
    expect(code).toBe(1);
    const tc = findings.filter((f) => f.rule === 'migration-transaction-control');
    expect(tc.map((f) => `${f.file}:${f.line}`)).toEqual(['migrations/20260101000000_half.sql:3']);
    expect(tc[0]?.message).toContain('`COMMIT`');
  });
});
