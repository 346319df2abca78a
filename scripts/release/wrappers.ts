/**
 * The release trees of the three wrappers that run teleport-ci in other CIs, each with its
 * copies of find-teleport-ci.sh stamped with this release: the CLI version, the download URL of
 * the standalone executables and their SHA-256.
 *
 * - `gitlab/`: the CI/CD catalog project (templates/, .gitlab-ci.yml, README, CHANGELOG, LICENSE),
 *   to mirror into a GitLab project and tag `X.Y.Z`.
 * - `circleci/`: the orb-tools project (src/, .circleci/, README, LICENSE), and `orb.yml`, the
 *   orb packed from it, for `circleci orb publish`.
 * - `jenkins/`: the shared library (vars/, resources/, README, CHANGELOG, LICENSE), for the
 *   `teleport-actions/jenkins-library` repository, tagged `vX.Y.Z`.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { BIN_TARGETS, binaryName } from '../build-bin';
import {
  RELEASE_DOWNLOAD_BASE,
  type ReleaseStamp,
  stampTree,
  unreleasedStamp,
} from '../gen-wrappers';
import { packOrb } from '../pack-orb';
import { absolutizeLinks } from './links';

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/**
 * The stamp for release `version`: the standalone executables in `binDir` (as
 * `npm run build:bin` names them) give the checksums. Without `binDir`, an unreleased stamp.
 */
export async function releaseStamp(version: string, binDir?: string): Promise<ReleaseStamp> {
  if (!binDir) return unreleasedStamp(version);
  const sums: Record<string, string> = {};
  for (const target of BIN_TARGETS) {
    const file = join(binDir, binaryName(target));
    if (!existsSync(file)) {
      throw new Error(`${file} is missing: run 'npm run build:bin -- --out ${binDir}' first`);
    }
    sums[target.name] = await sha256(file);
  }
  return {
    version,
    url: `${RELEASE_DOWNLOAD_BASE}/v${version}`,
    sha256: { 'linux-amd64': sums['linux-amd64']!, 'linux-arm64': sums['linux-arm64']! },
  };
}

async function copyDoc(root: string, pkg: string, name: string, to: string, ref: string) {
  const from = join(root, 'packages', pkg, name);
  if (!existsSync(from)) return;
  const text = await readFile(from, 'utf8');
  await writeFile(
    join(to, name),
    name.endsWith('.md') ? absolutizeLinks(text, `packages/${pkg}`, ref) : text,
  );
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

export interface AssembledWrappers {
  /** Files written, relative to `out`. */
  files: string[];
  stamp: ReleaseStamp;
}

export async function assembleWrappers(
  root: string,
  out: string,
  stamp: ReleaseStamp,
  ref: string,
): Promise<AssembledWrappers> {
  const license = join(root, 'LICENSE');
  const has = (pkg: string) => existsSync(join(root, 'packages', pkg));

  if (has('gitlab')) await assembleGitlab(root, out, stamp, ref, license);
  if (has('circleci')) await assembleOrb(root, out, stamp, ref, license);
  if (has('jenkins')) await assembleJenkins(root, out, stamp, ref, license);
  const files = (await listFiles(out)).filter((f) => /^(gitlab|circleci|jenkins)\//.test(f));
  return { files, stamp };
}

async function assembleGitlab(
  root: string,
  out: string,
  stamp: ReleaseStamp,
  ref: string,
  license: string,
) {
  const gitlab = join(out, 'gitlab');
  await mkdir(gitlab, { recursive: true });
  await cp(join(root, 'packages', 'gitlab', 'templates'), join(gitlab, 'templates'), {
    recursive: true,
  });
  for (const doc of ['.gitlab-ci.yml', 'README.md', 'CHANGELOG.md']) {
    await copyDoc(root, 'gitlab', doc, gitlab, ref);
  }
  await cp(license, join(gitlab, 'LICENSE'));
  await stampTree(gitlab, stamp, root);
}

async function assembleOrb(
  root: string,
  out: string,
  stamp: ReleaseStamp,
  ref: string,
  license: string,
) {
  // The orb-tools project (src/ and .circleci/, whose pipeline packs, tests and publishes it),
  // with its sources stamped, and the orb packed from them for `circleci orb publish` by hand.
  const circleci = join(out, 'circleci');
  const pkg = join(root, 'packages', 'circleci');
  await mkdir(circleci, { recursive: true });
  await cp(join(pkg, 'src'), join(circleci, 'src'), { recursive: true });
  if (existsSync(join(pkg, '.circleci'))) {
    await cp(join(pkg, '.circleci'), join(circleci, '.circleci'), { recursive: true });
  }
  await stampTree(join(circleci, 'src'), stamp, root);
  await writeFile(join(circleci, 'orb.yml'), packOrb(join(circleci, 'src')));
  await copyDoc(root, 'circleci', 'README.md', circleci, ref);
  await copyDoc(root, 'circleci', 'CHANGELOG.md', circleci, ref);
  await cp(license, join(circleci, 'LICENSE'));
}

async function assembleJenkins(
  root: string,
  out: string,
  stamp: ReleaseStamp,
  ref: string,
  license: string,
) {
  const jenkins = join(out, 'jenkins');
  await mkdir(jenkins, { recursive: true });
  for (const dir of ['vars', 'resources']) {
    const from = join(root, 'packages', 'jenkins', dir);
    if (existsSync(from)) await cp(from, join(jenkins, dir), { recursive: true });
  }
  await copyDoc(root, 'jenkins', 'README.md', jenkins, ref);
  await copyDoc(root, 'jenkins', 'CHANGELOG.md', jenkins, ref);
  await cp(license, join(jenkins, 'LICENSE'));
  await stampTree(jenkins, stamp, root);
}
