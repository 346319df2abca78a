// End to end: the committed `setup` bundle against mirrors (`cdn-base-url`): a plain-HTTP one
// behind Basic credentials, and hostile ones serving crafted tarballs.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { runAction } from '../runner';
import { expectOneLineFailure, expectSuccess, filesUnder, runnerFor } from './helpers';

const exec = promisify(execFile);
let double: Double;
const servers: Server[] = [];

beforeAll(async () => {
  double = await startDouble({ proxy: { serverVersion: '17.4.2', toolsVersion: '17.2.8' } });
});
afterAll(async () => {
  for (const s of servers) s.close();
  await double?.close();
});

interface Mirror {
  url: string;
  /** Requests seen: path and Authorization header. */
  seen: Array<{ path: string; authorization?: string }>;
}

/** A plain-HTTP mirror serving `files` (name → path) and their `.sha256`, optionally behind Basic auth. */
async function startMirror(
  files: Record<string, string>,
  auth?: { user: string; password: string },
): Promise<Mirror> {
  const seen: Mirror['seen'] = [];
  const expected =
    auth && `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
  const server = createServer(async (req, res) => {
    const path = req.url ?? '/';
    seen.push({ path, authorization: req.headers.authorization });
    if (expected && req.headers.authorization !== expected) {
      res.writeHead(403).end();
      return;
    }
    const name = path.slice(1);
    const file = files[name.replace(/\.sha256$/, '')];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    if (name.endsWith('.sha256')) {
      const sha = createHash('sha256')
        .update(await readFile(file))
        .digest('hex');
      res.end(`${sha}  ${name.slice(0, -'.sha256'.length)}\n`);
      return;
    }
    res.writeHead(200, { 'content-length': (await stat(file)).size });
    createReadStream(file).pipe(res);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const credentials = auth ? `${auth.user}:${auth.password}@` : '';
  return { url: `http://${credentials}127.0.0.1:${port}`, seen };
}

/**
 * What the step itself printed: without the runner's `▼ Run` header (which echoes the inputs
 * before any mask exists) and the `::add-mask::` commands that register the secret.
 */
const printed = (rawLog: string) =>
  rawLog
    .split('\n')
    .filter((l) => !/^(▼ Run | {2}|::add-mask::)/.test(l))
    .join('\n');

const OSS = { edition: 'oss' as const, os: 'linux' as const, arch: 'amd64' as const };

describe('plain-HTTP mirror with credentials in its URL', () => {
  it('installs with version: auto, sends the credentials as a header, never prints them, and says it was not TLS', async () => {
    const tarball = await double.cdn.tarball({ ...OSS, version: '17.2.8' });
    const password = 's3cr3t-mirror-pw';
    const mirror = await startMirror({ [tarball.name]: tarball.path }, { user: 'ci', password });
    const opts = await runnerFor(double);
    const job = await runAction(
      'packages/setup',
      { version: 'auto', proxy: double.proxy.addr, 'cdn-base-url': mirror.url },
      opts,
    );
    expectSuccess(job);
    const out = job.steps[0]!.outputs;
    expect(out.version).toBe('17.2.8');
    // The proxy (HTTPS) and then the mirror (HTTP) were reached by one process.
    expect(mirror.seen.map((s) => s.path)).toEqual([`/${tarball.name}.sha256`, `/${tarball.name}`]);
    expect(new Set(mirror.seen.map((s) => s.authorization))).toEqual(
      new Set([`Basic ${Buffer.from(`ci:${password}`).toString('base64')}`]),
    );
    const everything = [printed(job.rawLog), job.summary, JSON.stringify(out)].join('\n');
    expect(everything).not.toContain(password);
    expect(everything).not.toContain('ci:');
    expect(job.summary).toContain(`downloaded from http://***@127.0.0.1:`);
    expect(job.summary).toContain(
      'SHA-256 verified (but over plain HTTP, not TLS: pin `sha256` to protect against tampering).',
    );
    const warnings = job.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^http:\/\/\*\*\*@127\.0\.0\.1:\d+\/teleport-v17\.2\.8-linux-amd64-bin\.tar\.gz and its checksum came over plain HTTP, not TLS/,
      ),
    ]);
    const { stdout } = await exec(join(out.path!, 'tbot'), ['version']);
    expect(stdout).toMatch(/^Teleport v17\.2\.8 /);
  });

  it('redacts the credentials in a failure, and does not claim retries of a final 403', async () => {
    const mirror = await startMirror({}, { user: 'ci', password: 'wrong-on-purpose' });
    // The mirror answers 403 (final) to these credentials on every request.
    const url = mirror.url.replace('wrong-on-purpose', 'another-secret-pw');
    const opts = await runnerFor(double);
    const job = await runAction(
      'packages/setup',
      { version: '17.4.2', 'cdn-base-url': url, sha256: 'a'.repeat(64) },
      opts,
    );
    const message = expectOneLineFailure(
      job,
      /^setup: Could not download http:\/\/\*\*\*@127\.0\.0\.1:\d+\/teleport-v17\.4\.2-linux-amd64-bin\.tar\.gz: HTTP 403$/,
    );
    expect(message).not.toMatch(/retried/);
    expect(printed(job.rawLog)).not.toContain('another-secret-pw');
    expect(job.log).not.toMatch(/retrying/);
    expect(await filesUnder(opts.toolCache!)).toEqual([]);
  });
});

describe('hostile tarballs', () => {
  /** A tarball whose `teleport/tbot` is `make(dir)`'s doing; teleport, tsh and tctl are fine. */
  async function craft(make: (tbot: string) => Promise<void>) {
    const work = await mkdtemp(join(tmpdir(), 'hostile-'));
    const top = join(work, 'teleport');
    await mkdir(top);
    for (const n of ['teleport', 'tsh', 'tctl']) {
      await writeFile(join(top, n), '#!/bin/sh\necho ok\n', { mode: 0o755 });
    }
    await make(join(top, 'tbot'));
    const name = 'teleport-v17.4.2-linux-amd64-bin.tar.gz';
    await exec('tar', ['-czf', join(work, name), '-C', work, 'teleport']);
    return { work, name, path: join(work, name) };
  }

  it('refuses a tbot that is a symbolic link, and chmods nothing outside', async () => {
    const victimDir = await mkdtemp(join(tmpdir(), 'victim-'));
    const victim = join(victimDir, 'victim');
    await writeFile(victim, 'data\n');
    await chmod(victim, 0o644);
    const t = await craft((tbot) => symlink(victim, tbot));
    const mirror = await startMirror({ [t.name]: t.path });
    const opts = await runnerFor(double);
    const job = await runAction(
      'packages/setup',
      { version: '17.4.2', 'cdn-base-url': mirror.url },
      opts,
    );
    expectOneLineFailure(
      job,
      /^setup: The tarball http:\/\/127\.0\.0\.1:\d+\/\S+ holds teleport\/tbot as a symbolic link, not a file: refusing it/,
    );
    expect((await stat(victim)).mode & 0o777).toBe(0o644);
    expect(await filesUnder(opts.toolCache!)).toEqual([]);
  });

  it('refuses a tbot that is a folder', async () => {
    const t = await craft(async (tbot) => {
      await mkdir(tbot);
      await writeFile(join(tbot, 'payload'), 'x');
    });
    const mirror = await startMirror({ [t.name]: t.path });
    const opts = await runnerFor(double);
    const job = await runAction(
      'packages/setup',
      { version: '17.4.2', 'cdn-base-url': mirror.url },
      opts,
    );
    expectOneLineFailure(job, /holds teleport\/tbot as a folder, not a file: refusing it/);
    expect(await filesUnder(opts.toolCache!)).toEqual([]);
  });
});
