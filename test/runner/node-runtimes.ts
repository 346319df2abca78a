import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// GitHub runs a JavaScript action with the Node.js its `runs.using` names. The emulation does
// the same: node20 with the Node.js that runs the tests (20 is the oldest the project
// supports), node24 with the Node.js 24 that `scripts/actions-node` fetched from the npm
// registry (the version is `config.node24` in package.json).

const packageJson = fileURLToPath(new URL('../../package.json', import.meta.url));

function node24(): string {
  if (process.env.TELEPORT_TEST_NODE24) return process.env.TELEPORT_TEST_NODE24;
  const version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { config: { node24: string } })
    .config.node24;
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  const cache = process.env.XDG_CACHE_HOME || join(process.env.HOME || homedir(), '.cache');
  const path = join(cache, 'teleport-ci-dev', `node-v${version}-linux-${arch}`, 'bin', 'node');
  if (!existsSync(path)) {
    throw new Error(
      `Node.js ${version} for 'runs.using: node24' is not at ${path}: run 'bash scripts/actions-node' (npm test does)`,
    );
  }
  return path;
}

/** The Node.js binary a `runs.using` runtime runs on. */
export function nodeForRuntime(using: string): string {
  return using === 'node24' ? node24() : process.execPath;
}
