/**
 * `npm run gen-wrappers`: copies the one piece of shell that finds or fetches teleport-ci
 * (`packages/cli/sh/find-teleport-ci.sh`) into every wrapper that runs it, between marker lines:
 *
 *     # >>> find-teleport-ci.sh
 *     ...
 *     # <<< find-teleport-ci.sh
 *
 * The markers may be indented (a GitLab `script:` block); the copy takes their indentation.
 * The copy carries a release stamp: the CLI version it pins, where the standalone executables
 * are downloaded from, and their SHA-256. In the repository the stamp is the CLI package's
 * version with no checksums (an unreleased copy refuses to download); the release's assemble
 * step stamps its trees with the checksums of the executables it built.
 *
 * `--check` fails when a committed copy differs (check-generated runs it).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './repo-root';

export const FRAGMENT = join('packages', 'cli', 'sh', 'find-teleport-ci.sh');

/** Files (relative to a tree's root) holding a copy of the fragment between markers. */
export const WRAPPER_FILES = [
  'packages/gitlab/templates/teleport.yml',
  'packages/gitlab/templates/ssh.yml',
  'packages/circleci/src/scripts/ensure_cli.sh',
  'packages/jenkins/resources/teleport/find-teleport-ci.sh',
];

/** The GitHub release that carries the standalone executables (the monorepo's own releases). */
export const RELEASE_DOWNLOAD_BASE = 'https://github.com/teleport-actions/root/releases/download';

export interface ReleaseStamp {
  /** The @teleport-actions/cli version the wrappers pin. */
  version: string;
  /** Folder URL holding `teleport-ci-linux-<arch>`. */
  url: string;
  /** SHA-256 of each standalone executable; empty for an unreleased copy. */
  sha256: { 'linux-amd64': string; 'linux-arm64': string };
}

export function unreleasedStamp(version: string): ReleaseStamp {
  return {
    version,
    url: `${RELEASE_DOWNLOAD_BASE}/v${version}`,
    sha256: { 'linux-amd64': '', 'linux-arm64': '' },
  };
}

const OPEN = /^([ \t]*)# >>> find-teleport-ci\.sh\b.*$/m;
const CLOSE = /^[ \t]*# <<< find-teleport-ci\.sh\b.*$/m;

/** Values that go between single quotes in sh: no quote, no newline, no control character. */
function shellSafe(name: string, value: string): string {
  if (!/^[\w.:/@%+~-]*$/.test(value)) {
    throw new Error(`release stamp ${name} '${value}' has characters a wrapper cannot carry`);
  }
  return value;
}

/** The fragment with `stamp` written into its four `teleport_ci_release_*` lines. */
export function stampFragment(fragment: string, stamp: ReleaseStamp): string {
  const values: Record<string, string> = {
    teleport_ci_release_version: stamp.version,
    teleport_ci_release_url: stamp.url,
    teleport_ci_release_sha256_linux_amd64: stamp.sha256['linux-amd64'],
    teleport_ci_release_sha256_linux_arm64: stamp.sha256['linux-arm64'],
  };
  let text = fragment;
  for (const [name, value] of Object.entries(values)) {
    const line = new RegExp(`^${name}='[^'\\n]*'$`, 'm');
    if (!line.test(text)) throw new Error(`${FRAGMENT} has no line ${name}='...'`);
    text = text.replace(line, `${name}='${shellSafe(name, value)}'`);
  }
  return text;
}

/** `text` with the region between the markers replaced by `fragment`, indented like the markers. */
export function inlineFragment(text: string, fragment: string, file: string): string {
  const open = OPEN.exec(text);
  const close = CLOSE.exec(text);
  if (!open || !close || close.index < open.index) {
    throw new Error(
      `${file} has no '# >>> find-teleport-ci.sh' ... '# <<< find-teleport-ci.sh' region`,
    );
  }
  const indent = open[1] ?? '';
  const body = fragment
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => (line === '' ? '' : indent + line))
    .join('\n');
  const head = `${indent}# >>> find-teleport-ci.sh (generated from ${FRAGMENT.split('\\').join('/')} by npm run gen-wrappers: do not edit)`;
  const start = open.index;
  const end = close.index + close[0].length;
  return `${text.slice(0, start)}${head}\n${body}\n${indent}# <<< find-teleport-ci.sh${text.slice(end)}`;
}

/**
 * Rewrites every wrapper file under `root` with the fragment stamped by `stamp`. Returns the
 * files that changed (or would change, with `check`).
 */
export async function generateWrappers(
  root: string,
  stamp: ReleaseStamp,
  opts: { check?: boolean; fragmentRoot?: string } = {},
): Promise<string[]> {
  const fragment = stampFragment(
    await readFile(join(opts.fragmentRoot ?? root, FRAGMENT), 'utf8'),
    stamp,
  );
  const changed: string[] = [];
  for (const file of WRAPPER_FILES) {
    const path = join(root, file);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) {
      // The repository must have every copy; a tree holding one wrapper (a test's copy of the
      // orb) is stamped where it has one.
      if (opts.check) throw new Error(`${file} is missing: WRAPPER_FILES lists it`);
      continue;
    }
    const updated = inlineFragment(text, fragment, file);
    if (updated === text) continue;
    changed.push(relative(root, path));
    if (!opts.check) await writeFile(path, updated);
  }
  return changed;
}

/** The CLI package's version: what the committed wrappers pin. */
export async function cliVersion(root = repoRoot): Promise<string> {
  const pkg = JSON.parse(await readFile(join(root, 'packages', 'cli', 'package.json'), 'utf8'));
  return pkg.version as string;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const stamp = unreleasedStamp(await cliVersion());
  const changed = await generateWrappers(repoRoot, stamp, { check });
  if (check && changed.length > 0) {
    console.error(
      `Stale copies of ${FRAGMENT}: ${changed.join(', ')}. Run 'npm run gen-wrappers'.`,
    );
    process.exit(1);
  }
  for (const file of changed) console.log(`updated ${file}`);
}

/** Files under `dir` (recursively) that hold a find-teleport-ci.sh region. */
async function filesWithRegion(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const found: string[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    if (OPEN.test(await readFile(path, 'utf8').catch(() => ''))) found.push(path);
  }
  return found.sort();
}

/**
 * Stamps every copy of the fragment in a tree a release ships (the GitLab project, the orb's
 * sources, the Jenkins library), wherever the region sits. Returns the files rewritten.
 */
export async function stampTree(
  dir: string,
  stamp: ReleaseStamp,
  root = repoRoot,
): Promise<string[]> {
  const fragment = stampFragment(await readFile(join(root, FRAGMENT), 'utf8'), stamp);
  const files = await filesWithRegion(dir);
  for (const path of files) {
    await writeFile(path, inlineFragment(await readFile(path, 'utf8'), fragment, path));
  }
  return files;
}
