import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProject } from '../../src/config/find.js';

function tree(paths: string[]): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-find-'));
  for (const p of paths) {
    const abs = path.join(root, p);
    if (p.endsWith('/')) mkdirSync(abs, { recursive: true });
    else {
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, '{}');
    }
  }
  return root;
}

describe('findProject', () => {
  it('finds the config in a folder above the working directory', () => {
    const root = tree(['app/dbcanon.config.json', 'app/src/lib/']);
    expect(findProject(path.join(root, 'app/src/lib'))).toEqual({
      root: path.join(root, 'app'),
      file: path.join(root, 'app/dbcanon.config.json'),
    });
  });

  it('stops at the repository root, which is the project root when no config is found', () => {
    const root = tree(['dbcanon.config.json', 'repo/.git/', 'repo/src/']);
    expect(findProject(path.join(root, 'repo/src'))).toEqual({ root: path.join(root, 'repo'), file: null });
  });

  it('outside a repository and without a config, the working directory is the root', () => {
    const root = tree(['a/b/']);
    expect(findProject(path.join(root, 'a/b'))).toEqual({ root: path.join(root, 'a/b'), file: null });
  });
});
