import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CACHE_DIR, type Double, REPO_ROOT, startDouble } from './index';
import { curl, httpsRequest, run } from './test-helpers';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'double-index-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

const NAME = 'teleport-v17.4.2-linux-amd64-bin.tar.gz';

describe('startDouble', () => {
  it('caches tarballs under <repo>/.tmp/double-cache by default', () => {
    expect(path.resolve(REPO_ROOT)).toBe(path.resolve(process.cwd()));
    expect(DEFAULT_CACHE_DIR).toBe(path.join(REPO_ROOT, '.tmp', 'double-cache'));
  });

  it('wires the CDN and proxy, and gives the env the code under test needs', async () => {
    const double = await startDouble({
      cacheDir: path.join(work, 'cache'),
      proxy: { toolsVersion: '17.2.8' },
    });
    try {
      expect(Object.keys(double.env).sort()).toEqual([
        'NODE_EXTRA_CA_CERTS',
        'TELEPORT_CDN_BASE_URL',
      ]);
      expect(double.env.NODE_EXTRA_CA_CERTS).toBe(double.ca.certPath);
      expect(double.env.TELEPORT_CDN_BASE_URL).toBe(double.cdn.baseUrl);
      // A fresh node process trusting the double only through the env (teleport-behaviour.md §6.1 base URL).
      const script = `
        const find = await (await fetch('https://' + process.argv[1] + '/webapi/find')).json();
        const sum = await (await fetch(process.env.TELEPORT_CDN_BASE_URL + '/${NAME}.sha256')).text();
        console.log(JSON.stringify({ tools: find.auto_update.tools_version, sum }));`;
      const r = await run(
        process.execPath,
        ['--input-type=module', '-e', script, double.proxy.addr],
        {
          env: { ...process.env, ...double.env },
        },
      );
      expect(r.stderr).toBe('');
      const { sha256 } = await double.cdn.tarball({
        version: '17.4.2',
        edition: 'oss',
        os: 'linux',
        arch: 'amd64',
      });
      expect(JSON.parse(r.stdout)).toEqual({ tools: '17.2.8', sum: `${sha256}  ${NAME}\n` });
    } finally {
      await double.close();
    }
  });

  it('starts extra proxies on the same CA and closes everything, temp dir included', async () => {
    const double: Double = await startDouble({ cacheDir: path.join(work, 'cache') });
    const old = await double.startProxy({ legacy: true, serverVersion: '16.5.4' });
    const fips = await double.startProxy({ fips: true });
    expect(new Set([double.proxy.addr, old.addr, fips.addr]).size).toBe(3);
    const body = JSON.parse(
      (await httpsRequest(`${fips.url}/webapi/find`, double.ca.certPem)).text,
    );
    expect(body).toMatchObject({ edition: 'ent', fips: true });
    expect(existsSync(double.ca.certPath)).toBe(true);
    await double.close();
    expect(existsSync(double.dir)).toBe(false);
    for (const url of [double.proxy.url, old.url, fips.url, double.cdn.baseUrl]) {
      // The code, not the message: where localhost is both ::1 and 127.0.0.1 (Debian's
      // /etc/hosts), Node tries both and rejects with an AggregateError whose message is empty.
      await expect(httpsRequest(url, double.ca.certPem)).rejects.toMatchObject({
        code: 'ECONNREFUSED',
      });
    }
  });

  it('keeps a caller-given dir', async () => {
    const dir = path.join(work, 'given');
    const double = await startDouble({ dir, cacheDir: path.join(work, 'cache') });
    await double.close();
    expect(await readFile(path.join(dir, 'ca.pem'), 'utf8')).toBe(double.ca.certPem);
  });
});

describe('cli.ts --background', () => {
  it('starts detached, prints and appends KEY=value lines, serves until SIGTERM', async () => {
    const envFile = path.join(work, 'github_env');
    await writeFile(envFile, 'EARLIER=1\n'); // like $GITHUB_ENV: exists, gets appended to
    const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
    const r = await run(
      tsx,
      [
        'test/double/cli.ts',
        '--background',
        '--env-file',
        envFile,
        '--cache-dir',
        path.join(work, 'cache'),
      ],
      { cwd: REPO_ROOT },
    );
    expect(r.code).toBe(0);
    const env = Object.fromEntries(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(Object.keys(env).sort()).toEqual([
      'NODE_EXTRA_CA_CERTS',
      'TELEPORT_CDN_BASE_URL',
      'TELEPORT_DOUBLE_CA',
      'TELEPORT_DOUBLE_PID',
      'TELEPORT_DOUBLE_PROXY',
    ]);
    expect(await readFile(envFile, 'utf8')).toBe(`EARLIER=1\n${r.stdout}`);
    const pid = Number(env.TELEPORT_DOUBLE_PID);
    try {
      const find = await curl(
        env.NODE_EXTRA_CA_CERTS!,
        '-f',
        `https://${env.TELEPORT_DOUBLE_PROXY}/webapi/find`,
      );
      expect(JSON.parse(find.stdout)).toHaveProperty('server_version', '17.4.2');
      const sum = await curl(
        env.NODE_EXTRA_CA_CERTS!,
        '-f',
        `${env.TELEPORT_CDN_BASE_URL}/${NAME}.sha256`,
      );
      expect(sum.stdout).toMatch(/^[0-9a-f]{64} {2}teleport-v17\.4\.2-linux-amd64-bin\.tar\.gz\n$/);
    } finally {
      process.kill(pid, 'SIGTERM');
    }
    await expect.poll(() => isAlive(pid), { timeout: 10_000 }).toBe(false);
    // The temporary dir it made (CA, log) goes with a clean stop.
    expect(existsSync(path.dirname(env.TELEPORT_DOUBLE_CA!))).toBe(false);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
