/**
 * Runs in lerna's `version` lifecycle, after the package.json bumps and before the release
 * commit: files that quote the release version follow it. Today: the GitLab templates' pinned
 * `cli_version` default (the `@teleport-actions/cli` version their `npx` fallback fetches).
 * `--check` only reports drift (used by the tests).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageIdentity, repoRoot } from '../build';

// The `default:` line of the `cli_version` input (a few lines below its key).
const CLI_VERSION_DEFAULT = /(\n {4}cli_version:\n(?: {6}.*\n)*? {6}default: )([^\n]+)/;

/** `text` with the cli_version default set to `version`; undefined if it has no such input. */
export function withCliVersion(text: string, version: string): string | undefined {
  if (!CLI_VERSION_DEFAULT.test(text)) return undefined;
  return text.replace(CLI_VERSION_DEFAULT, (_, head: string) => `${head}${version}`);
}

/** Files whose pinned version differs from the CLI's; rewritten unless `check`. */
export async function syncVersions(root = repoRoot, check = false): Promise<string[]> {
  const { version } = await packageIdentity(join(root, 'packages', 'cli'));
  const templates = join(root, 'packages', 'gitlab', 'templates');
  const drift: string[] = [];
  for (const name of (await readdir(templates)).filter((n) => n.endsWith('.yml')).sort()) {
    const path = join(templates, name);
    const text = await readFile(path, 'utf8');
    const updated = withCliVersion(text, version);
    if (updated === undefined || updated === text) continue;
    drift.push(relative(root, path));
    if (!check) await writeFile(path, updated);
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
