import { describe, expect, it } from 'vitest';
import { fileOffsetOfPosition, locationAt, snippet, sqlFailure } from '../../src/migrate/sql-error.js';

const text = "-- Up Migration\ninsert into t (s) values ('é😀');\n  select nope;\n";
const origin = { file: 'migrations/1_x.sql', text, offset: 16 };
const section = text.slice(16);

describe('mapping a server error position into the file', () => {
  it('counts the position in characters, as the server does, past astral characters', () => {
    // 'select nope' starts at character 33 of the section (the emoji is one character, two UTF-16 units).
    const position = [...section].indexOf('s', 30) + 1;
    const offset = fileOffsetOfPosition(origin, section.length, position);
    expect(offset).not.toBeNull();
    expect(locationAt(text, offset as number)).toEqual({ line: 3, column: 3 });
  });

  it('puts a position past the end of the section after its last character', () => {
    const offset = fileOffsetOfPosition(origin, section.length, section.length + 5);
    expect(locationAt(text, offset as number)).toEqual({ line: 3, column: 15 });
  });

  it('has no offset without a position', () => {
    expect(fileOffsetOfPosition(origin, section.length, undefined)).toBeNull();
  });

  it('shows the line with its number and a caret under the column', () => {
    expect(snippet(text, { line: 3, column: 10 })).toEqual(['3 |   select nope;', '  |          ^']);
  });

  it('formats as file:line:column with SQLSTATE, detail and the server hint', () => {
    const e = sqlFailure(
      'migration 1_x',
      origin,
      { message: 'boom', code: '23505', detail: 'Key (id)=(1) already exists.', hint: 'try again' },
      text.indexOf('select'),
    );
    expect(e.code).toBe('MIGRATE_FAILED');
    expect(e.format().split('\n')).toEqual([
      'migrations/1_x.sql:3:3: error MIGRATE_FAILED: migration 1_x failed: boom',
      '  3 |   select nope;',
      '    |   ^',
      '  SQLSTATE 23505',
      '  detail: Key (id)=(1) already exists.',
      '  server hint: try again',
      '  hint: the run was one transaction and it was rolled back, so nothing of this run is left; fix the SQL and run it again',
    ]);
  });
});
