import { docFindings } from '../helpers.js';
import { defineRule } from '../types.js';

/** SQL blocks that do not parse and markdown the parser could not read, at the document's line and column. */
export default defineRule({
  id: 'doc-syntax',
  summary: 'the document parses: its SQL blocks are valid SQL and its table entries are readable',
  defaultSeverity: 'error',
  group: 'doc',
  check: (ctx) => docFindings(ctx, 'doc-syntax', []),
});
