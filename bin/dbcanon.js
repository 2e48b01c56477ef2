#!/usr/bin/env node
// Launcher: the compiled CLI lives in dist/ (built by `npm ci` through the `prepare` script).
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (e) {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/cli/main.js')) {
    process.stderr.write('dbcanon is not built: run `npm run build` (npm ci does it through `prepare`).\n');
    process.exit(2);
  }
  throw e;
}
await cli.runFromProcess();
