// Helpers for tests that run the stand-in tbot as a real program: written from the program
// text (fast) or extracted from the CDN's tarball (what users download).
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ArtifactSpec, Edition } from '../artifact';
import { run } from '../ssh/exec';
import { PADDING_CLOSE, standinHead, standinProgram } from './index';

export { run };

/** Writes the stand-in tbot of `version` as `<dir>/<version>/tbot` (0755); returns its path. */
export async function writeTbot(dir: string, version: string, edition: Edition = 'oss') {
  const spec: ArtifactSpec = { version, edition, os: 'linux', arch: 'amd64' };
  const bin = path.join(dir, `tbot-${version}-${edition}`, 'tbot');
  await mkdir(path.dirname(bin), { recursive: true });
  await writeFile(bin, `${standinHead(standinProgram('tbot', spec))}${PADDING_CLOSE}`);
  await chmod(bin, 0o755);
  return bin;
}

/** Writes the stand-in tsh of `version` as `<dir>/tsh-<version>-<edition>/tsh` (0755). */
export async function writeTsh(dir: string, version: string, edition: Edition = 'oss') {
  const spec: ArtifactSpec = { version, edition, os: 'linux', arch: 'amd64' };
  const bin = path.join(dir, `tsh-${version}-${edition}`, 'tsh');
  await mkdir(path.dirname(bin), { recursive: true });
  await writeFile(bin, `${standinHead(standinProgram('tsh', spec))}${PADDING_CLOSE}`);
  await chmod(bin, 0o755);
  return bin;
}

/** Extracts `teleport/tbot` from a tarball into a fresh directory under `dir`. */
export async function extractTbot(tarball: string, dir: string): Promise<string> {
  const dest = await mkdtemp(path.join(dir, 'x-'));
  const r = await run('tar', ['-xzf', tarball, '-C', dest]);
  if (r.code !== 0) throw new Error(`tar failed: ${r.stderr}`);
  return path.join(dest, 'teleport', 'tbot');
}

/** The test process's environment without anything that would steer tbot. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(TBOT_|TELEPORT_|ACTIONS_ID_TOKEN_|CIRCLE_OIDC|GITHUB_)/.test(k)) continue;
    env[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface Background {
  pid: number;
  stderr(): string;
  stdout(): string;
  /** Resolves with the exit code (or signal) once the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts tbot in the background (its own process, killed when the test process exits). */
export function startTbot(bin: string, args: string[], env: NodeJS.ProcessEnv): Background {
  const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      process.removeListener('exit', killOnExit);
      resolve({ code, signal });
    }),
  );
  return {
    pid: child.pid ?? 0,
    stderr: () => err,
    stdout: () => out,
    exited,
    kill: (signal = 'SIGTERM') => {
      child.kill(signal);
    },
  };
}
