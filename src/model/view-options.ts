/** What a view's reloptions mean, read the same way by every producer of a SchemaModel. */

/**
 * Whether a view's reloptions turn `security_invoker` on. Postgres stores the value as written and reads it as a
 * boolean (parse_bool: any prefix of `true`/`yes`, `on`, `1`; `security_invoker` alone is stored as `true`).
 */
export function securityInvoker(options: readonly string[] | null): boolean {
  for (const o of options ?? []) {
    const eq = o.indexOf('=');
    if (eq < 0 || o.slice(0, eq).toLowerCase() !== 'security_invoker') continue;
    const v = o
      .slice(eq + 1)
      .trim()
      .toLowerCase();
    return v === 'on' || v === '1' || (v.length > 0 && ('true'.startsWith(v) || 'yes'.startsWith(v)));
  }
  return false;
}
