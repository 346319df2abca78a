import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ArtifactSpec } from './artifact';
import { type CdnServer, startCdn } from './cdn';
import { curl, httpsRequest, run } from './test-helpers';
import { createTestCa, type TestCa } from './tls';

let dir: string;
let ca: TestCa;
let cdn: CdnServer;

const SPEC: ArtifactSpec = { version: '17.4.2', edition: 'oss', os: 'linux', arch: 'amd64' };
const NAME = 'teleport-v17.4.2-linux-amd64-bin.tar.gz';
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'double-cdn-'));
  ca = await createTestCa(dir);
  cdn = await startCdn({ ca, cacheDir: path.join(dir, 'cache') });
  url = `${cdn.baseUrl}/${NAME}`;
});
afterEach(() => cdn.clearFaults());
afterAll(async () => {
  await cdn.close();
  await rm(dir, { recursive: true, force: true });
});

/** HTTP status of a GET (or other method) as curl sees it. */
async function statusOf(target: string, ...args: string[]): Promise<number> {
  const r = await curl(ca.certPath, '-o', '/dev/null', '-w', '%{http_code}', ...args, target);
  return Number(r.stdout);
}

const lastRequest = () => cdn.requests.at(-1);

describe('serving (teleport-behaviour.md §6.1, §6.2)', () => {
  it('has a https://localhost:<port> base URL without trailing slash', () => {
    expect(cdn.baseUrl).toMatch(/^https:\/\/localhost:\d+$/);
    expect(cdn.artifactUrl(SPEC)).toBe(url);
  });

  it('serves the tarball: curl | sha256sum equals the published .sha256', async () => {
    const piped = await run('sh', [
      '-c',
      'curl --cacert "$1" -fsS "$2" | sha256sum',
      'sh',
      ca.certPath,
      url,
    ]);
    const sum = await curl(ca.certPath, '-f', `${url}.sha256`);
    const expected = await cdn.tarball(SPEC);
    expect(sum.stdout).toBe(`${expected.sha256}  ${NAME}\n`);
    expect(piped.stdout).toBe(`${expected.sha256}  -\n`);
    expect(lastRequest()).toEqual({
      method: 'GET',
      path: `/${NAME}.sha256`,
      status: 200,
      bytesSent: 106,
    });
    expect(cdn.requests.at(-2)).toEqual({
      method: 'GET',
      path: `/${NAME}`,
      status: 200,
      bytesSent: expected.bytes,
    });
  });

  it('sends Content-Length and application/gzip, also for HEAD (no body)', async () => {
    const expected = await cdn.tarball(SPEC);
    const head = await httpsRequest(url, ca.certPem, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('application/gzip');
    expect(head.headers['content-length']).toBe(String(expected.bytes));
    expect(head.body.length).toBe(0);
    expect(lastRequest()).toMatchObject({ method: 'HEAD', status: 200, bytesSent: 0 });
  });

  it('serves every published edition and platform', async () => {
    for (const name of [
      'teleport-ent-v18.6.4-linux-arm64-bin.tar.gz',
      'teleport-ent-v16.5.4-linux-amd64-fips-bin.tar.gz',
      'teleport-v17.2.8-linux-386-bin.tar.gz',
      'teleport-v17.2.8-linux-arm-bin.tar.gz',
      'teleport-ent-v17.4.2-darwin-arm64-bin.tar.gz',
    ]) {
      expect(await statusOf(`${cdn.baseUrl}/${name}`), name).toBe(200);
      expect(await statusOf(`${cdn.baseUrl}/${name}.sha256`), name).toBe(200);
    }
  });

  it.each([
    ['an unknown version', 'teleport-v17.4.3-linux-amd64-bin.tar.gz'],
    ['its checksum', 'teleport-v17.4.3-linux-amd64-bin.tar.gz.sha256'],
    ['an unknown arch', 'teleport-v17.4.2-linux-riscv64-bin.tar.gz'],
    ['an unknown os', 'teleport-v17.4.2-windows-amd64-bin.tar.gz'],
    ['darwin FIPS', 'teleport-ent-v17.4.2-darwin-arm64-fips-bin.tar.gz'],
    ['darwin 386', 'teleport-v17.4.2-darwin-386-bin.tar.gz'],
    ['FIPS without -ent', 'teleport-v17.4.2-linux-amd64-fips-bin.tar.gz'],
    ['the root', ''],
    ['a random path', 'downloads/index.html'],
  ])('404s %s', async (_label, name) => {
    expect(await statusOf(`${cdn.baseUrl}/${name}`)).toBe(404);
    expect(lastRequest()?.status).toBe(404);
  });

  it('answers other methods with 405', async () => {
    expect(await statusOf(url, '-X', 'POST')).toBe(405);
  });

  it('publishes only the versions it was given', async () => {
    const other = await startCdn({ ca, cacheDir: path.join(dir, 'cache'), versions: ['15.4.24'] });
    try {
      expect(await statusOf(`${other.baseUrl}/teleport-v15.4.24-linux-amd64-bin.tar.gz`)).toBe(200);
      expect(await statusOf(`${other.baseUrl}/${NAME}`)).toBe(404);
    } finally {
      await other.close();
    }
  });
});

describe('faults', () => {
  it('status: 503 twice, then 200; checksums untouched by default', async () => {
    cdn.inject({ kind: 'status', times: 2 });
    expect(await statusOf(`${url}.sha256`)).toBe(200);
    expect(await statusOf(url)).toBe(503);
    expect(await statusOf(url)).toBe(503);
    expect(await statusOf(url)).toBe(200);
    expect(cdn.requests.slice(-3).map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('status: custom code and path filter', async () => {
    cdn.inject({ kind: 'status', status: 500, times: 1, path: '.sha256' });
    expect(await statusOf(url)).toBe(200);
    expect(await statusOf(`${url}.sha256`)).toBe(500);
    expect(await statusOf(`${url}.sha256`)).toBe(200);
  });

  it('drop-mid-body: full Content-Length, half the body, dead socket (curl 18)', async () => {
    const { bytes } = await cdn.tarball(SPEC);
    cdn.inject({ kind: 'drop-mid-body', times: 1 });
    const cut = await curl(ca.certPath, '-f', '-w', '%{size_download}', '-o', '/dev/null', url);
    expect(cut.code).toBe(18); // CURLE_PARTIAL_FILE
    expect(Number(cut.stdout)).toBe(Math.floor(bytes / 2));
    expect(lastRequest()).toMatchObject({ status: 200, bytesSent: Math.floor(bytes / 2) });
    const whole = await curl(ca.certPath, '-f', '-w', '%{size_download}', '-o', '/dev/null', url);
    expect(whole).toMatchObject({ code: 0, stdout: String(bytes) });
  });

  it('drop-mid-body: afterBytes, counting down over several requests', async () => {
    cdn.inject({ kind: 'drop-mid-body', times: 2, afterBytes: 1000 });
    for (const expected of [18, 18, 0]) {
      const r = await curl(ca.certPath, '-f', '-o', '/dev/null', url);
      expect(r.code).toBe(expected);
    }
    expect(cdn.requests.slice(-3).map((r) => r.bytesSent)).toEqual([
      1000,
      1000,
      (await cdn.tarball(SPEC)).bytes,
    ]);
  });

  it('drop-mid-body: a Node client sees an error, not a short success', async () => {
    cdn.inject({ kind: 'drop-mid-body', times: 1 });
    await expect(httpsRequest(url, ca.certPem)).rejects.toThrow(
      /aborted|closed|socket hang up|ECONNRESET/i,
    );
  });

  it('wrong-checksum: a valid-looking other hash that sha256sum -c rejects', async () => {
    const built = await cdn.tarball(SPEC);
    cdn.inject({ kind: 'wrong-checksum', times: 1 });
    const wrong = await curl(ca.certPath, '-f', `${url}.sha256`);
    expect(wrong.stdout).toMatch(new RegExp(`^[0-9a-f]{64}  ${NAME.replaceAll('.', '\\.')}\\n$`));
    expect(wrong.stdout.slice(0, 64)).not.toBe(built.sha256);
    const check = await run('sha256sum', ['-c', '-'], {
      cwd: path.dirname(built.path),
      input: wrong.stdout,
    });
    expect(check.code).toBe(1);
    expect((await curl(ca.certPath, '-f', `${url}.sha256`)).stdout).toBe(built.sha256Text);
  });

  it('wrong-checksum without times stays until clearFaults', async () => {
    const built = await cdn.tarball(SPEC);
    cdn.inject({ kind: 'wrong-checksum' });
    for (let i = 0; i < 3; i++) {
      expect((await curl(ca.certPath, '-f', `${url}.sha256`)).stdout).not.toBe(built.sha256Text);
    }
    cdn.clearFaults();
    expect((await curl(ca.certPath, '-f', `${url}.sha256`)).stdout).toBe(built.sha256Text);
  });

  it('missing-checksum: the .sha256 is a 404 while the tarball stays', async () => {
    cdn.inject({ kind: 'missing-checksum', times: 1 });
    expect(await statusOf(url)).toBe(200);
    expect(await statusOf(`${url}.sha256`)).toBe(404);
    expect(await statusOf(`${url}.sha256`)).toBe(200);
  });

  it('slow-body: throttles to about bytesPerSecond, with the right bytes', async () => {
    const built = await cdn.tarball(SPEC);
    cdn.inject({ kind: 'slow-body', bytesPerSecond: built.bytes * 2, times: 1 }); // ~0.5 s
    const started = Date.now();
    const r = await run('sh', [
      '-c',
      'curl --cacert "$1" -fsS "$2" | sha256sum',
      'sh',
      ca.certPath,
      url,
    ]);
    const elapsed = Date.now() - started;
    expect(r.stdout).toBe(`${built.sha256}  -\n`);
    expect(elapsed).toBeGreaterThanOrEqual(400);
    expect(elapsed).toBeLessThan(5000);
  });
});
