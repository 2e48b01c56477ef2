import { describe, expect, it } from 'vitest';
import { normalizeType } from '../../src/model/types.js';

describe('normalizeType (format_type spelling)', () => {
  it.each([
    ['int', 'integer'],
    ['INT4', 'integer'],
    ['integer', 'integer'],
    ['int8', 'bigint'],
    ['serial', 'integer'],
    ['bigserial', 'bigint'],
    ['smallint', 'smallint'],
    ['TIMESTAMPTZ', 'timestamp with time zone'],
    ['timestamp', 'timestamp without time zone'],
    ['timestamp(3) with time zone', 'timestamp(3) with time zone'],
    ['timestamptz(6)', 'timestamp(6) with time zone'],
    ['varchar(20)', 'character varying(20)'],
    ['VARCHAR', 'character varying'],
    ['char(3)', 'character(3)'],
    ['char', 'character(1)'],
    ['numeric(10, 2)', 'numeric(10,2)'],
    ['decimal', 'numeric'],
    ['float', 'double precision'],
    ['float(10)', 'real'],
    ['float8', 'double precision'],
    ['bool', 'boolean'],
    ['TEXT[]', 'text[]'],
    ['int[][]', 'integer[]'],
    ['text array', 'text[]'],
    ['varchar(20)[]', 'character varying(20)[]'],
    ['jsonb', 'jsonb'],
    ['uuid', 'uuid'],
    ['xid8', 'xid8'],
    ['public.status_kind', 'status_kind'],
    ['app.status_kind', 'app.status_kind'],
    ['"MyType"', '"MyType"'],
    // Each as format_type() prints it on Postgres 15 (checked against the server by the three-producers test).
    ['INTERVAL', 'interval'],
    ['interval(3)', 'interval(3)'],
    ['INTERVAL DAY TO SECOND', 'interval day to second'],
    ['interval second(2)', 'interval second(2)'],
    ['interval[]', 'interval[]'],
    ['bit', 'bit(1)'],
    ['BIT(3)', 'bit(3)'],
    ['dec(10,2)', 'numeric(10,2)'],
    ['numeric(10)', 'numeric(10,0)'],
    ['decimal(5)', 'numeric(5,0)'],
    ['nchar(3)', 'character(3)'],
    ['national character(2)', 'character(2)'],
    ['"char"', '"char"'],
  ])('%s → %s', (written, expected) => {
    expect(normalizeType(written)).toBe(expected);
  });
});
