/**
 * Severity resolution: the preset gives each rule its starting severity, then `rules` in the config overrides
 * per rule. `recommended` is what a team can adopt on day one; `strict` adds the conventions of a house style
 * (plural snake_case tables, prefixed indexes, reserved column names, string/uuid keys, matching FK types,
 * timestamptz) as errors.
 */
import type { Severity } from '../config/schema.js';
import type { Finding, RuleMeta } from './types.js';

export const PRESETS = ['recommended', 'strict'] as const;
export type Preset = (typeof PRESETS)[number];

export function isPreset(value: string): value is Preset {
  return (PRESETS as readonly string[]).includes(value);
}

export function presetSeverity(rule: RuleMeta, preset: Preset): Severity {
  if (preset === 'strict' && rule.strictSeverity !== undefined) return rule.strictSeverity;
  return rule.defaultSeverity;
}

/** The severity a rule runs with, or null when it is off. */
export function effectiveSeverity(
  rule: RuleMeta,
  preset: Preset,
  overrides: Record<string, Severity>,
): Finding['severity'] | null {
  const s = overrides[rule.id] ?? presetSeverity(rule, preset);
  return s === 'off' ? null : s === 'warn' ? 'warning' : 'error';
}
