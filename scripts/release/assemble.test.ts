// release:assemble on the real repository (every action's tree, the CLI tarball, checksums)
// and on small fake monorepos for each refusal.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionPackages, repoRoot } from '../build';
import { type AssembleResult, absolutizeLinks, assembleRelease } from './assemble';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'assemble-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('release:assemble on this repository', () => {
  let out: string;
  let result: AssembleResult;
  beforeAll(async () => {
    out = join(base, 'release');
    const version = JSON.parse(await readFile(join(repoRoot, 'packages/cli/package.json'), 'utf8'))
      .version as string;
    result = await assembleRelease({ out, tag: `v${version}` });
  }, 120_000);

  it('writes one tree per action: action.yml at the root, dist/, README.md, LICENSE', async () => {
    expect(result.actions.map((a) => a.name)).toEqual(await actionPackages());
    for (const action of result.actions) {
      expect(action.repository).toBe(`teleport-actions/${action.name}`);
      const dir = join(out, 'actions', action.name);
      expect(action.files.filter((f) => !f.startsWith('dist/')).sort()).toEqual(
        expect.arrayContaining(['LICENSE', 'README.md', 'action.yml']),
      );
      const committed = await readdir(join(repoRoot, 'packages', action.name, 'dist'), {
        recursive: true,
      });
      const copied = await readdir(join(dir, 'dist'), { recursive: true });
      expect(copied.sort()).toEqual(committed.sort());
      expect(await readFile(join(dir, 'action.yml'), 'utf8')).toBe(
        await readFile(join(repoRoot, 'packages', action.name, 'action.yml'), 'utf8'),
      );
      expect(await readFile(join(dir, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0/);
    }
  });

  it('checksums every bundle file and the CLI tarball, in sha256sum format', async () => {
    const sums = (await readFile(result.checksums, 'utf8')).trim().split('\n');
    const names = sums.map((l) => l.split('  ')[1]);
    expect(names).toContain('actions/setup/dist/main.mjs');
    expect(names).toContain(relative(out, result.cliTarball!));
    expect(names.every((n) => n!.startsWith('cli/') || /^actions\/[^/]+\/dist\//.test(n!))).toBe(
      true,
    );
    for (const line of sums) {
      const [digest, name] = line.split('  ');
      const actual = createHash('sha256')
        .update(await readFile(join(out, name!)))
        .digest('hex');
      expect(actual, name).toBe(digest);
    }
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.actions).toHaveLength(result.actions.length);
  });
});

/** A one-action monorepo; `files` adds, replaces (text) or removes (null) files. */
async function fakeRoot(files: Record<string, string | null> = {}): Promise<string> {
  const root = await mkdtemp(join(base, 'root-'));
  const all: Record<string, string | null> = {
    LICENSE: 'Apache License\n',
    'packages/demo/package.json': '{ "name": "@teleport-actions/demo", "version": "1.2.0" }',
    'packages/demo/action.yml':
      'name: demo\ndescription: d\nruns:\n  using: node24\n  main: dist/main.mjs\n',
    'packages/demo/README.md':
      'See [the CLI](../cli/README.md), [inputs](#inputs), [site](https://example.com), ![logo](docs/logo.png).\n',
    'packages/demo/dist/main.mjs':
      '// @teleport-actions/demo 1.2.0\nimport { x } from "./chunks/a.mjs";\nimport { readFile } from "node:fs";\nconsole.log(x, readFile);\n',
    'packages/demo/dist/chunks/a.mjs': '// @teleport-actions/demo 1.2.0\nexport const x = 1;\n',
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    if (text === null) continue;
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

const assemble = async (root: string, tag = 'v1.2.0') =>
  assembleRelease({ root, out: join(root, 'out'), tag, cli: false });

describe('release:assemble refusals and details', () => {
  it('copies CHANGELOG.md when present and makes README links absolute', async () => {
    const root = await fakeRoot({ 'packages/demo/CHANGELOG.md': '# Changelog\n' });
    const result = await assemble(root);
    expect(result.actions[0]!.files).toEqual([
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'action.yml',
      'dist/chunks/a.mjs',
      'dist/main.mjs',
    ]);
    expect(await readFile(join(root, 'out/actions/demo/README.md'), 'utf8')).toBe(
      'See [the CLI](https://github.com/teleport-actions/root/blob/v1.2.0/packages/cli/README.md), [inputs](#inputs), [site](https://example.com), ![logo](https://github.com/teleport-actions/root/raw/v1.2.0/packages/demo/docs/logo.png).\n',
    );
  });

  it('fails clearly without LICENSE', async () => {
    await expect(assemble(await fakeRoot({ LICENSE: null }))).rejects.toThrow(
      /^LICENSE is missing at the repository root: every action repository ships it/,
    );
  });

  it('refuses a package whose version is not the tag', async () => {
    await expect(assemble(await fakeRoot(), 'v1.3.0')).rejects.toThrow(
      "packages/demo/package.json has version 1.2.0 but the release is 1.3.0: run 'npm run release:version'",
    );
  });

  it('refuses a bundle built from another version (dist not rebuilt after versioning)', async () => {
    const root = await fakeRoot({
      'packages/demo/dist/chunks/a.mjs': '// @teleport-actions/demo 1.1.0\nexport const x = 1;\n',
    });
    await expect(assemble(root)).rejects.toThrow(
      "dist/chunks/a.mjs was not built from @teleport-actions/demo 1.2.0 (no '// @teleport-actions/demo 1.2.0' line): run 'npm run build'",
    );
  });

  it('refuses a bundle that needs a package from node_modules, or a missing chunk', async () => {
    const needsPackage = await fakeRoot({
      'packages/demo/dist/chunks/a.mjs':
        '// @teleport-actions/demo 1.2.0\nexport { x } from "@actions/core";\n',
    });
    await expect(assemble(needsPackage)).rejects.toThrow(
      /imports '@actions\/core', which a standalone action cannot load/,
    );
    const missingChunk = await fakeRoot({ 'packages/demo/dist/chunks/a.mjs': null });
    await expect(assemble(missingChunk)).rejects.toThrow(/Could not resolve "\.\/chunks\/a\.mjs"/);
  });

  it('refuses an action.yml that runs a file dist/ lacks', async () => {
    const root = await fakeRoot({
      'packages/demo/action.yml':
        'name: demo\ndescription: d\nruns:\n  using: node24\n  main: dist/main.mjs\n  post: dist/post.mjs\n',
    });
    await expect(assemble(root)).rejects.toThrow(
      "packages/demo cannot be released as it is: action.yml runs 'dist/post.mjs', which is not in dist/",
    );
  });
});

describe('absolutizeLinks', () => {
  it('leaves absolute, anchor and out-of-repo links alone', () => {
    const text = '[a](https://x.y/z) [b](#b) [c](mailto:x@y) [d](../../../outside)';
    expect(absolutizeLinks(text, 'packages/auth', 'main')).toBe(text);
  });
});
