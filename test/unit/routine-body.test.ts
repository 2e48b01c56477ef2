/** Function bodies as pieces of SQL: PL/pgSQL compiled with its own parser when the signature is known. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser } from '../../src/sql/parser.js';
import { bodyCalls, bodyPieces } from '../../src/sql/routine-body.js';

beforeAll(loadSqlParser);

const BODY = `
DECLARE
  v_claim text := auth.jwt() ->> 'role';
  v_role text;
  v_item int;
BEGIN
  FOREACH v_item IN ARRAY list_items(p_id) LOOP
    PERFORM 1;
  END LOOP;
  SELECT auth.role() INTO v_role;
  BEGIN
    PERFORM touch_row(1);
  EXCEPTION WHEN others THEN
    RAISE NOTICE 'failed for %', audit_label(v_role);
  END;
  RETURN v_claim;
END`;

describe('bodyPieces of a PL/pgSQL body', () => {
  const withSignature = { language: 'plpgsql', body: BODY, identityArgs: 'p_id integer', returns: 'text' };

  it('reads every embedded statement and expression with PL/pgSQL’s parser: loops, handlers, RAISE arguments', () => {
    const names = bodyCalls(withSignature).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['jwt', 'role', 'list_items', 'touch_row', 'audit_label']));
    // The cutting fallback (no signature) does not see the array a FOREACH loops over.
    expect(bodyCalls({ language: 'plpgsql', body: BODY }).map((c) => c.name)).not.toContain('list_items');
  });

  it('says which variable a DECLARE default, an assignment or SELECT … INTO assigns', () => {
    const assigned = bodyPieces({
      ...withSignature,
      body: `${BODY.replace('RETURN', 'v_role := lower(v_claim); RETURN')}`,
    })
      .filter((p) => p.assignedTo)
      .map((p) => p.assignedTo);
    expect(assigned).toEqual(['v_claim', 'v_role', 'v_role']);
  });

  it('falls back to cutting the body when it does not compile under its signature', () => {
    // RETURN with a value in a procedure does not compile; the pieces still come from the cut body.
    const pieces = bodyPieces({ language: 'plpgsql', body: BODY, identityArgs: '', returns: '' });
    expect(pieces.length).toBeGreaterThan(0);
  });
});
