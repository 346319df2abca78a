/**
 * Fake programs for running the orb in the interpreter: a `teleport-ci` that records how it
 * was called (argv, selected environment) and appends `export NAME='value'` lines to the file
 * given with `--write-env`, as the real CLI does with $BASH_ENV on CircleCI; an `npm` that
 * "installs" that fake; and recording stand-ins for the tools examples call (ssh, tsh, ...).
 */
import { readFile, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeExecutable } from './interpreter';

export interface FakeCall {
  program: string;
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
}

const RECORDED_ENV = [
  'CIRCLECI',
  'TELEPORT_BOT_TOKEN',
  'CIRCLE_OIDC_TOKEN',
  'CIRCLE_OIDC_TOKEN_V2',
  'BASH_ENV',
  'HOME',
  'PATH',
  'TELEPORT_CI_BIN',
  'TELEPORT_CI_SSH_CONFIG',
  'TELEPORT_IDENTITY_FILE',
  'TELEPORT_PROXY',
  'KUBECONFIG',
  'TELEPORT_CI_VERSION',
];

// One recorder for every fake: logs a JSON line, then acts by program name.
const RECORDER = `const fs = require('node:fs');
const path = require('node:path');
const program = process.env.FAKE_PROGRAM;
const argv = process.argv.slice(2);
const env = {};
for (const name of ${JSON.stringify(RECORDED_ENV)}) env[name] = process.env[name];
fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify({ program, argv, env, cwd: process.cwd() }) + '\\n');
const flag = (name) => {
  const hit = argv.find((a) => a.startsWith('--' + name + '='));
  return hit === undefined ? undefined : hit.slice(name.length + 3);
};
const quote = (v) => "'" + String(v).replace(/'/g, "'\\\\''") + "'";
if (program === 'teleport-ci') {
  const command = argv[0];
  if (process.env.FAKE_TELEPORT_CI_FAIL === command) {
    process.stderr.write('teleport-ci: ' + (process.env.FAKE_TELEPORT_CI_MESSAGE || 'failed') + '\\n');
    process.exit(1);
  }
  const out = flag('out') || path.join(process.env.HOME || '/tmp', 'teleport-' + command);
  const exports = {
    setup: { TELEPORT_CI_VERSION: '17.4.2' },
    auth: {
      TELEPORT_PROXY: flag('proxy'),
      TELEPORT_AUTH_SERVER: flag('proxy'),
      TELEPORT_IDENTITY_FILE: path.join(out, 'identity'),
      TELEPORT_CI_IDENTITY_FILE: path.join(out, 'identity'),
    },
    'auth-ssh': {
      TELEPORT_CI_SSH_CONFIG: path.join(out, 'ssh_config'),
      TELEPORT_CI_KNOWN_HOSTS: path.join(out, 'known_hosts'),
    },
    'auth-k8s': { KUBECONFIG: path.join(out, 'kubeconfig.yaml'), TELEPORT_CI_KUBECONFIG: path.join(out, 'kubeconfig.yaml') },
  }[command] || {};
  const envFile = flag('write-env');
  if (envFile) {
    const lines = Object.entries(exports).map(([k, v]) => 'export ' + k + '=' + quote(v) + '\\n');
    fs.appendFileSync(envFile, lines.join(''));
  }
  process.stderr.write('teleport-ci ' + command + ': ok (fake)\\n');
} else if (program === 'npm') {
  if (process.env.FAKE_NPM_FAIL) {
    process.stderr.write('npm ERR! 404 Not Found - @teleport-actions/cli\\n');
    process.exit(1);
  }
  // As \`npm install --prefix P pkg\` does: the package's bin linked in P/node_modules/.bin.
  const prefix = argv[argv.indexOf('--prefix') + 1];
  const bin = path.join(prefix, 'node_modules', '.bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.copyFileSync(path.join(process.env.FAKE_DIR, 'teleport-ci'), path.join(bin, 'teleport-ci'));
  fs.chmodSync(path.join(bin, 'teleport-ci'), 0o755);
}
`;

function wrapper(program: string, recorder: string): string {
  // Absolute paths: tests run some steps with a PATH that has neither bash nor node.
  return `#!/bin/sh
FAKE_PROGRAM=${program} FAKE_DIR=${JSON.stringify(dirname(recorder))} exec ${JSON.stringify(process.execPath)} ${JSON.stringify(recorder)} "$@"
`;
}

export interface Fakes {
  /** Holds teleport-ci and the tools (put it on PATH, or point TELEPORT_CI_BIN at it). */
  binDir: string;
  /** Holds only `npm` and `node` (PATH it to test installing the CLI with npm). */
  npmDir: string;
  teleportCi: string;
  /** Environment the fakes need (where to log). */
  env: Record<string, string>;
  calls(program?: string): Promise<FakeCall[]>;
}

export async function makeFakes(
  dir: string,
  tools = ['ssh', 'tsh', 'tctl', 'tbot', 'kubectl', 'rsync', 'apk'],
): Promise<Fakes> {
  const binDir = join(dir, 'fake-bin');
  const npmDir = join(dir, 'fake-npm');
  const recorder = join(binDir, 'recorder.cjs');
  const log = join(dir, 'fake-calls.jsonl');
  await writeExecutable(binDir, 'recorder.cjs', RECORDER);
  const teleportCi = await writeExecutable(binDir, 'teleport-ci', wrapper('teleport-ci', recorder));
  for (const tool of tools) await writeExecutable(binDir, tool, wrapper(tool, recorder));
  await writeExecutable(npmDir, 'npm', wrapper('npm', recorder));
  await symlink(process.execPath, join(npmDir, 'node'));
  return {
    binDir,
    npmDir,
    teleportCi,
    env: { FAKE_LOG: log },
    async calls(program?: string) {
      const text = await readFile(log, 'utf8').catch(() => '');
      const all = text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as FakeCall);
      return program ? all.filter((c) => c.program === program) : all;
    },
  };
}
