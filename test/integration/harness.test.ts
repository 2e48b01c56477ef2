import { describe, expect, inject, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';

describe('test harness', () => {
  const db = useTestDatabase();

  it('gives each file its own database, cloned from the run template', async () => {
    const [row] = await db.sql`select current_database() as name`;
    expect(row?.name).toBe(db.name);
    expect(db.name).not.toBe(inject('pgTemplate'));
    expect(['DATABASE_URL', 'testcontainers', 'embedded']).toContain(inject('pgServerKind'));
  });
});
