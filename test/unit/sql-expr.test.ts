import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeExpr, plainDecimal } from '../../src/sql/expr.js';
import { loadSqlParser } from '../../src/sql/parser.js';

beforeAll(loadSqlParser);

describe('normalizeExpr: what Postgres reports and what a migration says meet in one text', () => {
  it.each([
    ['((confidence >= 0) AND (confidence <= 100))', 'confidence >= 0 AND confidence <= 100'],
    ["(status = ANY (ARRAY['a'::text, 'b'::text]))", "status in ('a', 'b')"],
    [
      "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
      "status in ('a', 'b')",
    ],
    ["(status <> ALL (ARRAY['x'::text]))", "status not in ('x')"],
    ["'{}'::jsonb", "'{}'"],
    ["'active'::text", "'active'"],
    ["'-1'::integer", '-1'],
    ["'0'::bigint", '0'],
    ['now()', 'NOW()'],
    ['CURRENT_TIMESTAMP', 'current_timestamp'],
    ["nextval('orders_id_seq'::regclass)", "nextval('orders_id_seq'::regclass)"],
    ['((n >= 0) AND (n <= 100))', 'n between 0 and 100'],
    ['((a > 1) AND (b > 1) AND (c > 1))', '(a > 1 and b > 1) and c > 1'],
    ["(title ~~ 'x%'::text)", "title like 'x%'"],
    ['(deleted_at IS NULL)', 'deleted_at is null'],
    [
      '(EXISTS ( SELECT 1\n   FROM tenant_members m\n  WHERE ((m.tenant_id = tenants.id) AND (m.user_id = auth.uid()))))',
      'exists (select 1 from tenant_members m where m.tenant_id = tenants.id and m.user_id = auth.uid())',
    ],
    ['(user_id = ( SELECT auth.uid() AS uid))', 'user_id = (select auth.uid())'],
    [
      "(((current_setting('request.jwt.claims'::text, true))::jsonb ->> 'role'::text) = 'service_role'::text)",
      "(current_setting('request.jwt.claims', true)::jsonb ->> 'role') = 'service_role'",
    ],
    ['pg_catalog.lower(name)', 'lower(name)'],
  ])('%s ≡ %s', (fromPostgres, fromMigration) => {
    expect(normalizeExpr(fromPostgres)).toBe(normalizeExpr(fromMigration));
  });

  it('keeps the casts that carry meaning and the layout of pg_get_expr', () => {
    expect(normalizeExpr("(current_setting('x'::text, true))::jsonb")).toBe(
      "(current_setting('x', true))::jsonb",
    );
    expect(normalizeExpr("(status = ANY (ARRAY['a'::text, 'b'::text]))")).toBe(
      "status = ANY (ARRAY['a', 'b'])",
    );
  });

  it('tells different expressions apart', () => {
    expect(normalizeExpr('a >= 0')).not.toBe(normalizeExpr('a > 0'));
    expect(normalizeExpr("status in ('a', 'b')")).not.toBe(normalizeExpr("status in ('a', 'c')"));
    expect(normalizeExpr('now()')).not.toBe(normalizeExpr('CURRENT_TIMESTAMP'));
  });

  it('returns text it cannot parse trimmed, and null as null', () => {
    expect(normalizeExpr('  a >>>= ( ')).toBe('a >>>= (');
    expect(normalizeExpr(null)).toBeNull();
  });
});

describe('plainDecimal (numeric literals as numeric_out prints them)', () => {
  it.each([
    ['1e3', '1000'],
    ['1.5e10', '15000000000'],
    ['1.5e-3', '0.0015'],
    ['2E2', '200'],
    ['-2.50e1', '-25.0'],
    ['.5e1', '5'],
    ['12.345e-1', '1.2345'],
    ['0.00', '0.00'],
    ['1.50', '1.50'],
  ])('%s → %s', (written, printed) => {
    expect(plainDecimal(written)).toBe(printed);
  });
});
