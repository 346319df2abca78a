/**
 * Fails when a committed bundle or README table differs from what the scripts produce, so
 * what users run is always what the sources say.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { actionPackages, buildAction, bundledPackages, repoRoot } from './build';
import { renderReadme } from './gen-readme';
import { cliVersion, generateWrappers, unreleasedStamp } from './gen-wrappers';

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

async function staleBundles(name: string): Promise<string[]> {
  const committed = join(repoRoot, 'packages', name, 'dist');
  const fresh = await mkdtemp(join(tmpdir(), `dist-${name}-`));
  try {
    await buildAction(name, fresh);
    const [a, b] = [await listFiles(committed), await listFiles(fresh)];
    const names = [...new Set([...a, ...b])];
    const stale: string[] = [];
    for (const file of names) {
      const [x, y] = await Promise.all([
        readFile(join(committed, file)).catch(() => undefined),
        readFile(join(fresh, file)).catch(() => undefined),
      ]);
      if (!x || !y || !x.equals(y)) stale.push(`packages/${name}/dist/${file}`);
    }
    return stale;
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
}

const stale: string[] = [];
for (const name of await bundledPackages()) stale.push(...(await staleBundles(name)));
for (const name of await actionPackages()) {
  const { path, text } = await renderReadme(name);
  if ((await readFile(path, 'utf8')) !== text) stale.push(relative(repoRoot, path));
}
stale.push(
  ...(await generateWrappers(repoRoot, unreleasedStamp(await cliVersion()), { check: true })),
);
if (stale.length > 0) {
  console.error(
    `Generated files are stale: ${stale.join(', ')}. Run 'npm run build && npm run docs && npm run gen-wrappers' and commit.`,
  );
  process.exit(1);
}
console.log('Generated files (bundles, README tables, wrapper shell) are current.');
