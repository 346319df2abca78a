// The Teleport proxy double: the unauthenticated web API over HTTPS (teleport-behaviour.md §5), on a route
// table that later tasks extend with addRoute() (e.g. the auth/join API).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { listenHttps } from './https-server';
import { type Params, Router } from './router';
import type { TestCa } from './tls';
import { findResponse, type ProxyEdition, type ProxySettings, pingResponse } from './webapi';

export type { ProxyEdition, ProxySettings } from './webapi';

export interface ProxyOptions {
  ca: TestCa;
  /** Default `teleport.example.test`. */
  clusterName?: string;
  /** Without `v`; default `17.4.2`. */
  serverVersion?: string;
  /** `auto_update.tools_version`; defaults to serverVersion (teleport-behaviour.md §5.1). */
  toolsVersion?: string;
  /** `auto_update.tools_auto_update`; default false. */
  toolsAutoUpdate?: boolean;
  /** Default `oss`, or `ent` when `fips` is set. */
  edition?: ProxyEdition;
  fips?: boolean;
  /** An older proxy: no `auto_update`, `edition` or `fips` fields (teleport-behaviour.md §5.1). */
  legacy?: boolean;
  /** Answer every path with an HTML page, like a web server that is not Teleport. */
  html?: boolean;
  /**
   * Client CAs for mutual TLS (the auth double's TLS user CA): the proxy then asks every client
   * for a certificate, and handlers read the verified one with `ctx.peer()`.
   */
  clientCaPems?: string[];
}

/** The client certificate of a request, when one was presented. */
export interface PeerInfo {
  /** Whether it chains to one of `clientCaPems` and is within its validity period. */
  authorized: boolean;
  /** Why not, when not (node's verify error, e.g. `CERT_HAS_EXPIRED`). */
  error?: string;
  /** Upper-case hex, as node reports it. */
  serialNumber: string;
  subject: PeerCertificate['subject'];
  validTo: string;
}

/** The certificate a request's TLS socket presented, if any. */
export function peerOf(req: IncomingMessage): PeerInfo | undefined {
  const socket = req.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return undefined;
  const err = socket.authorizationError;
  return {
    authorized: socket.authorized,
    ...(err ? { error: String(err) } : {}),
    serialNumber: cert.serialNumber,
    subject: cert.subject,
    validTo: cert.valid_to,
  };
}

export interface ProxyContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Params;
  /** The proxy's current settings, defaults applied. */
  settings: ProxySettings;
  json(status: number, body: unknown): void;
  /** Teleport's error shape: `{"error":{"message":"..."}}`. */
  error(status: number, message: string): void;
  /** Reads and parses a JSON request body (undefined when empty). */
  readJson(): Promise<unknown>;
  /** The client certificate (mutual TLS), if the client presented one. */
  peer(): PeerInfo | undefined;
}

export type ProxyHandler = (ctx: ProxyContext) => void | Promise<void>;

/** Handles an HTTP Upgrade request; it owns `socket` (the proxy destroys it on close()). */
export interface UpgradeContext {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  url: URL;
  settings: ProxySettings;
  peer(): PeerInfo | undefined;
  /** Answers with a plain HTTP error (Teleport's JSON error shape) and closes the socket. */
  reject(status: number, message: string): void;
}

export type UpgradeHandler = (ctx: UpgradeContext) => void | Promise<void>;

export interface ProxyServer {
  /** `localhost:<port>`: what a user passes as the proxy input. */
  addr: string;
  /** `https://localhost:<port>`. */
  url: string;
  close(): Promise<void>;
  requests: Array<{ method: string; path: string }>;
  /** Changes the proxy's options from the next request on. */
  update(opts: Partial<ProxyOptions>): void;
  addRoute(method: string, path: string, handler: ProxyHandler): void;
  /** Routes `Connection: Upgrade` requests for an exact path (e.g. the tunnels). */
  addUpgradeRoute(path: string, handler: UpgradeHandler): void;
}

export const DEFAULT_CLUSTER_NAME = 'teleport.example.test';
export const DEFAULT_SERVER_VERSION = '17.4.2';

/** The routes every proxy double serves (teleport-behaviour.md §5.1, §5.2). */
export const webapiRoutes: Array<[method: string, path: string, handler: ProxyHandler]> = [
  ['GET', '/webapi/find', (ctx) => ctx.json(200, findResponse(ctx.settings))],
  ['GET', '/webapi/ping', (ctx) => ctx.json(200, pingResponse(ctx.settings))],
  [
    'GET',
    '/webapi/ping/:connector',
    (ctx) =>
      ctx.params.connector === 'local'
        ? ctx.json(200, pingResponse(ctx.settings))
        : ctx.error(400, `auth connector "${ctx.params.connector}" not found`),
  ],
];

function settingsOf(opts: ProxyOptions, addr: string): ProxySettings {
  const serverVersion = (opts.serverVersion ?? DEFAULT_SERVER_VERSION).replace(/^v/, '');
  return {
    addr,
    clusterName: opts.clusterName ?? DEFAULT_CLUSTER_NAME,
    serverVersion,
    toolsVersion: (opts.toolsVersion ?? serverVersion).replace(/^v/, ''),
    toolsAutoUpdate: opts.toolsAutoUpdate ?? false,
    edition: opts.edition ?? (opts.fips ? 'ent' : 'oss'),
    fips: opts.fips ?? false,
    legacy: opts.legacy ?? false,
  };
}

const HTML_PAGE = `<!DOCTYPE html>
<html>
<head><title>Welcome</title></head>
<body><h1>It works!</h1><p>This web server is not a Teleport proxy.</p></body>
</html>
`;

export async function startProxy(opts: ProxyOptions): Promise<ProxyServer> {
  let options: ProxyOptions = { ...opts };
  const router = new Router<ProxyHandler>();
  for (const [method, path, handler] of webapiRoutes) router.add(method, path, handler);
  const requests: ProxyServer['requests'] = [];
  const upgradeRoutes = new Map<string, UpgradeHandler>();
  const upgraded = new Set<Duplex>();
  let addr = '';

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/' });
    // A tunnel carries half-closes: the client may end its side and still read the answer.
    (socket as Duplex & { allowHalfOpen: boolean }).allowHalfOpen = true;
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', `https://${addr}`);
    const reject = (status: number, message: string) => {
      const body = JSON.stringify({ error: { message } });
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
          'content-type: application/json\r\n' +
          `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    };
    const handler = upgradeRoutes.get(url.pathname);
    if (!handler) return reject(404, 'not found');
    Promise.resolve(
      handler({
        req,
        socket,
        head,
        url,
        settings: settingsOf(options, addr),
        peer: () => peerOf(req),
        reject,
      }),
    ).catch((err: unknown) => reject(500, `double error: ${String(err)}`));
  };

  const server = await listenHttps(
    opts.ca,
    async (req, res) => {
      const method = req.method ?? 'GET';
      requests.push({ method, path: req.url ?? '/' });
      const url = new URL(req.url ?? '/', `https://${addr}`);
      const json = (status: number, body: unknown) => {
        const buf = Buffer.from(JSON.stringify(body));
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': buf.length });
        res.end(buf);
      };
      const error = (status: number, message: string) => json(status, { error: { message } });

      if (options.html) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(HTML_PAGE);
        return;
      }
      const match = router.match(method, url.pathname);
      if (match.kind === 'none') return error(404, 'not found');
      if (match.kind === 'wrong-method') {
        res.setHeader('allow', match.allowed.join(', '));
        return error(405, 'method not allowed');
      }
      await match.handler({
        req,
        res,
        url,
        params: match.params,
        settings: settingsOf(options, addr),
        json,
        error,
        readJson: () => readJson(req),
        peer: () => peerOf(req),
      });
    },
    { clientCaPems: opts.clientCaPems, onUpgrade },
  );
  addr = `localhost:${server.port}`;

  return {
    addr,
    url: `https://${addr}`,
    close: () => {
      for (const socket of upgraded) socket.destroy();
      return server.close();
    },
    requests,
    update: (patch) => {
      options = { ...options, ...patch };
    },
    addRoute: (method, path, handler) => {
      router.add(method, path, handler);
    },
    addUpgradeRoute: (path, handler) => {
      upgradeRoutes.set(path, handler);
    },
  };
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? undefined : JSON.parse(text);
}
