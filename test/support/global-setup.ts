/**
 * Vitest global setup for the integration project: finds a server, builds one migrated template database for
 * this run, and hands both to the test files (see database.ts). Everything is dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { findServer, urlFor } from './server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
    pgServerKind: string;
  }
}

const ROOT = path.resolve(import.meta.dirname, '../..');

function hasSqlFiles(dirs: string[]): boolean {
  return dirs.some((d) => {
    try {
      return readdirSync(path.join(ROOT, d)).some((f) => f.endsWith('.sql'));
    } catch {
      return false;
    }
  });
}

export default async function setup(project: TestProject) {
  const server = await findServer();
  const template = `dbcanon_tpl_${randomBytes(4).toString('hex')}`;
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${template}`);
    if (hasSqlFiles(['migrations', 'schema', 'policies'])) {
      const { migrateUp } = await import('../../src/migrate/index.js');
      await migrateUp({ databaseUrl: urlFor(server.adminUrl, template), root: ROOT });
    }
  } catch (e) {
    await admin.end();
    await server.stop();
    throw e;
  }
  process.stderr.write(`[dbcanon tests] PostgreSQL from ${server.kind}; template database ${template}\n`);
  project.provide('pgAdminUrl', server.adminUrl);
  project.provide('pgTemplate', template);
  project.provide('pgServerKind', server.kind);

  return async () => {
    try {
      await admin.unsafe(`drop database if exists ${template} with (force)`);
    } finally {
      await admin.end();
      await server.stop();
    }
  };
}
