// The Teleport double: one CA, a CDN (teleport-behaviour.md §6) and a proxy web API (teleport-behaviour.md §5), wired together
// with the environment the code under test needs to use them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TarballSize } from './artifact';
import { type AuthDouble, type AuthDoubleOptions, startAuthDouble } from './auth';
import { type CdnServer, startCdn } from './cdn';
import { DEFAULT_CLUSTER_NAME, type ProxyOptions, type ProxyServer, startProxy } from './proxy';
import { createTestCa, type TestCa } from './tls';

export * from './artifact';
export type { AuthDouble, AuthDoubleOptions } from './auth';
export type { CdnOptions, CdnRequest, CdnServer, Fault } from './cdn';
export { DEFAULT_VERSIONS, startCdn } from './cdn';
export type { ProxyContext, ProxyHandler, ProxyOptions, ProxyServer } from './proxy';
export { startProxy, webapiRoutes } from './proxy';
export { standinProgram } from './standin';
export { type BuiltTarball, buildTarball, checksumText } from './tarball';
export { createTestCa, type ServerCert, type TestCa } from './tls';

export interface DoubleOptions {
  /** Where the CA is written; default: a fresh temporary directory, removed by close(). */
  dir?: string;
  /** Tarball cache; default `<repo>/.tmp/double-cache`, so tarballs survive between runs. */
  cacheDir?: string;
  size?: TarballSize;
  versions?: string[];
  /** Options of the main proxy (the CA is the double's). */
  proxy?: Partial<Omit<ProxyOptions, 'ca'>>;
  /**
   * Opt-in: the auth service behind the main proxy (joins, certificates, tunnels), the
   * GitHub/GitLab/CircleCI issuers it trusts, the GitHub runner token endpoint and a real sshd
   * as node `node-1` (auth/README.md). Off by default: the CDN and web API stay cheap.
   */
  auth?: boolean | AuthDoubleOptions;
}

export interface Double {
  dir: string;
  ca: TestCa;
  cdn: CdnServer;
  proxy: ProxyServer;
  /** The auth double (only with `auth`). */
  auth?: AuthDouble;
  /** The GitHub runner's ID token endpoint (only with `auth`; same as `auth.github`). */
  github?: AuthDouble['github'];
  /** NODE_EXTRA_CA_CERTS and TELEPORT_CDN_BASE_URL (teleport-behaviour.md §6.1) for the code under test. */
  env: Record<string, string>;
  /** An extra proxy (old, Enterprise, FIPS...) sharing the CA; close() closes it too. */
  startProxy(opts?: Partial<Omit<ProxyOptions, 'ca'>>): Promise<ProxyServer>;
  close(): Promise<void>;
}

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_CACHE_DIR = path.join(REPO_ROOT, '.tmp', 'double-cache');

export async function startDouble(opts: DoubleOptions = {}): Promise<Double> {
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? (await mkdtemp(path.join(tmpdir(), 'teleport-double-')));
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    // Last started, first closed; then the temporary directory.
    for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
    if (ownDir) await rm(dir, { recursive: true, force: true });
  };
  try {
    const ca = await createTestCa(dir);
    const cdn = await startCdn({
      ca,
      cacheDir: opts.cacheDir ?? DEFAULT_CACHE_DIR,
      versions: opts.versions,
      size: opts.size,
    });
    closers.push(() => cdn.close());
    const extraProxy = async (p: Partial<Omit<ProxyOptions, 'ca'>> = {}) => {
      const proxy = await startProxy({ ...p, ca });
      closers.push(() => proxy.close());
      return proxy;
    };
    let proxy: ProxyServer;
    let auth: AuthDouble | undefined;
    if (opts.auth) {
      const started = await startAuthDouble({
        dir,
        ca,
        clusterName: opts.proxy?.clusterName ?? DEFAULT_CLUSTER_NAME,
        edition: opts.proxy?.edition ?? (opts.proxy?.fips ? 'ent' : 'oss'),
        startProxy: (clientCaPems) => extraProxy({ ...opts.proxy, clientCaPems }),
        opts: opts.auth === true ? {} : opts.auth,
      });
      proxy = started.proxy;
      auth = started.auth;
      closers.push(() => started.auth.close());
    } else {
      proxy = await extraProxy(opts.proxy);
    }
    return {
      dir,
      ca,
      cdn,
      proxy,
      ...(auth ? { auth, github: auth.github } : {}),
      env: { NODE_EXTRA_CA_CERTS: ca.certPath, TELEPORT_CDN_BASE_URL: cdn.baseUrl },
      startProxy: extraProxy,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
