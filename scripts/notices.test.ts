import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAction } from './build';
import { NOTICES_FILE, packageDirOf } from './notices';

describe('third-party notices beside each bundle', () => {
  it('finds the npm package of a bundled input', () => {
    expect(packageDirOf('node_modules/semver/functions/valid.js')).toBe('node_modules/semver');
    expect(packageDirOf('node_modules/@actions/core/lib/core.js')).toBe(
      'node_modules/@actions/core',
    );
    expect(packageDirOf('node_modules/a/node_modules/@s/b/x.js')).toBe(
      'node_modules/a/node_modules/@s/b',
    );
    expect(packageDirOf('packages/core/src/errors.ts')).toBeUndefined();
  });

  it('lists every package the bundle holds, with its licence text', async () => {
    const out = await mkdtemp(join(tmpdir(), 'notices-'));
    await buildAction('auth', out);
    const notices = await readFile(join(out, NOTICES_FILE), 'utf8');
    expect(notices).toMatch(/^# Third-party notices for @teleport-actions\/auth\n/);
    for (const name of ['@actions/core', 'jose', 'semver', 'yaml']) {
      expect(notices).toMatch(
        new RegExp(`## ${name} \\d+\\.\\d+\\.\\d+ \\((MIT|ISC|Apache-2.0)\\)`),
      );
    }
    expect(notices).toContain('Permission is hereby granted, free of charge');
    // Nothing of the project itself: only what came from npm.
    expect(notices).not.toContain('@teleport-actions/core');
  });
});
