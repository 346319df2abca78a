// Helpers for the double's own tests. Child processes are spawned asynchronously: a sync
// spawn would block the in-process servers the child is talking to.
import { spawn } from 'node:child_process';
import { request } from 'node:https';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout as bytes, for binary output (e.g. a tarball from curl). */
  raw: Buffer;
}

export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: Buffer | string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const raw = Buffer.concat(out);
      resolve({
        code,
        raw,
        stdout: raw.toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.end(opts.input);
  });
}

/** Runs `curl --cacert <ca> -sS <args>`. */
export function curl(caPath: string, ...args: string[]): Promise<RunResult> {
  return run('curl', ['--cacert', caPath, '-sS', ...args]);
}

export interface HttpsResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

/** An HTTPS request trusting only `caPem` (node's https with a custom CA). */
export function httpsRequest(
  url: string,
  caPem: string,
  opts: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<HttpsResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: opts.method ?? 'GET', ca: caPem, headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text: body.toString('utf8'),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}
