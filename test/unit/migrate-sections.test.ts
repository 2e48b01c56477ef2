import { describe, expect, it } from 'vitest';
import { splitMigration } from '../../src/migrate/sections.js';

describe('splitMigration', () => {
  it('returns each section with the file line it starts on', () => {
    const text = '-- Up Migration\ncreate table a (id int);\n\n-- Down Migration\ndrop table a;\n';
    const { up, down } = splitMigration(text);
    expect(up).toEqual({ sql: 'create table a (id int);\n\n', line: 2, offset: 16 });
    expect(down).toEqual({ sql: 'drop table a;\n', line: 5, offset: 60 });
    expect(text.slice(up.offset, up.offset + up.sql.length)).toBe(up.sql);
  });

  it('keeps a header comment above the Up marker out of both sections', () => {
    const text =
      '-- adds accounts\n\n--  up migration  (any case)\nselect 1;\n---- DOWN MIGRATION\nselect 2;';
    const { up, down } = splitMigration(text);
    expect(up).toMatchObject({ sql: 'select 1;\n', line: 4 });
    expect(down).toMatchObject({ sql: 'select 2;', line: 6 });
  });

  it('accepts the Down section first', () => {
    const { up, down } = splitMigration(
      '-- Down Migration\ndrop table a;\n-- Up Migration\ncreate table a ();\n',
    );
    expect(up).toMatchObject({ sql: 'create table a ();\n', line: 4 });
    expect(down).toMatchObject({ sql: 'drop table a;\n', line: 2 });
  });

  it('treats a file without markers as all Up and without a Down section', () => {
    expect(splitMigration('create table a ();\n')).toEqual({
      up: { sql: 'create table a ();\n', line: 1, offset: 0 },
      down: null,
    });
  });

  it('an Up marker on the last line gives an empty section on the line after it', () => {
    expect(splitMigration('-- Up Migration')).toEqual({ up: { sql: '', line: 1, offset: 15 }, down: null });
  });

  it('does not take a comment that merely mentions the words for a marker', () => {
    const { up, down } = splitMigration('-- Up Migration\n-- the down migration drops it\nselect 1;\n');
    expect(down).toBeNull();
    expect(up.sql).toBe('-- the down migration drops it\nselect 1;\n');
  });
});
