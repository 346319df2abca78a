// A double of GitHub's Actions cache service as `@actions/cache` v6 speaks to it on GitHub
// today (cache service v2): the twirp JSON API `github.actions.results.api.v1.CacheService` at
// ACTIONS_RESULTS_URL, and the blob store its signed URLs point at (Azure Blob's Put Blob /
// Put Block / Put Block List for uploads, a plain GET for downloads). See README.md.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Which operations answer HTTP 500 (twirp `internal`, Azure `InternalError`). */
export type CacheOperation = 'all' | 'save' | 'restore';

export type CacheFault =
  | CacheOperation
  | {
      fail: CacheOperation;
      /** Default 500. */
      status?: number;
      /** Only the twirp API, only the blob store, or only one twirp method; default all. */
      at?: 'api' | 'blob' | CacheRpc;
    };

export type CacheRpc = 'GetCacheEntryDownloadURL' | 'CreateCacheEntry' | 'FinalizeCacheEntryUpload';

export interface ActionsCacheOptions {
  /** A fault from the start; `inject()` changes it later. */
  fail?: CacheFault;
}

export interface CacheRequest {
  method: string;
  /** Path and query as sent (signatures included: they are fake). */
  path: string;
  /** `twirp` (the API), `blob` (signed URLs) or `other` (anything else, e.g. the v1 REST API). */
  kind: 'twirp' | 'blob' | 'other';
  /** The twirp method, e.g. `GetCacheEntryDownloadURL`. */
  rpc?: string;
  /** For blob PUTs: `blob` (Put Blob), `block`, `blocklist`. */
  op?: string;
  status: number;
}

export interface CacheEntry {
  id: number;
  key: string;
  version: string;
  size: number;
  createdAt: Date;
}

export interface ActionsCacheServer {
  /** ACTIONS_RESULTS_URL, ACTIONS_CACHE_SERVICE_V2, ACTIONS_RUNTIME_TOKEN: what a job needs. */
  env: Record<string, string>;
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  /** Committed (finalized) entries, oldest first. */
  entries(): CacheEntry[];
  /** The archive bytes of a committed entry. */
  archive(key: string, version?: string): Buffer | undefined;
  requests: CacheRequest[];
  /** Sets the fault (replacing any other); `null` heals the service. */
  inject(fault: CacheFault | null): void;
  close(): Promise<void>;
}

const SERVICE = 'github.actions.results.api.v1.CacheService';
const ACCOUNT = 'actionscache';
const CONTAINER = 'cache';
const BLOB_API_VERSION = '2025-11-05';

interface Stored {
  id: number;
  key: string;
  version: string;
  createdAt: Date;
  /** Set by the upload (Put Blob or Put Block List). */
  data?: Buffer;
  blocks: Map<string, Buffer>;
  finalized: boolean;
  uploadSig: string;
  downloadSig: string;
}

/** Twirp's error codes by HTTP status (https://twitchtv.github.io/twirp/docs/spec_v7.html). */
const TWIRP_CODES: Record<number, string> = {
  400: 'invalid_argument',
  401: 'unauthenticated',
  403: 'permission_denied',
  404: 'not_found',
  409: 'already_exists',
  412: 'failed_precondition',
  429: 'resource_exhausted',
  500: 'internal',
  503: 'unavailable',
  504: 'deadline_exceeded',
};

class TwirpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    msg: string,
  ) {
    super(msg);
  }
}

export async function startActionsCacheServer(
  opts: ActionsCacheOptions = {},
): Promise<ActionsCacheServer> {
  const token = `fake-runtime-token.${randomBytes(12).toString('hex')}`;
  const stored: Stored[] = [];
  const requests: CacheRequest[] = [];
  let fault: CacheFault | null = opts.fail ?? null;
  let nextId = 1;
  let url = '';

  /** The injected status for this request, if the fault covers it. */
  function faultFor(operation: 'save' | 'restore', at: 'blob' | string): number | undefined {
    if (fault === null) return undefined;
    const f = typeof fault === 'string' ? { fail: fault } : fault;
    if (f.fail !== 'all' && f.fail !== operation) return undefined;
    if (f.at !== undefined && f.at !== at && !(f.at === 'api' && at !== 'blob')) return undefined;
    return f.status ?? 500;
  }

  const blobUrl = (e: Stored, sig: string, perms: string) => {
    const se = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const q = new URLSearchParams({ sv: BLOB_API_VERSION, sr: 'b', sp: perms, se, sig });
    return `${url}${ACCOUNT}/${CONTAINER}/${e.id}?${q}`;
  };

  /** Exact key, then prefix of the key, then each restore key (exact, then prefix): newest first. */
  function lookup(key: string, restoreKeys: string[], version: string): Stored | undefined {
    const ready = stored.filter((e) => e.finalized && e.version === version).reverse();
    for (const k of [key, ...restoreKeys]) {
      const hit = ready.find((e) => e.key === k) ?? ready.find((e) => e.key.startsWith(k));
      if (hit) return hit;
    }
    return undefined;
  }

  function rpc(method: string, body: Record<string, unknown>): Record<string, unknown> {
    const key = typeof body.key === 'string' ? body.key : '';
    const version = typeof body.version === 'string' ? body.version : '';
    if (!key || !version)
      throw new TwirpError(400, 'invalid_argument', 'key and version are required');
    switch (method) {
      case 'GetCacheEntryDownloadURL': {
        const restoreKeys = Array.isArray(body.restore_keys) ? body.restore_keys.map(String) : [];
        const hit = lookup(key, restoreKeys, version);
        if (!hit) return { ok: false, signed_download_url: '', matched_key: '' };
        return {
          ok: true,
          signed_download_url: blobUrl(hit, hit.downloadSig, 'r'),
          matched_key: hit.key,
        };
      }
      case 'CreateCacheEntry': {
        if (stored.some((e) => e.key === key && e.version === version)) {
          throw new TwirpError(
            409,
            'already_exists',
            'cache entry with the same key, version, and scope already exists',
          );
        }
        const e: Stored = {
          id: nextId++,
          key,
          version,
          createdAt: new Date(),
          blocks: new Map(),
          finalized: false,
          uploadSig: randomBytes(16).toString('base64url'),
          downloadSig: randomBytes(16).toString('base64url'),
        };
        stored.push(e);
        return { ok: true, signed_upload_url: blobUrl(e, e.uploadSig, 'cw') };
      }
      case 'FinalizeCacheEntryUpload': {
        const e = stored.find((s) => s.key === key && s.version === version && !s.finalized);
        if (!e) throw new TwirpError(404, 'not_found', 'cache entry not found');
        if (!e.data) return { ok: false, entry_id: '0', message: 'no blob was uploaded' };
        if (String(body.size_bytes) !== String(e.data.length)) {
          return {
            ok: false,
            entry_id: '0',
            message: `size_bytes ${String(body.size_bytes)} does not match the ${e.data.length} bytes uploaded`,
          };
        }
        e.finalized = true;
        e.blocks.clear();
        return { ok: true, entry_id: String(e.id) };
      }
      default:
        throw new TwirpError(404, 'bad_route', `no handler for path "/twirp/${SERVICE}/${method}"`);
    }
  }

  async function handleTwirp(req: IncomingMessage, res: ServerResponse, log: CacheRequest) {
    const method = log.rpc ?? '';
    const send = (status: number, body: unknown) => {
      log.status = status;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const body = await readBody(req);
    try {
      if (req.method !== 'POST') throw new TwirpError(404, 'bad_route', 'twirp needs POST');
      if (req.headers.authorization !== `Bearer ${token}`) {
        throw new TwirpError(401, 'unauthenticated', 'invalid or missing runtime token');
      }
      if (!String(req.headers['content-type']).startsWith('application/json')) {
        throw new TwirpError(400, 'malformed', 'this double speaks the JSON flavour of twirp');
      }
      const op = method === 'GetCacheEntryDownloadURL' ? 'restore' : 'save';
      const injected = faultFor(op, method);
      if (injected !== undefined) {
        throw new TwirpError(injected, TWIRP_CODES[injected] ?? 'internal', 'injected fault');
      }
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw new TwirpError(400, 'malformed', 'the body is not JSON');
      }
      send(200, rpc(method, parsed));
    } catch (err) {
      if (!(err instanceof TwirpError)) throw err;
      send(err.status, { code: err.code, msg: err.message });
    }
  }

  async function handleBlob(
    req: IncomingMessage,
    res: ServerResponse,
    log: CacheRequest,
    target: URL,
  ) {
    const sendError = (status: number, code: string, message: string) => {
      log.status = status;
      const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
      res.writeHead(status, {
        'content-type': 'application/xml',
        'x-ms-error-code': code,
        'x-ms-request-id': randomUUID(),
        'x-ms-version': BLOB_API_VERSION,
      });
      res.end(req.method === 'HEAD' ? undefined : xml);
    };
    const body = await readBody(req);
    const id = Number(target.pathname.split('/')[3]);
    const e = stored.find((s) => s.id === id);
    const sig = target.searchParams.get('sig');
    const writing = req.method === 'PUT';
    if (!e || !sig || sig !== (writing ? e.uploadSig : e.downloadSig)) {
      return sendError(403, 'AuthenticationFailed', 'Signature did not match.');
    }
    const injected = faultFor(writing ? 'save' : 'restore', 'blob');
    if (injected !== undefined) return sendError(injected, 'InternalError', 'injected fault');
    const headers = {
      etag: `"0x${id.toString(16).padStart(15, '8')}"`,
      'last-modified': e.createdAt.toUTCString(),
      'x-ms-request-id': randomUUID(),
      'x-ms-version': BLOB_API_VERSION,
    };

    if (writing) {
      if (e.finalized) return sendError(409, 'BlobImmutable', 'The cache entry is committed.');
      const comp = target.searchParams.get('comp');
      log.op = comp ?? 'blob';
      if (comp === 'block') {
        const blockId = target.searchParams.get('blockid');
        if (!blockId) return sendError(400, 'InvalidQueryParameterValue', 'blockid is missing');
        e.blocks.set(blockId, body);
      } else if (comp === 'blocklist') {
        const ids = [
          ...body.toString('utf8').matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)</g),
        ].map((m) => m[2]!);
        const parts = ids.map((b) => e.blocks.get(b));
        if (parts.some((p) => p === undefined)) {
          return sendError(400, 'InvalidBlockList', 'The specified block list is invalid.');
        }
        e.data = Buffer.concat(parts as Buffer[]);
      } else if (comp === null) {
        if (req.headers['x-ms-blob-type'] !== 'BlockBlob') {
          return sendError(400, 'MissingRequiredHeader', 'x-ms-blob-type: BlockBlob is required');
        }
        e.data = body;
      } else {
        return sendError(400, 'InvalidQueryParameterValue', `comp=${comp} is not supported`);
      }
      log.status = 201;
      res.writeHead(201, { ...headers, 'x-ms-request-server-encrypted': 'true' });
      return res.end();
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendError(405, 'UnsupportedHttpVerb', `${req.method} is not supported`);
    }
    if (!e.finalized || !e.data) return sendError(404, 'BlobNotFound', 'The blob does not exist.');
    const data = e.data;
    let [start, end] = [0, data.length - 1];
    const range = /^bytes=(\d+)-(\d*)$/.exec(
      String(req.headers.range ?? req.headers['x-ms-range']),
    );
    if (range) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]), data.length - 1) : data.length - 1;
      if (start > end) return sendError(416, 'InvalidRange', 'The range is not satisfiable.');
    }
    const status = range ? 206 : 200;
    log.status = status;
    res.writeHead(status, {
      ...headers,
      'content-type': 'application/octet-stream',
      'content-length': String(end - start + 1),
      'accept-ranges': 'bytes',
      'x-ms-blob-type': 'BlockBlob',
      ...(range ? { 'content-range': `bytes ${start}-${end}/${data.length}` } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : data.subarray(start, end + 1));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const target = new URL(req.url ?? '/', 'http://cache.invalid');
    const parts = target.pathname.split('/').filter((p) => p !== '');
    const log: CacheRequest = {
      method: req.method ?? '',
      path: req.url ?? '/',
      kind: 'other',
      status: 0,
    };
    requests.push(log);
    if (parts[0] === 'twirp' && parts[1] === SERVICE && parts.length === 3) {
      log.kind = 'twirp';
      log.rpc = parts[2];
      return handleTwirp(req, res, log);
    }
    if (parts[0] === ACCOUNT && parts[1] === CONTAINER && parts.length === 3) {
      log.kind = 'blob';
      return handleBlob(req, res, log, target);
    }
    // Anything else, the v1 `_apis/artifactcache` REST API included: this double is v2 only.
    await readBody(req);
    log.status = 404;
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found (the Actions cache double speaks cache service v2 only)\n');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`double error: ${err instanceof Error ? err.message : String(err)}\n`);
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  return {
    url,
    env: {
      ACTIONS_RESULTS_URL: url,
      ACTIONS_CACHE_SERVICE_V2: 'True',
      ACTIONS_RUNTIME_TOKEN: token,
    },
    entries: () =>
      stored
        .filter((e) => e.finalized)
        .map((e) => ({
          id: e.id,
          key: e.key,
          version: e.version,
          size: e.data!.length,
          createdAt: e.createdAt,
        })),
    archive: (key, version) =>
      stored.find((e) => e.finalized && e.key === key && (version ?? e.version) === e.version)
        ?.data,
    requests,
    inject: (f) => {
      fault = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
