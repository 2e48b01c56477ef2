import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/naming-index-prefix.js';
import { brief, context, index, loc, M1, model, run } from './context.js';

describe('naming-index-prefix', () => {
  const bad = model({
    indexes: [
      index('tasks_status', 'tasks', ['status'], { loc: loc(M1, 8) }),
      index('tasks_deps', 'tasks', ['dependencies'], { method: 'gin', loc: loc(M1, 9) }),
      index('tasks_pkey', 'tasks', ['id'], { unique: true, constraintBacked: true }),
    ],
  });

  it('valid (strict): ix_ and idx_ prefixes; constraint indexes are exempt', () => {
    const good = model({
      indexes: [
        index('ix_tasks_status', 'tasks', ['status']),
        index('idx_tasks_deps', 'tasks', ['d'], { method: 'gin' }),
      ],
    });
    expect(run(rule, context({ migrations: good }), 'strict')).toEqual([]);
    expect(run(rule, context({ migrations: bad }))).toEqual([]);
  });

  it('invalid (strict): ix_ suggested for a plain index, idx_ for a GIN one', () => {
    const findings = run(rule, context({ migrations: bad }), 'strict');
    expect(brief(findings)).toEqual([
      `${M1}:8 naming-index-prefix tasks`,
      `${M1}:9 naming-index-prefix tasks`,
    ]);
    expect(findings.map((f) => f.suggestion)).toEqual(['ix_tasks_status', 'idx_tasks_deps']);
  });
});
