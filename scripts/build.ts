/**
 * Bundles every action (each `packages/<name>` with an `action.yml`) into its committed
 * `dist/`: one minified ESM file per entry point (`src/main.ts`, `src/run.ts`, `src/post.ts`), each
 * built on its own (see `actionBuilds`).
 */
import { existsSync } from 'node:fs';
import { chmod, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { NOTICES_FILE, thirdPartyNotices } from './notices';
import { repoRoot } from './repo-root';

export { repoRoot } from './repo-root';

// @actions/* are ESM packages that still call require() for Node built-ins.
const REQUIRE_SHIM =
  "import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);";

/** Every `packages/<name>` of `root` with an `action.yml`. */
export async function actionPackages(root = repoRoot): Promise<string[]> {
  const names = await readdir(join(root, 'packages'));
  return names.filter((n) => existsSync(join(root, 'packages', n, 'action.yml'))).sort();
}

const UNDICI_SHIM = join(repoRoot, 'scripts', 'shims', 'undici.ts');

/** Swaps modules we never use for small stand-ins (see each shim for why). */
const shims: Plugin = {
  name: 'shims',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, (args) =>
      args.importer.includes('@actions/http-client') ? { path: UNDICI_SHIM } : undefined,
    );
  },
};

/**
 * `@actions/core` and `@actions/http-client` don't declare `sideEffects: false`, so esbuild
 * keeps every module `@actions/core` imports even when nothing we call uses it: its unused
 * OIDC client pulled in `@actions/http-client`, whose `https` import loads TLS (about as long
 * as the rest of an action's start-up) before the first input is read. Their modules only
 * define things, so we mark them side-effect free; what a step does use is bundled as before,
 * in the lazily loaded chunk that uses it.
 */
const PURE_PACKAGE = /[\\/]node_modules[\\/]@actions[\\/](core|http-client)[\\/]/;
const pureActionsLibraries: Plugin = {
  name: 'pure-actions-libraries',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.pureActionsLibraries) return undefined;
      const fromLibrary = PURE_PACKAGE.test(args.importer);
      if (!fromLibrary && !/^@actions\/(core|http-client)(\/|$)/.test(args.path)) return undefined;
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { pureActionsLibraries: true },
      });
      if (resolved.errors.length > 0 || !PURE_PACKAGE.test(resolved.path)) return undefined;
      return { ...resolved, sideEffects: false };
    });
  },
};

/**
 * `@actions/core` imports `crypto` at load time for one call, the delimiter of a multi-line
 * output or variable. Loading `crypto` costs about a fifth of `node -e 0`, before the first
 * input is even read; this loads it on that first call instead. Only member access on the
 * namespace is used there (`crypto.randomUUID()`), which a lazy proxy serves unchanged.
 */
const LAZY_CRYPTO_IMPORT = /^import \* as (\w+) from 'crypto';$/m;
const lazyCryptoInActionsCore: Plugin = {
  name: 'lazy-crypto-in-actions-core',
  setup(b) {
    b.onLoad(
      { filter: /[\\/]node_modules[\\/]@actions[\\/]core[\\/]lib[\\/][^\\/]+\.js$/ },
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!LAZY_CRYPTO_IMPORT.test(source)) return undefined;
        return {
          contents: source.replace(
            LAZY_CRYPTO_IMPORT,
            "const $1 = new Proxy({}, { get: (_, name) => require('node:crypto')[name] });",
          ),
          loader: 'js',
        };
      },
    );
  },
};

/**
 * Node.js built-ins reach the bundle through `require()`, not `import`. Node builds an ES
 * module facade for a built-in the first time it is imported, and that facade reads every
 * export, lazy getters included: importing `node:http` on Node.js 24 loads its bundled
 * `undici` for the `WebSocket` getter (25-40 ms, most of a warm `setup`'s own time), and
 * `node:fs` loads `fs/promises` for the `promises` getter. Through `require()` (the banner's)
 * each built-in is the plain module object and a lazy getter runs only when used.
 */
const BUILTIN_PREFIX = 'builtin-require:';
const builtinsViaRequire: Plugin = {
  name: 'builtins-via-require',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'import-statement' && args.kind !== 'dynamic-import') return undefined;
      if (!isBuiltin(args.path)) return undefined;
      const path = `node:${args.path.replace(/^node:/, '')}`;
      // A dynamic import() runs when the module is needed: Node's own ES module of the
      // built-in is right there (a shim's namespace would lose its named exports).
      if (args.kind === 'dynamic-import') return { path, external: true };
      return { path, namespace: BUILTIN_PREFIX };
    });
    b.onLoad({ filter: /.*/, namespace: BUILTIN_PREFIX }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * `@actions/core`'s job-summary module takes three functions off `fs.promises` as it loads,
 * which loads `fs/promises` (with `readline`, about 2 ms) in every step, before the first input
 * is read, though only a step that writes a summary calls them. This takes them on first call.
 */
const EAGER_FS_PROMISES = /^const \{ access, appendFile, writeFile \} = promises;$/m;
const lazyFsPromisesInActionsSummary: Plugin = {
  name: 'lazy-fs-promises-in-actions-summary',
  setup(b) {
    b.onLoad(
      { filter: /[\\/]node_modules[\\/]@actions[\\/]core[\\/]lib[\\/]summary\.js$/ },
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!EAGER_FS_PROMISES.test(source)) return undefined;
        return {
          contents: source.replace(
            EAGER_FS_PROMISES,
            'const access = (...a) => promises.access(...a), appendFile = (...a) => promises.appendFile(...a), writeFile = (...a) => promises.writeFile(...a);',
          ),
          loader: 'js',
        };
      },
    );
  },
};

export interface PackageIdentity {
  name: string;
  version: string;
}

/** `name` and `version` of `packages/<dir>/package.json`: what a bundle embeds. */
export async function packageIdentity(pkgDir: string): Promise<PackageIdentity> {
  const { name, version } = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8'));
  if (typeof name !== 'string' || typeof version !== 'string') {
    throw new Error(`${join(pkgDir, 'package.json')}: 'name' and 'version' are required`);
  }
  return { name, version };
}

/** The first line of every bundle file: which package and version it was built from. */
export function versionBanner({ name, version }: PackageIdentity): string {
  return `// ${name} ${version}`;
}

/**
 * Entry points read their version from `../package.json`; the bundle gets only `name` and
 * `version` from it, not the publishing metadata (files, engines, repository, ...).
 */
const packageJsonIdentity: Plugin = {
  name: 'package-json-identity',
  setup(b) {
    b.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]package\.json$/ }, async (args) => ({
      contents: JSON.stringify(await packageIdentity(join(args.path, '..'))),
      loader: 'json',
    }));
  },
};

/**
 * An action's `main.ts` checks the inputs and then loads `./run` (`checkThenRun`): `run.ts` is
 * a bundle of its own, `run.mjs`, so `main.mjs` is one file holding only the input check.
 */
const runBundle: Plugin = {
  name: 'run-bundle',
  setup(b) {
    b.onResolve({ filter: /^\.\/run$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: './run.mjs', external: true } : undefined,
    );
  },
};

/**
 * Builds for one action, one per entry point: `main` on its own in one file, which starts
 * fastest (each further file it loads at start-up costs about 1 ms); `run`, `post` and `pre` each
 * with what they load lazily (`import()`) split into chunks.
 */
export function actionBuilds(
  pkgDir: string,
  outdir: string,
  identity: PackageIdentity,
): BuildOptions[] {
  const options = bundleOptions(pkgDir, outdir, identity);
  return (options.entryPoints as string[]).map((entry) =>
    entry.endsWith(`${join('src', 'main.ts')}`)
      ? {
          ...options,
          entryPoints: [entry],
          splitting: false,
          plugins: [runBundle, ...(options.plugins ?? [])],
        }
      : { ...options, entryPoints: [entry] },
  );
}

export function bundleOptions(
  pkgDir: string,
  outdir: string,
  identity: PackageIdentity,
): BuildOptions {
  const entryPoints = ['main', 'run', 'post', 'pre']
    .map((e) => join(pkgDir, 'src', `${e}.ts`))
    .filter((p) => existsSync(p));
  return {
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    // Libraries compare error class names (@actions/cache's ReserveCacheError): keep them.
    keepNames: true,
    sourcemap: false,
    legalComments: 'eof', // keep the licences of what we bundle, readable at the end
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: `${versionBanner(identity)}\n${REQUIRE_SHIM}` },
    logLevel: 'warning',
    metafile: true, // what was bundled, for THIRD-PARTY-NOTICES.md
    plugins: [
      shims,
      packageJsonIdentity,
      pureActionsLibraries,
      lazyCryptoInActionsCore,
      lazyFsPromisesInActionsSummary,
      builtinsViaRequire,
    ],
  };
}

const CACHE_SHIM = join(repoRoot, 'scripts', 'shims', 'actions-cache.ts');

/** The CLI doesn't use the Actions cache: swap it for a stand-in that says so. */
const cliShims: Plugin = {
  name: 'cli-shims',
  setup(b) {
    b.onResolve({ filter: /^@actions\/cache$/ }, () => ({ path: CACHE_SHIM }));
  },
};

/**
 * The CLI: one self-contained executable file, no chunks, no runtime dependencies. CommonJS,
 * because Node 20 starts a CommonJS file ~20 ms sooner than an ES module (`--help` speed).
 */
export function cliBundleOptions(outdir: string, identity: PackageIdentity): BuildOptions {
  const options = bundleOptions(join(repoRoot, 'packages', 'cli'), outdir, identity);
  return {
    ...options,
    plugins: [shims, packageJsonIdentity, cliShims, pureActionsLibraries, lazyCryptoInActionsCore],
    entryPoints: { 'teleport-ci': join(repoRoot, 'packages', 'cli', 'src', 'main.ts') },
    format: 'cjs',
    splitting: false,
    outExtension: { '.js': '.cjs' },
    banner: { js: `#!/usr/bin/env node\n${versionBanner(identity)}` },
  };
}

/** Everything with a committed bundle: the actions, then the CLI. */
export async function bundledPackages(): Promise<string[]> {
  return [...(await actionPackages()), 'cli'];
}

export async function buildAction(name: string, outdir?: string): Promise<void> {
  const pkgDir = join(repoRoot, 'packages', name);
  const target = outdir ?? join(pkgDir, 'dist');
  const identity = await packageIdentity(pkgDir);
  await rm(target, { recursive: true, force: true });
  // Apart, not one build: bundled together, every module that `main` and `post` share (with
  // their lazily loaded chunks) became a chunk of its own that `main` loaded at start-up.
  const builds =
    name === 'cli' ? [cliBundleOptions(target, identity)] : actionBuilds(pkgDir, target, identity);
  const inputs: Metafile['inputs'] = {};
  for (const one of builds) Object.assign(inputs, (await build(one)).metafile!.inputs);
  if (name === 'cli') await chmod(join(target, 'teleport-ci.cjs'), 0o755);
  await writeFile(
    join(target, NOTICES_FILE),
    await thirdPartyNotices({ inputs, outputs: {} }, identity.name),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const name of await bundledPackages()) {
    await buildAction(name);
    console.log(`built packages/${name}/dist`);
  }
}
