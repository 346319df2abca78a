import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { githubPreflight } from '../join/github';
import { githubPlatform } from './github';

let server: Server | undefined;
afterEach(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/idtoken?api-version=2.0`;
}

const envFor = (url: string) => ({
  ACTIONS_ID_TOKEN_REQUEST_URL: url,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-bearer',
});

describe('the GitHub ID token request is bounded', () => {
  it('a service that never answers fails in time, saying what was waited for', async () => {
    const url = await serve(() => {}); // accepts, never answers
    const platform = githubPlatform(envFor(url), { idTokenTimeoutMs: 300 });
    const started = Date.now();
    await expect(githubPreflight(platform)).rejects.toThrow(
      "Could not get a GitHub ID token for audience teleport.cluster.local: GitHub's ID token service (ACTIONS_ID_TOKEN_REQUEST_URL) did not answer within 0.3s",
    );
    expect(Date.now() - started).toBeLessThan(3000);
  }, 10_000);

  it('asks with the bearer and the audience, and returns the token', async () => {
    const seen: IncomingMessage[] = [];
    const url = await serve((req, res) => {
      seen.push(req);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ value: 'header.payload.signature' }));
    });
    const token = await githubPlatform(envFor(url)).getIDToken('teleport.cluster.local');
    expect(token).toBe('header.payload.signature');
    expect(seen[0]!.headers.authorization).toBe('Bearer request-bearer');
    expect(seen[0]!.url).toBe('/idtoken?api-version=2.0&audience=teleport.cluster.local');
  });
});

describe('an ID token fetched ahead of its use', () => {
  it('is one request, taken by the next getIDToken for its audience; a later one asks again', async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ value: `h.p.s${requests}` }));
    });
    const platform = githubPlatform(envFor(url));
    platform.prefetchIDToken?.('teleport.cluster.local');
    await new Promise((r) => setTimeout(r, 50)); // the request is under way meanwhile
    expect(requests).toBe(1);
    expect(await platform.getIDToken('teleport.cluster.local')).toBe('h.p.s1');
    expect(requests).toBe(1);
    expect(await platform.getIDToken('teleport.cluster.local')).toBe('h.p.s2');
  });

  it("its failure reaches the preflight's message, and is not reported before", async () => {
    const url = await serve((_req, res) => {
      res.statusCode = 500;
      res.end('no');
    });
    const platform = githubPlatform(envFor(url));
    platform.prefetchIDToken?.('teleport.cluster.local');
    await new Promise((r) => setTimeout(r, 50));
    await expect(githubPreflight(platform)).rejects.toThrow(
      /^Could not get a GitHub ID token for audience teleport\.cluster\.local: /,
    );
  });

  it('without the runner variables nothing is fetched; the preflight says what to add', async () => {
    const platform = githubPlatform({});
    platform.prefetchIDToken?.('teleport.cluster.local');
    await expect(githubPreflight(platform)).rejects.toThrow(/add 'permissions: id-token: write'/);
  });
});
