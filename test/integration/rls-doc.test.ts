/**
 * DATABASE_SCHEMA.md documents the offer state → relationship table and the D44 lifecycle; these tests hold the
 * document to what offers_state_effect() and d44_transition_allowed() really return, so neither can drift.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { asRole, first, userActor } from '../support/roles.js';

const db = useTestDatabase();
const ROOT = path.resolve(import.meta.dirname, '../..');
const DOC = readFileSync(path.join(ROOT, 'DATABASE_SCHEMA.md'), 'utf8').split('\n');
const actor = userActor('reader', {
  userId: '0c0c0c0c-0000-4000-8000-000000000001',
  tenantId: '0c0c0c0c-0000-4000-8000-0000000000aa',
  tenant: 'maxina',
});

/** Rows (cells, backticks stripped) of the first markdown table after the heading that starts with `heading`. */
function tableAfter(heading: string): string[][] {
  const start = DOC.findIndex((l) => l.startsWith(`### ${heading}`));
  expect(start, `DATABASE_SCHEMA.md has a "### ${heading}" heading`).toBeGreaterThan(-1);
  const rows: string[][] = [];
  for (let i = start + 1; i < DOC.length; i++) {
    const line = DOC[i] ?? '';
    if (line.startsWith('#')) break;
    if (!line.startsWith('|')) {
      if (rows.length > 0) break;
      continue;
    }
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.replace(/`/g, '').trim()),
    );
  }
  return rows.slice(2);
}

describe('DATABASE_SCHEMA.md matches the SQL', () => {
  it('documents offers_state_effect() exactly', async () => {
    const rows = tableAfter('Offer state → relationship');
    expect(rows.length).toBe(6);
    for (const [state, type, change] of rows) {
      const m = /^(\w+)(?:, trust ([<≥]) 50)?$/.exec(state ?? '');
      expect(m, `state cell "${state}"`).not.toBeNull();
      const trusts = m?.[2] === '≥' ? [50, 100] : m?.[2] === '<' ? [0, 49] : [null];
      for (const trust of trusts) {
        const r = await asRole(
          db.sql,
          actor,
          (tx) => tx`select * from offers_state_effect(${m?.[1] ?? ''}, ${trust})`,
        );
        const effect = first(r);
        const documentedType = (type ?? '').startsWith('unchanged')
          ? null
          : (type ?? '').replace(/\s.*$/, '');
        expect([state, trust, effect.relationship_type]).toEqual([state, trust, documentedType]);
        if ((type ?? '').startsWith('unchanged')) {
          expect(type).toContain(`a new edge: ${effect.new_edge_type}`);
        }
        const fixed = /^([+−-]?\d+)$/.exec(change ?? '');
        if (fixed) {
          expect(effect.strength_delta).toBe(Number((fixed[1] ?? '').replace('−', '-').replace('+', '')));
        } else {
          expect(change).toMatch(/^\(trust − 50\) \/ 2/);
          expect(effect.strength_delta).toBe(Math.trunc(((trust ?? 0) - 50) / 2) || 0);
        }
      }
    }
  });

  it('documents the D44 lifecycle exactly', async () => {
    const rows = tableAfter('D44 signal lifecycle');
    const documented = new Set<string>();
    for (const [from, to] of rows) {
      for (const f of (from ?? '').split(',').map((s) => s.trim())) {
        for (const t of (to ?? '').split(',').map((s) => s.trim())) {
          if (/^\w+$/.test(t)) documented.add(`${f}→${t}`);
        }
      }
    }
    const statuses = ['active', 'acknowledged', 'dismissed', 'actioned', 'expired'];
    const allowed = await asRole(
      db.sql,
      actor,
      (
        tx,
      ) => tx`select f || '→' || t as pair from unnest(${statuses}::text[]) f, unnest(${statuses}::text[]) t
                 where d44_transition_allowed(f, t) order by 1`,
    );
    expect(allowed.map((r) => r.pair as string).sort()).toEqual([...documented].sort());
    expect(documented.size).toBe(7);
  });
});
