// The Actions cache double against the clients `@actions/cache` v6 uses: its twirp JSON calls
// (made here with fetch, as its HttpClient makes them) and the Azure SDK for uploads.
import { BlockBlobClient } from '@azure/storage-blob';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ActionsCacheServer, startActionsCacheServer } from '.';

let cache: ActionsCacheServer;
beforeEach(async () => {
  cache = await startActionsCacheServer();
});
afterEach(async () => {
  await cache.close();
});

async function twirp(method: string, body: unknown, token = cache.env.ACTIONS_RUNTIME_TOKEN) {
  const res = await fetch(
    `${cache.url}twirp/github.actions.results.api.v1.CacheService/${method}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    },
  );
  return { status: res.status, body: (await res.json()) as Record<string, string | boolean> };
}

/** Create, upload with the Azure SDK (single shot, or in blocks), finalize. */
async function save(key: string, version: string, data: Buffer, blockSize?: number) {
  const created = await twirp('CreateCacheEntry', { key, version });
  expect(created.body.ok).toBe(true);
  const client = new BlockBlobClient(String(created.body.signed_upload_url));
  await client.uploadData(data, {
    ...(blockSize ? { blockSize, maxSingleShotSize: blockSize } : {}),
    concurrency: 2,
  });
  return twirp('FinalizeCacheEntryUpload', { key, version, size_bytes: String(data.length) });
}

const lookup = (key: string, version: string, restore_keys: string[] = []) =>
  twirp('GetCacheEntryDownloadURL', { key, version, restore_keys });

describe('Actions cache double (cache service v2)', () => {
  it('gives the env a job needs for the v2 service', () => {
    expect(cache.env).toEqual({
      ACTIONS_RESULTS_URL: cache.url,
      ACTIONS_CACHE_SERVICE_V2: 'True',
      ACTIONS_RUNTIME_TOKEN: expect.any(String),
    });
    expect(cache.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('stores what the Azure SDK uploads in blocks and serves it back, whole or by range', async () => {
    const data = Buffer.from('0123456789'.repeat(10));
    const done = await save('k', 'v1', data, 16);
    expect(done.body).toEqual({ ok: true, entry_id: '1' });
    expect(cache.requests.filter((r) => r.kind === 'blob').map((r) => r.op)).toEqual([
      ...Array(7).fill('block'),
      'blocklist',
    ]);
    expect(cache.entries()).toMatchObject([{ key: 'k', version: 'v1', size: 100 }]);

    const hit = await lookup('k', 'v1');
    expect(hit.body).toMatchObject({ ok: true, matched_key: 'k' });
    const url = String(hit.body.signed_download_url);
    expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(data);
    const part = await fetch(url, { headers: { range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe('0123456789');
    expect(await new BlockBlobClient(url).downloadToBuffer()).toEqual(data);
  });

  it('matches the exact key, then key prefixes, then restore keys, newest first, same version only', async () => {
    await save('app-linux-1', 'v', Buffer.from('a'));
    await save('app-linux-2', 'v', Buffer.from('b'));
    await save('app-linux', 'other-version', Buffer.from('c'));
    const matched = async (key: string, restore: string[] = []) =>
      (await lookup(key, 'v', restore)).body.matched_key;
    expect(await matched('app-linux-1')).toBe('app-linux-1');
    expect(await matched('app-linux')).toBe('app-linux-2');
    expect(await matched('none', ['nope', 'app-'])).toBe('app-linux-2');
    expect((await lookup('app-linux', 'v2')).body).toMatchObject({ ok: false });
  });

  it('refuses a second entry with the same key and version, and uncommitted reads', async () => {
    await twirp('CreateCacheEntry', { key: 'k', version: 'v' });
    expect(await lookup('k', 'v')).toMatchObject({ status: 200, body: { ok: false } });
    expect(await twirp('CreateCacheEntry', { key: 'k', version: 'v' })).toMatchObject({
      status: 409,
      body: { code: 'already_exists' },
    });
    expect(
      (await twirp('FinalizeCacheEntryUpload', { key: 'k', version: 'v', size_bytes: '1' })).body,
    ).toMatchObject({ ok: false });
  });

  it('checks the runtime token and the blob signatures', async () => {
    expect(await twirp('CreateCacheEntry', { key: 'k', version: 'v' }, 'wrong')).toMatchObject({
      status: 401,
      body: { code: 'unauthenticated' },
    });
    const up = String(
      (await twirp('CreateCacheEntry', { key: 'k', version: 'v' })).body.signed_upload_url,
    );
    const forged = up.replace(/sig=[^&]+/, 'sig=forged');
    await expect(new BlockBlobClient(forged).uploadData(Buffer.from('x'))).rejects.toThrow(
      /Signature did not match/,
    );
    expect((await fetch(up)).status).toBe(403); // an upload URL does not read
  });

  it('answers 500s where a fault says, and heals', async () => {
    cache.inject('restore');
    expect((await lookup('k', 'v')).status).toBe(500);
    expect((await save('k', 'v', Buffer.from('x'))).body.ok).toBe(true);
    cache.inject({ fail: 'all', at: 'blob' });
    const url = String((await lookup('k', 'v')).body.signed_download_url);
    expect((await fetch(url)).status).toBe(500);
    cache.inject({ fail: 'save', at: 'CreateCacheEntry', status: 503 });
    expect(await twirp('CreateCacheEntry', { key: 'k2', version: 'v' })).toMatchObject({
      status: 503,
      body: { code: 'unavailable' },
    });
    cache.inject(null);
    expect((await fetch(url)).status).toBe(200);
  });

  it('does not speak the retired v1 REST API', async () => {
    const res = await fetch(`${cache.url}_apis/artifactcache/cache?keys=k&version=v`);
    expect(res.status).toBe(404);
    expect(cache.requests.at(-1)).toMatchObject({ kind: 'other', status: 404 });
  });
});
