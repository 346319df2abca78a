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

  it('checksums every bundle file, the CLI tarball and the wrappers, in sha256sum format', async () => {
    const sums = (await readFile(result.checksums, 'utf8')).trim().split('\n');
    const names = sums.map((l) => l.split('  ')[1]);
    expect(names).toContain('actions/setup/dist/main.mjs');
    expect(names).toContain(relative(out, result.cliTarball!));
    expect(names).toContain('gitlab/templates/ssh.yml');
    expect(
      names.every(
        (n) =>
          n!.startsWith('cli/') ||
          /^actions\/[^/]+\/dist\//.test(n!) ||
          /^(gitlab|circleci|jenkins)\//.test(n!),
      ),
    ).toBe(true);
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

describe('release:assemble --bin-dir: the GitLab project, the orb and the Jenkins library', () => {
  let out: string;
  let result: AssembleResult;
  const sums: Record<string, string> = {};
  let version: string;

  beforeAll(async () => {
    // Stand-ins for the two executables `npm run build:bin` writes: their bytes do not matter,
    // their checksums must reach every wrapper.
    const bins = join(base, 'bins');
    await mkdir(bins, { recursive: true });
    for (const arch of ['amd64', 'arm64']) {
      const body = `standalone teleport-ci for linux-${arch}\n`;
      await writeFile(join(bins, `teleport-ci-linux-${arch}`), body);
      sums[arch] = createHash('sha256').update(body).digest('hex');
    }
    out = join(base, 'release-with-bins');
    version = JSON.parse(await readFile(join(repoRoot, 'packages/cli/package.json'), 'utf8'))
      .version as string;
    result = await assembleRelease({ out, tag: `v${version}`, cli: false, binDir: bins });
  }, 120_000);

  const stampLines = () => [
    `teleport_ci_release_version='${version}'`,
    `teleport_ci_release_url='https://github.com/teleport-actions/root/releases/download/v${version}'`,
    `teleport_ci_release_sha256_linux_amd64='${sums.amd64}'`,
    `teleport_ci_release_sha256_linux_arm64='${sums.arm64}'`,
  ];

  it('writes the GitLab catalog project with its templates stamped', async () => {
    const files = result.wrappers.files.filter((f) => f.startsWith('gitlab/'));
    expect(files).toEqual(
      expect.arrayContaining([
        'gitlab/.gitlab-ci.yml',
        'gitlab/LICENSE',
        'gitlab/README.md',
        'gitlab/templates/ssh.yml',
        'gitlab/templates/teleport.yml',
      ]),
    );
    for (const name of ['ssh.yml', 'teleport.yml']) {
      const text = await readFile(join(out, 'gitlab', 'templates', name), 'utf8');
      for (const line of stampLines()) expect(text).toContain(line);
    }
  });

  it('packs the orb from stamped sources, and stamps the Jenkins library', async () => {
    const orb = await readFile(join(out, 'circleci', 'orb.yml'), 'utf8');
    expect(orb).toContain(`teleport_ci_release_sha256_linux_amd64='${sums.amd64}'`);
    // The orb-tools project too: its pipeline packs the same stamped sources.
    const ensure = await readFile(join(out, 'circleci', 'src', 'scripts', 'ensure_cli.sh'), 'utf8');
    for (const line of stampLines()) expect(ensure).toContain(line);
    expect(result.wrappers.files).toContain('circleci/.circleci/test-deploy.yml');
    const jenkins = await readFile(
      join(out, 'jenkins', 'resources', 'teleport', 'find-teleport-ci.sh'),
      'utf8',
    );
    for (const line of stampLines()) expect(jenkins).toContain(line);
    expect(await readFile(join(out, 'jenkins', 'LICENSE'), 'utf8')).toMatch(/Apache License/);
  });

  it('ships the executables and lists them and every wrapper file in SHA256SUMS', async () => {
    const listed = (await readFile(result.checksums, 'utf8')).trim().split('\n');
    expect(listed).toContain(`${sums.amd64}  bin/teleport-ci-linux-amd64`);
    expect(listed).toContain(`${sums.arm64}  bin/teleport-ci-linux-arm64`);
    const names = listed.map((l) => l.split('  ')[1]);
    expect(names).toEqual(expect.arrayContaining(result.wrappers.files));
  });

  it('lists the Jenkins library among the trees to push, as teleport-actions/jenkins-library', async () => {
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.repositories).toContainEqual({ name: 'jenkins-library', dir: 'jenkins' });
    expect(manifest.repositories).toContainEqual({ name: 'setup', dir: 'actions/setup' });
  });

  it('the repository copy stays unreleased: no checksum pinned', async () => {
    const text = await readFile(join(repoRoot, 'packages/gitlab/templates/ssh.yml'), 'utf8');
    expect(text).toContain("teleport_ci_release_sha256_linux_amd64=''");
  });

  it('refuses a bin dir without both executables', async () => {
    const empty = join(base, 'no-bins');
    await mkdir(empty, { recursive: true });
    await expect(
      assembleRelease({ out: join(base, 'x'), tag: `v${version}`, cli: false, binDir: empty }),
    ).rejects.toThrow(/teleport-ci-linux-amd64 is missing: run 'npm run build:bin -- --out /);
  });
});
