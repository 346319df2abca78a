import { mkdtemp } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isRetryable } from '../net/http';
import { downloadAndExtract, StalledDownloadError } from './download';

const log = { info() {}, warning() {}, debug() {} } as never;
const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A server announcing 1 MB, then doing `body` with the response. */
async function serve(body: (res: ServerResponse) => void): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-length': 1_000_000 });
    res.flushHeaders();
    body(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/t.tar.gz`;
}

async function attempt(url: string) {
  return downloadAndExtract({
    url,
    expectedSha256: '0'.repeat(64),
    stagingDir: join(await mkdtemp(join(tmpdir(), 'dl-')), 'staging'),
    members: ['teleport/tbot'],
    log,
    stall: { windowMs: 500, minBytes: 1000 },
  });
}

describe('a download that stalls', () => {
  it('ends an attempt that trickles (20 B per 100 ms), naming the URL and the rate it waited for', async () => {
    const url = await serve((res) => {
      const t = setInterval(() => res.write(Buffer.alloc(20)), 100);
      res.on('close', () => clearInterval(t));
    });
    const err = await attempt(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StalledDownloadError);
    expect((err as Error).message).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/t\.tar\.gz sent only \d+ bytes in 0\.5 s \(at least 1000 expected\)$/,
    );
    expect(isRetryable(err)).toBe(true);
  }, 5000);

  it('ends an attempt that sends headers, then nothing', async () => {
    const url = await serve(() => {});
    const err = await attempt(url).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(
      /^no data from http:\/\/127\.0\.0\.1:\d+\/t\.tar\.gz for 0\.5 s$/,
    );
  }, 5000);
});
