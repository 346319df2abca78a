// Each package's CHANGELOG.md starts with the header `lerna version --conventional-commits`
// writes, so a release puts its entry under that header and keeps what follows, instead of
// stacking a second header above the first. The header is read from the installed lerna, so
// an upgrade that changes it fails here, not at release time.
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './repo-root';

/** lerna's CHANGELOG_HEADER and COMMIT_GUIDELINE, from its bundled source. */
async function lernaHeader(): Promise<{ header: string; guideline: string }> {
  const require = createRequire(join(repoRoot, 'package.json'));
  const dist = require.resolve('lerna'); // its bundle, dist/index.js
  const src = await readFile(dist, 'utf8');
  const guideline = /COMMIT_GUIDELINE = "([^"]+)";/.exec(src)?.[1];
  const lines = /CHANGELOG_HEADER = \[\s*((?:"[^"]*",\s*)+)COMMIT_GUIDELINE\s*\]\.join\(EOL\)/.exec(
    src,
  )?.[1];
  if (!guideline || !lines) throw new Error(`lerna's changelog header not found in ${dist}`);
  const parts = [...lines.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
  return { header: [...parts, guideline].join('\n'), guideline };
}

describe('packages/*/CHANGELOG.md', async () => {
  const { header, guideline } = await lernaHeader();
  const packages = (await readdir(join(repoRoot, 'packages'), { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const withChangelog: string[] = [];
  for (const p of packages) {
    const text = await readFile(join(repoRoot, 'packages', p, 'CHANGELOG.md'), 'utf8').catch(
      () => undefined,
    );
    if (text !== undefined) withChangelog.push(p);
  }

  it('the header is what lerna 9 writes', () => {
    expect(header).toBe(
      '# Change Log\n\nAll notable changes to this project will be documented in this file.\n' +
        'See [Conventional Commits](https://conventionalcommits.org) for commit guidelines.',
    );
    expect(withChangelog.length).toBeGreaterThan(0);
  });

  it.each(withChangelog)(
    '%s: starts with that header, then a blank line and a section',
    async (p) => {
      const text = await readFile(join(repoRoot, 'packages', p, 'CHANGELOG.md'), 'utf8');
      expect(text.startsWith(`${header}\n\n## `)).toBe(true);
      // lerna keeps what follows the guideline and one blank line: that must be the sections.
      const kept = text.substring(text.indexOf(guideline) + guideline.length + 2);
      expect(kept).toMatch(/^## /);
      expect(kept).not.toContain('# Change');
    },
  );
});
