/**
 * Whether the project's tables are served to clients through an API that connects as `anon`/`authenticated`
 * (PostgREST, Supabase's Data API), or reached only by an application connecting as their owner. Rules whose
 * premise is that exposure (`rls-enabled`: "a grant opens every row") hold only where it is true.
 */
import type { SchemaModel } from './schema-model.js';
import type { StartingSchemaChoice } from './starting-schema.js';

/** Config "api": `auto` decides from the project; `postgrest` and `none` say it outright. */
export type ApiSetting = 'auto' | 'postgrest' | 'none';

/** The roles PostgREST and Supabase switch to for a request. */
export const API_ROLES: readonly string[] = ['anon', 'authenticated'];

export interface ApiExposure {
  exposed: boolean;
  /** Why, for messages and `--verbose` output: "the project starts from Supabase's schema". */
  because: string;
}

/**
 * `postgrest`/`none` from the config; otherwise exposed when the project starts from Supabase's schema, or when a
 * policy of the project names one of the API roles (a project writes `to authenticated` only for an API that
 * switches to that role). A plain application that reaches its database as the owner has neither.
 */
export function apiExposure(
  setting: ApiSetting,
  starting: StartingSchemaChoice,
  models: readonly SchemaModel[],
): ApiExposure {
  if (setting === 'postgrest') return { exposed: true, because: 'the config says "api": "postgrest"' };
  if (setting === 'none') return { exposed: false, because: 'the config says "api": "none"' };
  if (starting.kind === 'supabase')
    return { exposed: true, because: "the project starts from Supabase's schema" };
  for (const model of models) {
    const policy = model.policies.find((p) => p.roles.some((r) => API_ROLES.includes(r)));
    if (policy) {
      return {
        exposed: true,
        because: `policy \`${policy.name}\` on \`${policy.schema}.${policy.table}\` names an API role`,
      };
    }
  }
  return {
    exposed: false,
    because: 'the project does not start from Supabase and no policy names `anon` or `authenticated`',
  };
}
