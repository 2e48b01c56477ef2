import { docFindings } from '../helpers.js';
import { defineRule } from '../types.js';

/**
 * Mojibake (UTF-8 decoded as Mac Roman or Windows-1252 and saved again) garbles headings, so section lookups
 * and anchors break and every later edit spreads the damage.
 */
export default defineRule({
  id: 'doc-encoding',
  summary: 'the document has no mis-decoded (mojibake) text',
  defaultSeverity: 'error',
  group: 'doc',
  check: (ctx) =>
    docFindings(
      ctx,
      'doc-encoding',
      (ctx.doc?.mojibake ?? []).map((m) => ({
        line: m.line,
        column: m.column,
        message:
          `\`${m.found}\` is UTF-8 text that was decoded as ${m.encoding === 'macintosh' ? 'Mac Roman' : 'Windows-1252'} ` +
          `and saved again; it should read \`${m.repaired}\`${m.guessed ? ' (bytes were lost; that character is the likeliest fit)' : ''}. ` +
          'Garbled headings break section lookups and links. Run `dbcanon doc fmt --fix-encoding`.',
      })),
    ),
});
