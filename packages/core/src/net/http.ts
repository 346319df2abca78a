import { HttpClient } from '@actions/http-client';
import pRetry, { AbortError } from 'p-retry';
import { redactUrl, redactUrls } from './redact';

export { redactUrl, redactUrls } from './redact';

/** A non-2xx answer. 5xx, 408 and 429 are worth retrying; the rest are final. */
export class HttpStatusError extends Error {
  readonly url: string;
  constructor(
    url: string,
    readonly status: number,
  ) {
    super(`${redactUrl(url)} answered HTTP ${status}`);
    this.url = redactUrl(url);
  }
  get retryable(): boolean {
    return this.status >= 500 || this.status === 408 || this.status === 429;
  }
}

/** The connection closed before the whole body arrived. */
export class TruncatedBodyError extends Error {}

const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Whether a failed request may succeed if sent again. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof HttpStatusError) return err.retryable;
  if (err instanceof TruncatedBodyError) return true;
  const code = (err as { code?: string } | undefined)?.code;
  if (code && CONNECTION_ERRORS.has(code)) return true;
  const message = err instanceof Error ? err.message : '';
  return /socket hang up|Request timeout|aborted|terminated/i.test(message);
}

/** Plain words for a network failure, without the library's noise. */
export function describeNetworkError(err: unknown): string {
  if (err instanceof HttpStatusError) return `HTTP ${err.status}`;
  if (err instanceof TruncatedBodyError) return err.message;
  const code = (err as { code?: string } | undefined)?.code;
  const message = redactUrls(err instanceof Error ? err.message : String(err));
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
      return 'host not found (DNS)';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'ECONNRESET':
      return 'connection reset';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `TLS certificate not trusted (${code}); for a private CA set NODE_EXTRA_CA_CERTS`;
    default:
      return code ? `${message} (${code})` : message;
  }
}

export interface RetryPolicy {
  /** Further attempts after the first. */
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, minDelayMs: 250, maxDelayMs: 4000 };

/**
 * Runs `attempt` until it succeeds, retrying connection errors, 5xx and truncated bodies
 * with exponential backoff and full jitter; other errors end it at once.
 */
export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  onRetry: (err: unknown, attemptNumber: number) => void,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  return pRetry(
    async (n) => {
      try {
        return await attempt(n);
      } catch (err) {
        if (!isRetryable(err)) throw new AbortError(err as Error);
        throw err;
      }
    },
    {
      retries: policy.retries,
      factor: 2,
      minTimeout: policy.minDelayMs,
      maxTimeout: policy.maxDelayMs,
      randomize: true,
      onFailedAttempt: (err) => {
        if (err.retriesLeft > 0) onRetry(err, err.attemptNumber);
      },
    },
  );
}

type RequestHandler = NonNullable<ConstructorParameters<typeof HttpClient>[1]>[number];

/**
 * `@actions/http-client` hands the URL's host to DNS with its brackets (`[::1]`), which no
 * resolver knows: strip them so IPv6 proxies and mirrors work.
 */
const unbracketIpv6: RequestHandler = {
  prepareRequest(options) {
    if (typeof options.host === 'string') options.host = options.host.replace(/^\[(.*)\]$/, '$1');
  },
  canHandleAuthentication: () => false,
  handleAuthentication: async () => {
    throw new Error('no authentication handler');
  },
};

// One client per protocol: `@actions/http-client` keeps the agent of its first request, so a
// client that once spoke HTTPS (to the proxy) cannot then reach a plain-HTTP mirror.
const clients = new Map<string, HttpClient>();

/** The process's client for `url`'s protocol; it honours HTTPS_PROXY/NO_PROXY like other actions. */
export function httpClient(url = 'https:'): HttpClient {
  const protocol = url.startsWith('http:') ? 'http:' : 'https:';
  let client = clients.get(protocol);
  if (!client) {
    client = new HttpClient('teleport-actions', [unbracketIpv6], {
      socketTimeout: 30_000,
      allowRetries: false, // retries are ours: one policy, with jitter and logging
      allowRedirects: true,
      keepAlive: false,
    });
    clients.set(protocol, client);
  }
  return client;
}

/**
 * The URL without `user:password@`, and the Basic `Authorization` header that carries them
 * instead (the client would otherwise drop them silently).
 */
export function splitCredentials(url: string): { url: string; headers: Record<string, string> } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, headers: {} };
  }
  if (!parsed.username && !parsed.password) return { url, headers: {} };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  const basic = Buffer.from(`${user}:${password}`).toString('base64');
  return { url: parsed.toString(), headers: { authorization: `Basic ${basic}` } };
}

/** GET `url` (credentials in it become a header); the caller reads or drains the body. */
export function get(url: string, headers: Record<string, string> = {}) {
  const target = splitCredentials(url);
  return httpClient(target.url).get(target.url, { ...headers, ...target.headers });
}

/** GET a small text resource, raising HttpStatusError on a non-2xx answer. */
export async function getText(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await get(url, headers);
  const status = response.message.statusCode ?? 0;
  const body = await response.readBody();
  if (status < 200 || status >= 300) throw new HttpStatusError(url, status);
  return body;
}
