/**
 * The JSON Schema of dbcanon.config.json, derived from the zod schema that validates it (so the two never differ).
 * The package ships it as config.schema.json (scripts/config-schema.mjs writes it; a test holds it equal).
 */
import { z } from 'zod';
import { configSchema } from './schema.js';

/** Where a project's config points `$schema` to: the file in the installed package. */
export const CONFIG_SCHEMA_REF = './node_modules/dbcanon/config.schema.json';

/** The schema, with `rules` keys limited to the given rule ids (the registry's; the loader rejects others too). */
export function configJsonSchema(ruleIds: readonly string[]): Record<string, unknown> {
  // `input`: what a user writes (every key optional, defaults shown), not the parsed shape.
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as {
    properties: Record<string, Record<string, unknown>>;
  };
  const rules = schema.properties.rules;
  if (rules) rules.propertyNames = { enum: [...ruleIds] };
  return {
    ...schema,
    $id: 'https://github.com/dbcanon/dbcanon/blob/main/config.schema.json',
    title: 'dbcanon.config.json',
    description: 'The configuration of dbcanon: see the README, section "Configuration".',
  };
}
