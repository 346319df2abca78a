/**
 * A loopback npm registry serving one version of @teleport-actions/cli: its package document
 * and a tarball whose `teleport-ci` bin is the given program. Point npm at it with
 * `npm_config_registry=<url>/`; `tarballRequests()` counts installs.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type FileServer, startFileServer } from './serve-files';

const exec = promisify(execFile);

export interface NpmRegistry {
  url: string;
  tarballRequests(): number;
  close(): Promise<void>;
}

export async function startNpmRegistry(version: string, bin: string): Promise<NpmRegistry> {
  const server: FileServer = await startFileServer();
  const work = await mkdtemp(join(tmpdir(), 'npm-registry-'));
  try {
    const pkg = join(work, 'package');
    await mkdir(join(pkg, 'bin'), { recursive: true });
    const manifest = {
      name: '@teleport-actions/cli',
      version,
      bin: { 'teleport-ci': 'bin/teleport-ci' },
    };
    await writeFile(join(pkg, 'package.json'), JSON.stringify(manifest));
    await writeFile(join(pkg, 'bin', 'teleport-ci'), bin, { mode: 0o755 });
    const tgz = join(work, 'cli.tgz');
    await exec('tar', ['-czf', tgz, '-C', work, 'package']);
    const body = await readFile(tgz);
    const integrity = `sha512-${createHash('sha512').update(body).digest('base64')}`;
    server.serve('/cli.tgz', body);
    server.serve(
      '/@teleport-actions/cli',
      JSON.stringify({
        name: manifest.name,
        'dist-tags': { latest: version },
        versions: {
          [version]: { ...manifest, dist: { tarball: `${server.url}/cli.tgz`, integrity } },
        },
      }),
      'application/json',
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return {
    url: server.url,
    tarballRequests: () => server.requests.filter((p) => p === '/cli.tgz').length,
    close: () => server.close(),
  };
}
