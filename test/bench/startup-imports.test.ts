// What each committed action bundle loads before it fails on its first input: each `main` is
// run with no inputs on the Node.js its `runs.using` names, and the built-in modules Node.js
// loaded by the time it exits are read from `process.moduleLoadList`. Start-up to the first
// input error is a bench target; these built-ins are what cost it most.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionPackages } from '../../scripts/build';
import { repoRoot } from '../../scripts/repo-root';
import { nodeForRuntime } from '../runner/node-runtimes';

// Prints, as the process exits, every built-in it loaded (`NativeModule <name>` entries).
const REPORT_LOADED =
  "data:text/javascript,process.on('exit',()=>process.stderr.write('\\nLOADED '+JSON.stringify(process.moduleLoadList)))";

function actionNode(action: string): string {
  const yml = readFileSync(join(repoRoot, 'packages', action, 'action.yml'), 'utf8');
  return nodeForRuntime(/^\s+using:\s*['"]?(node\d+)/m.exec(yml)![1]!);
}

/** The built-ins `node <args>` loads beyond what `node -e 0` does, by name. */
function loadedBuiltins(node: string, args: string[]): { names: Set<string>; stdout: string } {
  const run = (a: string[]): { names: string[]; stdout: string } => {
    const r = spawnSync(node, ['--import', REPORT_LOADED, ...a], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, GITHUB_OUTPUT: '' },
    });
    const list = /\nLOADED (.*)$/.exec(r.stderr)?.[1];
    if (!list) throw new Error(`no module list from ${a.join(' ')}:\n${r.stderr}`);
    const names = (JSON.parse(list) as string[])
      .filter((m) => m.startsWith('NativeModule '))
      .map((m) => m.slice('NativeModule '.length));
    return { names, stdout: r.stdout };
  };
  const floor = new Set(run(['-e', '0']).names);
  const { names, stdout } = run(args);
  return { names: new Set(names.filter((n) => !floor.has(n))), stdout };
}

const mainOf = (action: string) => join(repoRoot, 'packages', action, 'dist', 'main.mjs');
const actions = await actionPackages();
const authActions = actions.filter((a) => a !== 'setup');

describe('what an action loads before reading its first input', () => {
  it('sees a built-in that an ES module imports (the check can fail)', () => {
    const node = actionNode('setup');
    const { names } = loadedBuiltins(node, ['--input-type=module', '-e', "import 'node:http'"]);
    expect(names).toContain('http');
  });

  it('setup fails on its first input without loading HTTP, zlib or child processes', () => {
    const { names, stdout } = loadedBuiltins(actionNode('setup'), [mainOf('setup')]);
    expect(stdout).toMatch(/^::error::setup: Input 'version'/m);
    for (const heavy of ['https', 'http', 'tls', 'zlib', 'child_process', 'fs/promises']) {
      expect(names, `packages/setup/dist/main.mjs loads ${heavy}`).not.toContain(heavy);
    }
  });

  it.each(authActions)(
    '%s fails on its first input without TLS, HTTP, crypto or child processes',
    (action) => {
      const { names, stdout } = loadedBuiltins(actionNode(action), [mainOf(action)]);
      expect(stdout).toMatch(new RegExp(`^::error::${action}: Input 'proxy'`, 'm'));
      for (const heavy of [
        'https',
        'http',
        'tls',
        'crypto',
        'zlib',
        'child_process',
        'net',
        'fs/promises',
      ]) {
        expect(names, `packages/${action}/dist/main.mjs loads ${heavy}`).not.toContain(heavy);
      }
    },
  );
});
