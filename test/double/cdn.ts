// The cdn.teleport.dev double (teleport-behaviour.md §6): serves release tarballs and their `.sha256` files
// over HTTPS, 404s everything else like the real CDN, and can inject download faults.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ArtifactSpec,
  artifactName,
  isPublished,
  parseArtifactName,
  type TarballSize,
} from './artifact';
import { type Fault, FaultSet, type Target } from './faults';
import { listenHttps } from './https-server';
import { type BuiltTarball, buildTarball } from './tarball';
import type { TestCa } from './tls';

export type { Fault } from './faults';

/** Versions the double publishes unless told otherwise. */
// 17.1.0: a 17.x before allow_reissue (17.2.8), kubernetes/v2 (17.2.0) and credential_ttl
// (17.3.0), for the stand-in tbot's version matrix (standin/README.md).
export const DEFAULT_VERSIONS = ['16.5.4', '17.1.0', '17.2.8', '17.4.2', '18.6.4'];

export interface CdnOptions {
  ca: TestCa;
  cacheDir: string;
  versions?: string[];
  size?: TarballSize;
}

export interface CdnRequest {
  method: string;
  /** The request target as sent (path and query). */
  path: string;
  /** 0 while no response has been started (e.g. the client left first). */
  status: number;
  /** Body bytes handed to the connection. */
  bytesSent: number;
}

export interface CdnServer {
  /** `https://localhost:<port>`, no trailing slash: the TELEPORT_CDN_BASE_URL. */
  baseUrl: string;
  versions: string[];
  size: TarballSize;
  close(): Promise<void>;
  inject(fault: Fault): void;
  clearFaults(): void;
  requests: CdnRequest[];
  /** The tarball the CDN serves for `spec` (size defaults to the server's), built if needed. */
  tarball(spec: ArtifactSpec & { size?: TarballSize }): Promise<BuiltTarball>;
  /** `<baseUrl>/<artifact name>`. */
  artifactUrl(spec: ArtifactSpec): string;
}

// Big reads keep the per-chunk JavaScript negligible when piping a 180 MiB bench tarball.
const READ_CHUNK = 1024 * 1024;

export async function startCdn(opts: CdnOptions): Promise<CdnServer> {
  const versions = [...(opts.versions ?? DEFAULT_VERSIONS)];
  const size = opts.size ?? 'small';
  const faults = new FaultSet();
  const requests: CdnRequest[] = [];

  const tarball = (spec: ArtifactSpec & { size?: TarballSize }) =>
    buildTarball({ ...spec, size: spec.size ?? size }, opts.cacheDir);

  /** The artifact behind a file name, if this CDN publishes it. */
  function published(name: string): ArtifactSpec | undefined {
    const spec = parseArtifactName(name);
    return spec && versions.includes(spec.version) && isPublished(spec) ? spec : undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, log: CdnRequest): Promise<void> {
    const target = req.url ?? '/';
    const name = safeDecode(new URL(target, 'https://cdn.invalid').pathname.slice(1));
    const isChecksum = name.endsWith('.sha256');
    const kind: Target = isChecksum ? 'checksum' : name.endsWith('.tar.gz') ? 'tarball' : 'other';

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendText(res, log, 405, 'Method Not Allowed\n', { allow: 'GET, HEAD' });
    }
    const statusFault = faults.take('status', target, kind);
    if (statusFault) {
      const status = statusFault.status ?? 503;
      return sendText(res, log, status, `injected fault: HTTP ${status}\n`);
    }

    if (isChecksum) {
      const spec = published(name.slice(0, -'.sha256'.length));
      if (!spec || faults.take('missing-checksum', target, kind)) return notFound(res, log, name);
      const built = await tarball(spec);
      const text = faults.take('wrong-checksum', target, kind)
        ? // Same format, another (stable) hash: a corrupted or mismatched release, teleport-behaviour.md §6.2.
          `${createHash('sha256').update(built.sha256).digest('hex')}  ${built.name}\n`
        : built.sha256Text;
      return sendText(res, log, 200, text);
    }

    const spec = published(name);
    if (!spec) return notFound(res, log, name);
    const built = await tarball(spec);
    log.status = 200;
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': built.bytes });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const drop = faults.take('drop-mid-body', target, kind);
    if (drop) return dropMidBody(res, log, built, drop.afterBytes ?? Math.floor(built.bytes / 2));
    const slow = faults.take('slow-body', target, kind);
    if (slow) return slowBody(res, log, built, slow.bytesPerSecond);

    const stream = createReadStream(built.path, { highWaterMark: READ_CHUNK });
    stream.on('data', (chunk) => {
      log.bytesSent += chunk.length;
    });
    res.on('close', () => stream.destroy());
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  const server = await listenHttps(opts.ca, (req, res) => {
    const log: CdnRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      status: 0,
      bytesSent: 0,
    };
    requests.push(log);
    return handle(req, res, log);
  });
  const baseUrl = `https://localhost:${server.port}`;

  return {
    baseUrl,
    versions,
    size,
    close: () => server.close(),
    inject: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    requests,
    tarball,
    artifactUrl: (spec) => `${baseUrl}/${artifactName(spec)}`,
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function sendText(
  res: ServerResponse,
  log: CdnRequest,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  log.status = status;
  const buf = Buffer.from(body);
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': buf.length,
    ...headers,
  });
  if (res.req.method === 'HEAD') {
    res.end();
    return;
  }
  log.bytesSent = buf.length;
  res.end(buf);
}

/** A missing object: 404 with an S3-style XML body, as the CDN's storage answers. */
function notFound(res: ServerResponse, log: CdnRequest, key: string): void {
  log.status = 404;
  const body = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code>' +
      `<Message>The specified key does not exist.</Message><Key>${escapeXml(key)}</Key></Error>`,
  );
  res.writeHead(404, { 'content-type': 'application/xml', 'content-length': body.length });
  if (res.req.method === 'HEAD') {
    res.end();
    return;
  }
  log.bytesSent = body.length;
  res.end(body);
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Writes the first `afterBytes` bytes, waits until they left the process, kills the socket. */
function dropMidBody(
  res: ServerResponse,
  log: CdnRequest,
  built: BuiltTarball,
  afterBytes: number,
): void {
  const limit = Math.max(0, Math.min(afterBytes, built.bytes));
  const kill = () => res.socket?.destroy();
  if (limit === 0) {
    res.flushHeaders();
    setImmediate(kill);
    return;
  }
  const stream = createReadStream(built.path, {
    start: 0,
    end: limit - 1,
    highWaterMark: READ_CHUNK,
  });
  let last: Promise<void> = Promise.resolve();
  stream.on('data', (chunk) => {
    log.bytesSent += chunk.length;
    last = new Promise((resolve) => res.write(chunk, () => resolve()));
    // Respect backpressure so "sent" means written to the socket, not queued in memory.
    if (res.writableNeedDrain) {
      stream.pause();
      res.once('drain', () => stream.resume());
    }
  });
  stream.on('end', () => void last.then(kill));
  stream.on('error', kill);
  res.on('close', () => stream.destroy());
}

/** Streams the tarball at about `bytesPerSecond`, in ~10 slices a second. */
function slowBody(
  res: ServerResponse,
  log: CdnRequest,
  built: BuiltTarball,
  bytesPerSecond: number,
): void {
  const rate = Math.max(1, bytesPerSecond);
  const slice = Math.max(1, Math.min(64 * 1024, Math.floor(rate / 10)));
  const stream = createReadStream(built.path, { highWaterMark: slice });
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  stream.on('data', (chunk) => {
    stream.pause();
    res.write(chunk);
    log.bytesSent += chunk.length;
    const due = (log.bytesSent / rate) * 1000 - (Date.now() - started);
    timer = setTimeout(() => stream.resume(), Math.max(0, due));
  });
  stream.on('end', () => res.end());
  stream.on('error', () => res.destroy());
  res.on('close', () => {
    clearTimeout(timer);
    stream.destroy();
  });
}
