// scripts/pack-orb.ts against CircleCI's own `circleci orb pack` (built from the Go module
// proxy, see circleci-cli.ts): both pack packages/circleci/src into the same orb. Skipped only
// when the Go toolchain is absent, and then it says so.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { orbSrcDir, packOrbData } from '../../scripts/pack-orb';
import { CIRCLECI_CLI_VERSION, circleciCli, goMissing } from './circleci-cli';

const exec = promisify(execFile);
const missing = await goMissing();

async function circleciPack(src: string): Promise<Record<string, unknown>> {
  const cli = await circleciCli();
  const { stdout } = await exec(cli, ['orb', 'pack', '--skip-update-check', src], {
    env: { ...process.env, CIRCLECI_CLI_SKIP_UPDATE_CHECK: 'true' },
    maxBuffer: 16 << 20,
  });
  return parse(stdout) as Record<string, unknown>;
}

describe(`circleci orb pack (circleci-cli ${CIRCLECI_CLI_VERSION})`, () => {
  it.skipIf(missing !== undefined)(
    missing ? `skipped: ${missing}` : 'packs packages/circleci/src as scripts/pack-orb.ts does',
    async () => {
      const theirs = await circleciPack(orbSrcDir);
      const ours = packOrbData(orbSrcDir);
      // The one difference: circleci writes each example's `usage.version` as the string
      // "2.1" where the source (and pack-orb.ts) has the number; CircleCI accepts both.
      const examples = theirs.examples as Record<string, { usage: { version: unknown } }>;
      for (const [name, example] of Object.entries(examples)) {
        expect(example.usage.version, name).toBe('2.1');
        example.usage.version = 2.1;
      }
      expect(theirs).toEqual(ours);
      expect(Object.keys(examples).length).toBeGreaterThan(3);
      expect(JSON.stringify(theirs)).toContain('teleport_ci_find'); // includes resolved
    },
    30 * 60_000,
  );

  it.skipIf(missing !== undefined)(
    missing
      ? `skipped: ${missing}`
      : 'fails, as pack-orb.ts does, on a source folder that does not exist',
    async () => {
      const bad = join(orbSrcDir, '..', 'no-such-src');
      await expect(circleciPack(bad)).rejects.toThrow();
      expect(() => packOrbData(bad)).toThrow(/is not a folder/);
    },
    30 * 60_000,
  );
});
