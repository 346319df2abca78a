// Bundles the stand-in tbot's TypeScript (./tbot/main.ts) into one script with esbuild, once
// per process (top-level await, so standinProgram() stays synchronous). The result is an IIFE
// that defines `__tbotStandin`; node builtins come from process.getBuiltinModule, so the text
// runs both as CommonJS and as ESM (an extensionless file under a "type": "module"
// package.json), like the version-only programs (README "Tarballs"). `bundleStandin` also
// builds the stand-in tsh (./tsh-bundle.ts).
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const BUILTIN = new RegExp(
  `^(node:.*|${builtinModules.map((m) => m.replace(/[/.]/g, '\\$&')).join('|')})$`,
);

/** `import x from 'node:fs'` → `process.getBuiltinModule('node:fs')` (Node >= 20.16). */
const builtins: Plugin = {
  name: 'node-builtins',
  setup(b) {
    b.onResolve({ filter: BUILTIN }, (args) => ({
      path: args.path.startsWith('node:') ? args.path : `node:${args.path}`,
      namespace: 'builtin',
    }));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * Bundles a stand-in's entry (`./tbot/main.ts`, `./tsh/main.ts`) into an IIFE assigning its
 * exports to `globalName`. Shared by the stand-in tbot and tsh.
 */
export async function bundleStandin(entry: string, globalName: string): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    globalName,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['node', 'import', 'default'],
    target: 'node20',
    plugins: [builtins],
    legalComments: 'none',
    // Drops comments (a stand-in must not contain the padding's comment close, see layout)
    // and halves the text node parses at each start; identifiers stay readable.
    minifyWhitespace: true,
    charset: 'utf8',
    logLevel: 'silent',
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error(`esbuild produced no output for ${entry}`);
  const text = out.text.replace(/^\uFEFF/, '');
  // The padding's block comment close must be the binary's only `*/` (tarball tests check it).
  if (text.includes('*/')) throw new Error(`the bundle of ${entry} must not contain "*/"`);
  return text;
}

/** The bundled stand-in tbot program (IIFE defining `__tbotStandin`). */
export const TBOT_BUNDLE: string = await bundleStandin('./tbot/main.ts', '__tbotStandin');
