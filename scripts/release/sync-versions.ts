/**
 * Runs in lerna's `version` lifecycle, after the package.json bumps and before the release
 * commit: files that quote the release version follow it. Today: every copy of
 * find-teleport-ci.sh (GitLab templates, the orb's sources, the Jenkins library) pins the
 * CLI version of the same release, and the packed orb is packed again.
 * `--check` only reports drift (used by the tests).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../build';
import { cliVersion, generateWrappers, unreleasedStamp } from '../gen-wrappers';
import { packOrb } from '../pack-orb';

/** Files whose pinned version differs from the CLI's; rewritten unless `check`. */
export async function syncVersions(root = repoRoot, check = false): Promise<string[]> {
  const stamp = unreleasedStamp(await cliVersion(root));
  const drift = await generateWrappers(root, stamp, { check });
  if (!check && drift.some((f) => f.includes('circleci'))) {
    const orb = join(root, 'packages', 'circleci');
    await writeFile(join(orb, 'orb.yml'), packOrb(join(orb, 'src')));
  }
  return drift;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const drift = await syncVersions(repoRoot, check);
  if (check && drift.length > 0) {
    console.error(
      `Pinned versions differ from packages/cli: ${drift.join(', ')}. Run 'npx tsx scripts/release/sync-versions.ts'.`,
    );
    process.exit(1);
  }
  for (const file of drift) console.log(`updated ${file}`);
}
