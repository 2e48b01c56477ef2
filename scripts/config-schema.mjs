#!/usr/bin/env node
/**
 * Writes config.schema.json, the JSON Schema of dbcanon.config.json that editors validate and complete the file
 * with (`"$schema": "./node_modules/dbcanon/config.schema.json"`, as `dbcanon init` writes it). Generated from the
 * config's zod schema (src/config/schema.ts) through the build, so the two cannot differ: a test compares them.
 *
 *   npm run build && node scripts/config-schema.mjs
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { configJsonSchema } = await import(path.join(ROOT, 'dist/config/json-schema.js'));
const { rules } = await import(path.join(ROOT, 'dist/lint/registry.js'));
const schema = configJsonSchema(rules.map((r) => r.id));
writeFileSync(path.join(ROOT, 'config.schema.json'), `${JSON.stringify(schema, null, 2)}\n`);
console.log('wrote config.schema.json');
