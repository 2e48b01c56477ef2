import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser, parseSql } from '../../src/sql/parser.js';

beforeAll(loadSqlParser);

describe('parseSql', () => {
  it('gives each statement the line and column of its first token, past comments', () => {
    const r = parseSql(
      '-- header\ncreate table a (id int);\n\n  /* note */ create index on a (id);',
      'm.sql',
    );
    expect(r.problems).toEqual([]);
    expect(r.statements.map((s) => [s.kind, s.line, s.column])).toEqual([
      ['CreateStmt', 2, 1],
      ['IndexStmt', 4, 14],
    ]);
    expect(r.statements[0]?.text).toBe('create table a (id int)');
  });

  it('offsets positions by the line the SQL starts on in its file', () => {
    const r = parseSql('select 1;\nselect 2;', 'doc.md', 40);
    expect(r.statements.map((s) => s.line)).toEqual([40, 41]);
  });

  it('reports a syntax error at the offending token, as file:line:column', () => {
    const r = parseSql('create table a (id int);\ncreate tabel b (id int);', 'm.sql', 10);
    expect(r.statements).toEqual([]);
    expect(r.problems).toEqual([
      { file: 'm.sql', line: 11, column: 8, message: 'syntax error at or near "tabel"', severity: 'error' },
    ]);
  });

  it('counts columns in characters when the file has multi-byte text before the error', () => {
    const r = parseSql("select 'é🔒';\nselect 'ü' frm x;", 'm.sql');
    expect(r.problems[0]).toMatchObject({ line: 2, column: 16 });
  });

  it('skips psql meta-commands with a note instead of failing', () => {
    const r = parseSql('\\set ON_ERROR_STOP on\ncreate table a (id int);\n  \\echo done', 'm.sql');
    expect(r.statements.map((s) => [s.kind, s.line])).toEqual([['CreateStmt', 2]]);
    expect(r.problems).toEqual([
      expect.objectContaining({
        line: 1,
        column: 1,
        severity: 'note',
        message: expect.stringContaining('\\set'),
      }),
      expect.objectContaining({
        line: 3,
        column: 3,
        severity: 'note',
        message: expect.stringContaining('\\echo'),
      }),
    ]);
  });
});
