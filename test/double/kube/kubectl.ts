// Runs the real kubectl against a kubeconfig, isolated from the host: KUBECONFIG is the given
// file only, HOME is a private directory (so ~/.kube/config and the discovery cache under
// ~/.kube/cache are never read or shared), and --request-timeout bounds every request.
// Spawned asynchronously: the kube double runs in the same process.

import { spawn } from 'node:child_process';

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  kubeconfig: string;
  /** A private HOME (required: keeps the discovery cache per test). */
  home: string;
  /** Default `kubectl`. */
  kubectl?: string;
  /** Per-request timeout (default `10s`). */
  requestTimeout?: string;
  /** Extra environment (e.g. for an exec plugin). */
  env?: NodeJS.ProcessEnv;
  /** Hard limit for the whole process, in ms (default 30 000). */
  killAfterMs?: number;
}

export function kubectl(args: string[], opts: KubectlOptions): Promise<KubectlResult> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: opts.home,
    KUBECONFIG: opts.kubeconfig,
    ...opts.env,
  };
  const full = [`--request-timeout=${opts.requestTimeout ?? '10s'}`, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(opts.kubectl ?? 'kubectl', full, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs ?? 30_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}
