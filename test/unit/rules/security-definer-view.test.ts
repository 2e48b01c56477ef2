import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/security-definer-view.js';
import type { ViewModel } from '../../../src/model/schema-model.js';
import { brief, context, model, run as runOne } from './context.js';

const view = (name: string, opts: Partial<ViewModel> = {}): ViewModel => ({
  schema: 'public',
  name,
  materialized: false,
  securityInvoker: false,
  selectableBy: ['anon', 'authenticated'],
  ...opts,
});

const withViews = (views: ViewModel[], config = {}) =>
  context({ database: model({ views }), sources: ['doc', 'migrations', 'database'], config });

describe('security-definer-view', () => {
  it('valid: invoker views, views the API roles cannot read, views outside the API schemas', () => {
    const ctx = withViews([
      view('a', { securityInvoker: true }),
      view('b', { selectableBy: [] }),
      view('c', { schema: 'private' }),
      view('m', { materialized: true, selectableBy: [] }),
    ]);
    expect(run(ctx)).toEqual([]);
  });

  it('valid: offline nothing is said, since the replay does not model views or grants', () => {
    expect(run(context({}))).toEqual([]);
  });

  it('invalid: a view running with its owner’s rights that anon may read, at its CREATE VIEW', () => {
    const ctx = withViews([view('oasis_ledger_event_projection')]);
    ctx.code = {
      references: [],
      unresolved: [],
      filesScanned: 1,
      filesMatched: 1,
      definitions: [
        {
          kind: 'view',
          name: 'oasis_ledger_event_projection',
          schema: 'public',
          file: 'schema/030.sql',
          line: 22,
          column: 1,
        },
      ],
    };
    const findings = run(ctx);
    expect(brief(findings)).toEqual([
      'schema/030.sql:22 security-definer-view oasis_ledger_event_projection',
    ]);
    expect(findings[0]?.severity).toBe('error');
    expect(findings[0]?.message).toContain('`public.oasis_ledger_event_projection`');
    expect(findings[0]?.message).toContain(
      'alter view public.oasis_ledger_event_projection set (security_invoker = true)',
    );
    expect(findings[0]?.message).toContain('revoke select');
  });

  it('invalid: a materialized view the API roles may read, and a schema named in apiSchemas', () => {
    const ctx = withViews(
      [view('stats', { materialized: true, selectableBy: ['authenticated'] }), view('v', { schema: 'api' })],
      { apiSchemas: ['public', 'api'] },
    );
    const findings = run(ctx);
    expect(findings.map((f) => f.table)).toEqual(['stats', 'api.v']);
    expect(findings[0]?.message).toContain('materialized view `public.stats`');
  });
});

function run(ctx: ReturnType<typeof context>) {
  return runOne(rule, ctx);
}
