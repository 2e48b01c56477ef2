import { at, conventionModel, locate } from '../helpers.js';
import { defineRule, type Violation } from '../types.js';

/**
 * A security definer function runs with its owner's rights; if it does not pin search_path, a caller can put
 * their own schema first and have it call their objects with those rights.
 */
export default defineRule({
  id: 'security-definer-search-path',
  summary: 'every security definer function pins search_path',
  defaultSeverity: 'error',
  group: 'convention',
  check: (ctx) => {
    const out: Violation[] = [];
    for (const f of conventionModel(ctx).functions) {
      if (!f.securityDefiner || f.searchPath !== null) continue;
      const name = f.schema === 'public' ? f.name : `${f.schema}.${f.name}`;
      out.push({
        rule: 'security-definer-search-path',
        ...at(locate(ctx, 'migrations', f.loc)),
        message:
          `function \`${name}(${f.identityArgs})\` is security definer but does not pin search_path: a caller ` +
          "can shadow the objects it uses with their own and run them with the owner's rights. Add " +
          "`set search_path = ''` and schema-qualify every name in its body.",
      });
    }
    return out;
  },
});
