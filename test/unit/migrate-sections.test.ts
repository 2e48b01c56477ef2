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

  it('finds markers exactly where the multiline patterns node-pg-migrate uses find them', () => {
    // The reference: the patterns tried at every line start, as a multiline regex does.
    const reference = (text: string, word: string) =>
      new RegExp(`^[ \\t]*--[ \\t-]*${word}[ \\t]+migration\\b.*$`, 'im').exec(text)?.index ?? -1;
    const pieces = [
      '--',
      '-',
      ' ',
      '\t',
      'up',
      'UP',
      'down',
      'Down',
      ' migration',
      'migrations',
      'x',
      ';',
      '\n',
      '\r\n',
      '\r',
      '\u2028',
      'select 1',
      "'--'",
      '-- Up Migration',
      ' --down migration',
      '\t---- DOWN\tMIGRATION',
      '--up migrationx',
      'x -- up migration',
    ];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    let withMarkers = 0;
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const length = 1 + (next() % 14);
      for (let k = 0; k < length; k++) text += pieces[next() % pieces.length];
      const up = reference(text, 'up');
      const down = reference(text, 'down');
      if (up >= 0 || down >= 0) withMarkers++;
      const { up: upSection, down: downSection } = splitMigration(text);
      // Each section starts on the line after its marker; no marker: Up is the whole text, Down is null.
      const lineAfter = (i: number) =>
        text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i) + 1;
      expect(upSection.offset, JSON.stringify(text)).toBe(up >= 0 ? lineAfter(up) : 0);
      expect(downSection?.offset ?? -1, JSON.stringify(text)).toBe(down >= 0 ? lineAfter(down) : -1);
    }
    // The generator must produce markers often enough for the comparison to mean something.
    expect(withMarkers).toBeGreaterThan(300);
  });
});
