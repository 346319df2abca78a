/**
 * `npm run release:assemble -- --out <dir> [--tag v1.2.3]`: writes, for each action, the tree
 * that becomes its own repository (`teleport-actions/<name>`): `action.yml` at the root,
 * `dist/`, `README.md`, `LICENSE`, `CHANGELOG.md`; packs the CLI's npm tarball; and lists
 * every file's SHA-256 in `SHA256SUMS` (what the release workflow attests).
 *
 * It refuses to assemble what would not work on its own: a bundle built from another version
 * than its package.json (or the tag), a bundle that imports something outside `dist/`, an
 * `action.yml` pointing at a missing file, a missing LICENSE.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { parse } from 'yaml';
import { actionPackages, packageIdentity, repoRoot, versionBanner } from '../build';
import { BIN_TARGETS, binaryName } from '../build-bin';
import { absolutizeLinks } from './links';
import { parseReleaseTag } from './tags';
import { type AssembledWrappers, assembleWrappers, releaseStamp } from './wrappers';

export { absolutizeLinks, MONOREPO_URL } from './links';

const exec = promisify(execFile);

/** The Jenkins library's repository (`@Library('teleport@v1.2.3')`): `teleport-actions/<this>`. */
export const JENKINS_LIBRARY_REPOSITORY = 'jenkins-library';
/** Each action's own repository, where `uses: teleport-actions/<name>@v1` resolves. */
export const actionRepository = (name: string) => `teleport-actions/${name}`;

export interface AssembleOptions {
  /** Output folder: `<out>/actions/<name>/`, `<out>/cli/`, `<out>/SHA256SUMS`. */
  out: string;
  /** The release tag; every package version must equal it. */
  tag?: string;
  /** Monorepo root to assemble from (default: this repository). */
  root?: string;
  /** Pack the CLI too (default true). */
  cli?: boolean;
  /**
   * The standalone executables (`npm run build:bin -- --out <dir>`): copied to `<out>/bin/`, and
   * their checksums stamped into the wrappers. Without it the wrappers carry no checksum and
   * refuse to download (fine for a look at the trees, not for a release).
   */
  binDir?: string;
}

export interface AssembledAction {
  name: string;
  repository: string;
  version: string;
  dir: string;
  files: string[];
}

export interface AssembleResult {
  actions: AssembledAction[];
  cliTarball?: string;
  /** The GitLab project, orb and Jenkins library files, relative to `out`. */
  wrappers: AssembledWrappers;
  checksums: string;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

const BUILTINS = new Set(builtinModules);

/**
 * Problems with a bundle's entry points, as esbuild (a real parser) resolves their imports:
 * a package import (it would need the monorepo's node_modules) or a relative import of a
 * missing file. Node built-ins are fine.
 */
export async function bundleImportProblems(pkgDir: string, entries: string[]): Promise<string[]> {
  const problems: string[] = [];
  let metafile: Metafile;
  try {
    ({ metafile } = await build({
      absWorkingDir: pkgDir,
      entryPoints: entries,
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'silent',
      outdir: 'out',
    }));
  } catch (err) {
    const errors = (err as { errors?: { text: string }[] }).errors ?? [];
    return errors.length > 0 ? errors.map((e) => e.text) : [String(err)];
  }
  for (const [file, input] of Object.entries(metafile.inputs)) {
    for (const imp of input.imports) {
      if (!imp.external) continue;
      if (imp.path.startsWith('node:') || BUILTINS.has(imp.path)) continue;
      problems.push(`${file} imports '${imp.path}', which a standalone action cannot load`);
    }
  }
  return problems;
}

/** The files `action.yml` runs (main, pre, post), relative to the action's root. */
export async function actionEntryPoints(actionYml: string): Promise<string[]> {
  const doc = parse(await readFile(actionYml, 'utf8')) as { runs?: Record<string, unknown> };
  const runs = doc?.runs ?? {};
  return ['pre', 'main', 'post']
    .map((k) => runs[k])
    .filter((v): v is string => typeof v === 'string');
}

export async function assembleAction(
  name: string,
  outDir: string,
  opts: { root: string; version?: string; ref: string },
): Promise<AssembledAction> {
  const pkgDir = join(opts.root, 'packages', name);
  const identity = await packageIdentity(pkgDir);
  const where = `packages/${name}`;
  if (opts.version && identity.version !== opts.version) {
    throw new Error(
      `${where}/package.json has version ${identity.version} but the release is ${opts.version}: run 'npm run release:version' to version every package together`,
    );
  }
  const license = join(opts.root, 'LICENSE');
  if (!existsSync(license)) {
    throw new Error(
      `LICENSE is missing at the repository root: every action repository ships it, add the licence text before releasing`,
    );
  }
  const distDir = join(pkgDir, 'dist');
  if (!existsSync(distDir)) {
    throw new Error(`${where}/dist is missing: run 'npm run build' first`);
  }
  const distFiles = (await listFiles(distDir)).map((f) => `dist/${f}`);
  const problems: string[] = [];
  for (const entry of await actionEntryPoints(join(pkgDir, 'action.yml'))) {
    const normalized = posix.normalize(entry);
    if (!distFiles.includes(normalized)) {
      problems.push(`action.yml runs '${entry}', which is not in dist/`);
    }
  }
  const banner = versionBanner(identity);
  for (const file of distFiles.filter((f) => /\.[cm]?js$/.test(f))) {
    const code = await readFile(join(pkgDir, file), 'utf8');
    if (!code.split('\n', 3).includes(banner)) {
      problems.push(
        `${file} was not built from ${identity.name} ${identity.version} (no '${banner}' line): run 'npm run build'`,
      );
    }
  }
  const entries = (await actionEntryPoints(join(pkgDir, 'action.yml'))).filter((e) =>
    distFiles.includes(posix.normalize(e)),
  );
  problems.push(...(await bundleImportProblems(pkgDir, entries)));
  if (problems.length > 0) {
    throw new Error(`${where} cannot be released as it is: ${problems.join('; ')}`);
  }

  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await cp(join(pkgDir, 'action.yml'), join(outDir, 'action.yml'));
  await cp(distDir, join(outDir, 'dist'), { recursive: true });
  const readme = await readFile(join(pkgDir, 'README.md'), 'utf8');
  await writeFile(join(outDir, 'README.md'), absolutizeLinks(readme, where, opts.ref));
  await cp(license, join(outDir, 'LICENSE'));
  const changelog = join(pkgDir, 'CHANGELOG.md');
  if (existsSync(changelog)) await cp(changelog, join(outDir, 'CHANGELOG.md'));
  return {
    name,
    repository: actionRepository(name),
    version: identity.version,
    dir: outDir,
    files: await listFiles(outDir),
  };
}

/** `npm pack` of the CLI into `outDir`; returns the tarball's path. */
export async function packCli(root: string, outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const { stdout } = await exec(
    'npm',
    ['pack', '--json', '--pack-destination', outDir, '--workspace', 'packages/cli'],
    { cwd: root },
  );
  const [info] = JSON.parse(stdout) as { filename: string }[];
  if (!info) throw new Error(`npm pack printed no tarball: ${stdout}`);
  return join(outDir, info.filename);
}

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** `sha256sum` format, paths relative to `out`, sorted. */
async function checksums(out: string, files: string[]): Promise<string> {
  const lines: string[] = [];
  for (const file of [...files].sort()) {
    lines.push(`${await sha256(join(out, file))}  ${file}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function assembleRelease(opts: AssembleOptions): Promise<AssembleResult> {
  const root = opts.root ?? repoRoot;
  const out = resolve(opts.out);
  const release = opts.tag ? parseReleaseTag(opts.tag) : undefined;
  const ref = release?.tag ?? 'main';
  await rm(out, { recursive: true, force: true });
  const actions: AssembledAction[] = [];
  for (const name of await actionPackages(root)) {
    actions.push(
      await assembleAction(name, join(out, 'actions', name), {
        root,
        version: release?.version,
        ref,
      }),
    );
  }
  let cliTarball: string | undefined;
  if (opts.cli !== false) {
    const cli = await packageIdentity(join(root, 'packages', 'cli'));
    if (release && cli.version !== release.version) {
      throw new Error(
        `packages/cli/package.json has version ${cli.version} but the release is ${release.version}: run 'npm run release:version'`,
      );
    }
    cliTarball = await packCli(root, join(out, 'cli'));
  }
  const version =
    release?.version ?? (await packageIdentity(join(root, 'packages', 'cli'))).version;
  const bins: string[] = [];
  if (opts.binDir) {
    await mkdir(join(out, 'bin'), { recursive: true });
    for (const target of BIN_TARGETS) {
      const from = join(opts.binDir, binaryName(target));
      if (!existsSync(from)) {
        throw new Error(
          `${from} is missing: run 'npm run build:bin -- --out ${opts.binDir}' first`,
        );
      }
      await cp(from, join(out, 'bin', binaryName(target)));
      bins.push(`bin/${binaryName(target)}`);
    }
  }
  const wrappers = await assembleWrappers(
    root,
    out,
    await releaseStamp(version, opts.binDir && join(out, 'bin')),
    ref,
  );
  // What is attested: every file of every action's dist/, the CLI tarball, the standalone
  // executables and every wrapper file (they pin those executables' checksums).
  const attested = [
    ...actions.flatMap((a) =>
      a.files.filter((f) => f.startsWith('dist/')).map((f) => `actions/${a.name}/${f}`),
    ),
    ...(cliTarball ? [relative(out, cliTarball)] : []),
    ...bins,
    ...wrappers.files,
  ];
  const sums = await checksums(out, attested);
  await writeFile(join(out, 'SHA256SUMS'), sums);
  await writeFile(
    join(out, 'manifest.json'),
    `${JSON.stringify(
      {
        tag: release?.tag ?? null,
        actions: actions.map(({ name, repository, version, files }) => ({
          name,
          repository,
          version,
          files,
        })),
        cli: cliTarball ? relative(out, cliTarball) : null,
        // What push-trees pushes, each to teleport-actions/<name>, tagged like the release.
        repositories: [
          ...actions.map((a) => ({ name: a.name, dir: `actions/${a.name}` })),
          ...(wrappers.files.some((f) => f.startsWith('jenkins/'))
            ? [{ name: JENKINS_LIBRARY_REPOSITORY, dir: 'jenkins' }]
            : []),
        ],
        standalone: bins,
        wrappers: { files: wrappers.files, sha256: wrappers.stamp.sha256 },
      },
      null,
      2,
    )}\n`,
  );
  return { actions, cliTarball, wrappers, checksums: join(out, 'SHA256SUMS') };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      tag: { type: 'string' },
      'no-cli': { type: 'boolean' },
      'bin-dir': { type: 'string' },
    },
  });
  if (!values.out) {
    throw new Error(`--out is required: npm run release:assemble -- --out release [--tag v1.2.3]`);
  }
  const result = await assembleRelease({
    out: values.out,
    tag: values.tag,
    cli: !values['no-cli'],
    binDir: values['bin-dir'],
  });
  for (const a of result.actions) {
    console.log(`${a.repository} ${a.version}: ${relative(process.cwd(), a.dir)}`);
  }
  if (result.cliTarball) console.log(`CLI: ${relative(process.cwd(), result.cliTarball)}`);
  console.log(`checksums: ${relative(process.cwd(), result.checksums)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`release:assemble: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
