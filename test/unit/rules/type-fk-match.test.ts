import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/type-fk-match.js';
import { brief, col, context, fk, loc, M1, model, pk, run, table } from './context.js';

const tasks = table('tasks', [col('id', 'text')], { constraints: [pk('tasks', 'id')] });

describe('type-fk-match', () => {
  it('valid: the foreign key has the parent key type', () => {
    const migrations = model({
      tables: [
        tasks,
        table('costs', [col('task_id', 'text')], { constraints: [fk('costs', 'task_id', 'tasks')] }),
      ],
    });
    expect(run(rule, context({ migrations }), 'strict')).toEqual([]);
  });

  it('invalid: integer referencing text (warning; error under strict)', () => {
    const migrations = model({
      tables: [
        tasks,
        table('costs', [col('task_id', 'integer', { loc: loc(M1, 7) })], {
          constraints: [fk('costs', 'task_id', 'tasks')],
        }),
      ],
    });
    const findings = run(rule, context({ migrations }));
    expect(brief(findings)).toEqual([`${M1}:7 type-fk-match costs`]);
    expect(findings[0]).toMatchObject({ severity: 'warning', suggestion: 'text' });
    expect(run(rule, context({ migrations }), 'strict')[0]?.severity).toBe('error');
  });
});
