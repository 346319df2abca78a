import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  describeNetworkError,
  getText,
  HttpStatusError,
  isRetryable,
  redactUrl,
  redactUrls,
  splitCredentials,
  TruncatedBodyError,
  withRetries,
} from './http';

const fast = { retries: 3, minDelayMs: 1, maxDelayMs: 2 };

describe('retries', () => {
  it('retries passing faults, reporting each retry, until an attempt succeeds', async () => {
    const retried: number[] = [];
    let calls = 0;
    const result = await withRetries(
      async () => {
        calls++;
        if (calls < 3) throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
        return 'ok';
      },
      (_err, n) => retried.push(n),
      fast,
    );
    expect(result).toBe('ok');
    expect(retried).toEqual([1, 2]);
  });

  it('gives up at once on a final answer', async () => {
    let calls = 0;
    const attempt = withRetries(
      async () => {
        calls++;
        throw new HttpStatusError('https://x/f', 404);
      },
      () => {},
      fast,
    );
    await expect(attempt).rejects.toThrow('https://x/f answered HTTP 404');
    expect(calls).toBe(1);
  });

  it('knows which faults are worth another try', () => {
    expect(isRetryable(new HttpStatusError('u', 503))).toBe(true);
    expect(isRetryable(new HttpStatusError('u', 429))).toBe(true);
    expect(isRetryable(new HttpStatusError('u', 403))).toBe(false);
    expect(isRetryable(new TruncatedBodyError('cut'))).toBe(true);
    expect(isRetryable(Object.assign(new Error('x'), { code: 'ENOTFOUND' }))).toBe(false);
  });
});

describe('network errors in plain words', () => {
  it.each([
    [new HttpStatusError('u', 502), 'HTTP 502'],
    [Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'connection refused'],
    [Object.assign(new Error('x'), { code: 'ENOTFOUND' }), 'host not found (DNS)'],
    [
      Object.assign(new Error('x'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }),
      /for a private CA set NODE_EXTRA_CA_CERTS/,
    ],
  ])('%s', (err, words) => {
    expect(describeNetworkError(err)).toMatch(words);
  });
});

describe('getText', () => {
  it('returns the body of a 2xx answer and raises the status otherwise', async () => {
    const server = createServer((req, res) => {
      res.statusCode = req.url === '/ok' ? 200 : 500;
      res.end('hello');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await expect(getText(`${base}/ok`)).resolves.toBe('hello');
      await expect(getText(`${base}/broken`)).rejects.toMatchObject({ status: 500 });
    } finally {
      server.close();
    }
  });
});

describe('credentials in URLs', () => {
  it('are redacted wherever a URL is shown', () => {
    expect(redactUrl('https://ci:pa%40ss@mirror.example.com/x.tar.gz')).toBe(
      'https://***@mirror.example.com/x.tar.gz',
    );
    expect(redactUrl('https://token@mirror.example.com/')).toBe('https://***@mirror.example.com/');
    expect(redactUrl('https://mirror.example.com/a@b')).toBe('https://mirror.example.com/a@b');
    expect(redactUrls('GET http://u:p@h/x failed, then https://v:q@k/y')).toBe(
      'GET http://***@h/x failed, then https://***@k/y',
    );
  });

  it('travel as a Basic header, not in the URL', () => {
    expect(splitCredentials('http://ci:pa%40ss@127.0.0.1:8080/f')).toEqual({
      url: 'http://127.0.0.1:8080/f',
      headers: { authorization: `Basic ${Buffer.from('ci:pa@ss').toString('base64')}` },
    });
    expect(splitCredentials('https://h/f')).toEqual({ url: 'https://h/f', headers: {} });
  });
});
