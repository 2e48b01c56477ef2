/**
 * The parser's fast paths give exactly what libpg-query's public API gives: the native UTF-8 glue, the long
 * dollar-quoted bodies taken out and put back (dollar-bodies.ts), and the memo. Compared on every SQL file of
 * this repository and its fixtures, on every SQL block of the seeds, and on generated SQL.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSync as publicParseSync } from '@libpg-query/parser';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { findDollarBodies } from '../../src/sql/dollar-bodies.js';
import { loadSqlParser, parseSql, parseTree, parseUncached, SqlSyntaxError } from '../../src/sql/parser.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

beforeAll(async () => {
  await loadSqlParser();
  await (await import('@libpg-query/parser')).loadModule();
});

function sqlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sqlFilesUnder(rel));
    else if (e.name.endsWith('.sql')) out.push(rel);
  }
  return out.sort();
}

const seedBlocks = readdirSync(path.join(ROOT, 'test/fixtures/doc/seeds'))
  .filter((f) => f.endsWith('.md'))
  .flatMap((f) =>
    [
      ...readFileSync(path.join(ROOT, 'test/fixtures/doc/seeds', f), 'utf8').matchAll(
        /```sql\r?\n([\s\S]*?)```/gi,
      ),
    ].map((m, i) => ({ name: `${f} block ${i + 1}`, sql: m[1] ?? '' })),
  );

const corpus = [
  ...['migrations', 'schema', 'policies', 'test/fixtures'].flatMap(sqlFilesUnder).map((f) => ({
    name: f,
    sql: readFileSync(path.join(ROOT, f), 'utf8'),
  })),
  ...seedBlocks,
];

/** The public API's answer: the tree, or the error's message and position. */
function reference(sql: string): unknown {
  try {
    return publicParseSync(sql);
  } catch (e) {
    const d = (e as { sqlDetails?: { message: string; cursorPosition: number } }).sqlDetails;
    return { error: d?.message, at: d?.cursorPosition };
  }
}

function ours(sql: string, minBodyChars: number | false): unknown {
  try {
    return parseUncached(sql, minBodyChars);
  } catch (e) {
    if (!(e instanceof SqlSyntaxError)) throw e;
    return { error: e.sqlDetails.message, at: e.sqlDetails.cursorPosition };
  }
}

describe('the parser against libpg-query’s public API', () => {
  it('has a corpus worth comparing: the repository’s SQL and the seeds’ blocks, with function bodies', () => {
    expect(corpus.length).toBeGreaterThan(30);
    expect(corpus.filter((c) => findDollarBodies(c.sql, 256).length > 0).length).toBeGreaterThan(5);
  });

  it.each(corpus.filter((c) => c.sql.trim() !== ''))(
    '$name: same tree, whole and with bodies taken out',
    ({ sql }) => {
      const expected = reference(sql);
      expect(ours(sql, false)).toEqual(expected);
      // Every body taken out, however short: the offsets after each must still land where they were.
      expect(ours(sql, 1)).toEqual(expected);
      expect(ours(sql, 256)).toEqual(expected);
    },
  );

  it('gives the same error, at the same position, for SQL that does not parse', () => {
    for (const sql of [
      'create tabel t (id int);',
      'create function f() returns int language sql as $$ select 1 $$;\ncreate tabel x ();',
      "select 'é🔒' frm x",
      'create function f() returns int as $body$ unterminated',
    ]) {
      expect(ours(sql, 1)).toEqual(reference(sql));
    }
  });

  it('same tree for generated SQL: bodies beside comments, strings, E-strings and identifiers holding $', () => {
    const piece = fc.constantFrom(
      'create function f() returns int language plpgsql as $$ begin return 1; end $$;',
      'create function g(a int) returns int language sql as $fn$ select a + 1 $fn$;',
      'do $x$ begin perform 1; /* ; $$ */ end $x$;',
      "select '$$ not a body $$' as a, 'it''s' as b;",
      "select E'\\' $$ still a string' as c;",
      'select 1 as "col$$name";',
      'create table t$1 (a$b int, "x""$$" text);',
      '-- a comment with $$ inside\nselect 2;',
      '/* nested /* $$ */ still a comment */ select 3;',
      "comment on table t is $c$long comment ; with ' quotes$c$;",
      'select $1::int;',
      "select 'é🔒', $$ü body with multibyte 🔒 $$;",
      'create table z (id int default 7 check (id > 0), note text default $$dollar default$$);',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', ' ', '\n\n  '),
        (pieces, sep) => {
          const sql = pieces.join(sep);
          const expected = reference(sql);
          expect(ours(sql, 1)).toEqual(expected);
          expect(ours(sql, false)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('statement positions and texts are the same with bodies taken out', () => {
    const body = Array.from({ length: 40 }, (_, i) => `  perform ${i}; -- é ${i}`).join('\n');
    const sql = `select 'é';\ncreate function f() returns void language plpgsql as $$\n${body}\n$$;\n  create table after_body (id int);`;
    const r = parseSql(sql, 'm.sql');
    expect(r.problems).toEqual([]);
    expect(r.statements.map((s) => [s.kind, s.line, s.column])).toEqual([
      ['SelectStmt', 1, 1],
      ['CreateFunctionStmt', 2, 1],
      ['CreateStmt', 44, 3],
    ]);
    expect(r.statements[1]?.text).toContain(body);
    expect(r.statements[2]?.text).toBe('create table after_body (id int)');
  });
});

describe('findDollarBodies', () => {
  const bodies = (sql: string) => findDollarBodies(sql, 0).map((b) => [b.tag, sql.slice(b.start, b.end)]);

  it('finds bodies with and without tags', () => {
    expect(bodies('as $$ a $$; as $fn$ b $$ c $fn$;')).toEqual([
      ['$$', ' a '],
      ['$fn$', ' b $$ c '],
    ]);
  });

  it('ignores $ inside comments, strings, E-strings, quoted identifiers and names, and parameters', () => {
    expect(bodies("-- $$ x $$\nselect '$$', E'\\'$$', \"a$$\", a$b$, $1 /* /* $$ */ $$ */ ;")).toEqual([]);
    expect(bodies("select E'\\\\' , $$ real $$")).toEqual([['$$', ' real ']]);
  });

  it('stops at what it cannot lex with confidence: an unterminated body, string or comment', () => {
    expect(bodies('as $$ never closed')).toEqual([]);
    expect(bodies("select 'open; as $$ x $$")).toEqual([]);
    expect(bodies('as $a$ one $a$; /* open $$ x $$')).toEqual([['$a$', ' one ']]);
  });

  it('keeps only bodies of the given length', () => {
    expect(findDollarBodies('as $$ short $$; as $$ a much longer body $$', 10)).toHaveLength(1);
  });
});

describe('parseTree', () => {
  it('answers the same text with the same tree, frozen under test so no caller can change it', () => {
    const sql = 'create table memo_t (id int primary key);';
    const a = parseTree(sql);
    expect(parseTree(sql)).toBe(a);
    expect(Object.isFrozen(a.stmts[0].stmt.CreateStmt.relation)).toBe(true);
  });

  it('parses an empty or comment-only text to no statements', () => {
    expect(parseTree('  \n').stmts).toEqual([]);
    expect(parseTree('-- nothing\n').stmts ?? []).toEqual([]);
  });

  it('throws SqlSyntaxError with Postgres’s message and position', () => {
    expect(() => parseTree('select from from')).toThrow(SqlSyntaxError);
    let thrown: unknown;
    try {
      parseTree('select 1;\nselect frm x y;');
    } catch (e) {
      thrown = e;
    }
    expect((thrown as SqlSyntaxError).sqlDetails).toEqual({
      message: 'syntax error at or near "y"',
      cursorPosition: 23,
    });
  });
});
