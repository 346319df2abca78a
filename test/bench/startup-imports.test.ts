// What each committed action bundle loads before its first line runs: the Node.js built-ins its
// main file reaches through static imports (dynamic `import()` is loaded only when called).
// Start-up to the first input error is a bench target; these built-ins are what cost it most.
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { actionPackages } from '../../scripts/build';
import { repoRoot } from '../../scripts/repo-root';

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** The built-ins `file` loads at start-up, without the `node:` prefix. */
async function startupBuiltins(file: string): Promise<Set<string>> {
  const { metafile } = await build({
    entryPoints: [file],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
  });
  const inputs: Metafile['inputs'] = metafile.inputs;
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const imp of inputs[path]?.imports ?? []) {
      if (imp.kind !== 'import-statement') continue;
      if (imp.external && BUILTINS.has(imp.path)) found.add(imp.path.replace(/^node:/, ''));
      else if (!imp.external) visit(imp.path);
    }
  };
  visit(relative(process.cwd(), file));
  return found;
}

const actions = await actionPackages();
const authActions = actions.filter((a) => a !== 'setup');

describe('what an action loads before reading its first input', () => {
  it('finds the built-ins a bundle loads (the check can see them)', async () => {
    const setup = await startupBuiltins(join(repoRoot, 'packages', 'setup', 'dist', 'main.mjs'));
    expect(setup.has('node:module') || setup.has('module')).toBe(true);
  });

  it('setup loads neither HTTP, zlib nor child processes before its inputs are checked', async () => {
    const loaded = await startupBuiltins(join(repoRoot, 'packages', 'setup', 'dist', 'main.mjs'));
    for (const heavy of ['https', 'http', 'tls', 'zlib', 'child_process']) {
      expect(loaded, `packages/setup/dist/main.mjs loads ${heavy}`).not.toContain(heavy);
    }
  });

  it.each(authActions)('%s loads neither TLS, HTTP nor crypto at start-up', async (action) => {
    const loaded = await startupBuiltins(join(repoRoot, 'packages', action, 'dist', 'main.mjs'));
    for (const heavy of ['https', 'http', 'tls', 'crypto', 'zlib']) {
      expect(loaded, `packages/${action}/dist/main.mjs loads ${heavy}`).not.toContain(heavy);
    }
  });
});
