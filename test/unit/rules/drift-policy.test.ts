import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/drift-policy.js';
import type { PolicyModel } from '../../../src/model/schema-model.js';
import { brief, col, context, loc, model, run, table } from './context.js';

const P = 'policies/offers.sql';
const policy = (name: string, opts: Partial<PolicyModel> = {}): PolicyModel => ({
  schema: 'public',
  table: 'offers',
  name,
  command: 'select',
  permissive: true,
  roles: ['authenticated'],
  using: '(tenant_id = auth.uid())',
  withCheck: null,
  ...opts,
});
const tables = [table('offers', [col('id')], { loc: loc('migrations/1_x.sql', 2) })];
const migrations = model({
  tables,
  policies: [
    policy('Members read', { loc: loc(P, 5) }),
    policy('Admins write', { command: 'all', loc: loc(P, 9) }),
  ],
});

describe('drift-policy', () => {
  it('valid: the database has exactly the declared policies', () => {
    const database = model({
      tables,
      policies: [policy('Admins write', { command: 'all' }), policy('Members read')],
    });
    expect(run(rule, context({ migrations, database }))).toEqual([]);
  });

  it('invalid: a policy dropped, one changed and one added by hand', () => {
    const database = model({
      tables,
      policies: [
        policy('Members read', { roles: ['anon', 'authenticated'] }),
        policy('Temp debug', { using: 'true' }),
      ],
    });
    const findings = run(rule, context({ migrations, database }));
    expect(brief(findings)).toEqual([
      'migrations/1_x.sql:2 drift-policy [migrations/database] offers',
      `${P}:5 drift-policy [migrations/database] offers`,
      `${P}:9 drift-policy [migrations/database] offers`,
    ]);
    expect(findings[0]?.message).toContain('"Temp debug"');
    expect(findings[1]?.message).toContain('roles authenticated vs anon, authenticated');
    expect(findings[2]?.message).toContain('"Admins write"');
    expect(findings[2]?.message).toContain('missing from the database');
  });
});
