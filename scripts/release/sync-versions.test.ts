import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../build';
import { FRAGMENT, WRAPPER_FILES } from '../gen-wrappers';
import { syncVersions } from './sync-versions';

describe('sync-versions', () => {
  it('every wrapper pins the CLI version of this repository', async () => {
    expect(await syncVersions(repoRoot, true)).toEqual([]);
  });

  it('after a version bump, rewrites the version and download URL in every wrapper', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sync-versions-'));
    try {
      for (const file of [FRAGMENT, ...WRAPPER_FILES, 'packages/circleci']) {
        await mkdir(dirname(join(root, file)), { recursive: true });
        await cp(join(repoRoot, file), join(root, file), { recursive: true });
      }
      const pkg = JSON.parse(await readFile(join(repoRoot, 'packages/cli/package.json'), 'utf8'));
      await mkdir(join(root, 'packages/cli'), { recursive: true });
      await writeFile(
        join(root, 'packages/cli/package.json'),
        JSON.stringify({ ...pkg, version: '9.8.7' }),
      );
      const changed = await syncVersions(root);
      expect(changed.sort()).toEqual([...WRAPPER_FILES].sort());
      for (const file of WRAPPER_FILES) {
        const text = await readFile(join(root, file), 'utf8');
        expect(text, file).toContain("teleport_ci_release_version='9.8.7'");
        expect(text, file).toContain('/releases/download/v9.8.7');
      }
      expect(await syncVersions(root, true)).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
