import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../build';
import { syncVersions, withCliVersion } from './sync-versions';

describe('sync-versions', () => {
  it('the GitLab templates pin the CLI version of this repository', async () => {
    expect(await syncVersions(repoRoot, true)).toEqual([]);
    const { version } = JSON.parse(
      await readFile(join(repoRoot, 'packages', 'cli', 'package.json'), 'utf8'),
    );
    for (const name of ['teleport.yml', 'ssh.yml']) {
      const text = await readFile(join(repoRoot, 'packages', 'gitlab', 'templates', name), 'utf8');
      expect(text).toContain(`\n      default: ${version}\n`);
    }
  });

  it('rewrites only the cli_version default', () => {
    const text = `spec:
  inputs:
    version:
      type: string
      default: 17.4.2
    cli_version:
      description: >-
        Version of the CLI.
      type: string
      default: 1.0.0
      regex: '^x$'
    other:
      default: 1.0.0
`;
    expect(withCliVersion(text, '1.4.0')).toBe(
      text.replace(
        '      type: string\n      default: 1.0.0',
        '      type: string\n      default: 1.4.0',
      ),
    );
    expect(withCliVersion('spec:\n  inputs: {}\n', '1.4.0')).toBeUndefined();
  });
});
