/**
 * Which tags a release creates and moves, as plain functions (the workflow and the tests share
 * them). One version for the whole repository (lerna fixed mode): the monorepo tag `v1.2.3`
 * becomes `v1.2.3` in every action's repository, and the major tag `v1` follows the newest
 * stable release of that major.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import semver from 'semver';

export interface ReleaseTag {
  tag: string;
  version: string;
  major: number;
  prerelease: boolean;
}

/** `v1.2.3` or `v1.2.3-rc.1` → its parts; anything else is refused with the expected form. */
export function parseReleaseTag(tag: string): ReleaseTag {
  const version = tag.startsWith('v') ? semver.valid(tag.slice(1)) : null;
  if (!version || `v${version}` !== tag) {
    throw new Error(
      `release tag '${tag}' is not a version tag: expected v<major>.<minor>.<patch> (e.g. v1.2.3, or v1.3.0-rc.1 for a pre-release)`,
    );
  }
  return {
    tag,
    version,
    major: semver.major(version),
    prerelease: semver.prerelease(version) !== null,
  };
}

export interface TagPlan {
  /** The immutable tag to create: `v1.2.3`. */
  create: string;
  /** Major tags to (force-)move to the new release: `['v1']`, or none. */
  move: string[];
  /** npm dist-tag for the CLI: `latest`, `next` (pre-release) or `maintenance` (older line). */
  npmDistTag: 'latest' | 'next' | 'maintenance';
  /** Why the major tag does or doesn't move, for the log. */
  reason: string;
}

/** Versions among existing tag names (`v1.2.3`; major tags and others ignored). */
export function releasedVersions(existingTags: string[]): string[] {
  return existingTags
    .filter((t) => /^v\d+\.\d+\.\d+/.test(t))
    .map((t) => semver.valid(t.slice(1)))
    .filter((v): v is string => v !== null);
}

/**
 * The plan for releasing `tag` into a repository that already has `existingTags`.
 * - A pre-release never moves the major tag (users on `@v1` must not get an rc).
 * - The major tag moves only to the highest stable version of its major: a patch for an
 *   older minor (v1.2.4 after v1.3.0) is tagged but leaves `v1` on v1.3.0.
 * - A version that is already tagged is refused here; the push step decides whether the
 *   existing tag is the same release (a re-run) or a conflict.
 */
export function planTags(tag: string, existingTags: string[]): TagPlan {
  const release = parseReleaseTag(tag);
  const released = releasedVersions(existingTags);
  if (released.includes(release.version)) {
    throw new Error(`${tag} is already released: release tags are immutable, cut the next version`);
  }
  const stable = released.filter((v) => semver.prerelease(v) === null);
  const newestOverall = stable.every((v) => semver.gt(release.version, v));
  if (release.prerelease) {
    return {
      create: tag,
      move: [],
      npmDistTag: 'next',
      reason: `${tag} is a pre-release: v${release.major} stays where it is`,
    };
  }
  const sameMajor = stable.filter((v) => semver.major(v) === release.major);
  const newestInMajor = sameMajor.every((v) => semver.gt(release.version, v));
  const majorTag = `v${release.major}`;
  if (!newestInMajor) {
    const newest = sameMajor.sort(semver.rcompare)[0];
    return {
      create: tag,
      move: [],
      npmDistTag: 'maintenance',
      reason: `${majorTag} stays on v${newest}, which is newer than ${tag}`,
    };
  }
  return {
    create: tag,
    move: [majorTag],
    npmDistTag: newestOverall ? 'latest' : 'maintenance',
    reason: `${majorTag} moves to ${tag}`,
  };
}

/**
 * `tsx scripts/release/tags.ts plan v1.2.3`: the plan against this repository's own tags (the
 * release tag itself left out), as `key=value` lines for `$GITHUB_OUTPUT`.
 */
async function main(): Promise<void> {
  const [command, tag] = process.argv.slice(2);
  if (command !== 'plan' || !tag) {
    throw new Error('usage: tsx scripts/release/tags.ts plan v1.2.3');
  }
  const { stdout } = await promisify(execFile)('git', ['tag', '--list', 'v*']);
  const existing = stdout.split('\n').filter((t) => t && t !== tag);
  const release = parseReleaseTag(tag);
  const plan = planTags(tag, existing);
  process.stdout.write(
    [
      `version=${release.version}`,
      `prerelease=${release.prerelease}`,
      `npm-dist-tag=${plan.npmDistTag}`,
      `move=${plan.move.join(' ')}`,
      '',
    ].join('\n'),
  );
  process.stderr.write(`${plan.reason}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`tags: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
