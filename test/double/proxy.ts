// The Teleport proxy double: the unauthenticated web API over HTTPS (facts §5), on a route
// table that later tasks extend with addRoute() (e.g. the auth/join API).
import type { IncomingMessage, ServerResponse } from 'node:http';
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
  /** `auto_update.tools_version`; defaults to serverVersion (facts §5.1). */
  toolsVersion?: string;
  /** `auto_update.tools_auto_update`; default false. */
  toolsAutoUpdate?: boolean;
  /** Default `oss`, or `ent` when `fips` is set. */
  edition?: ProxyEdition;
  fips?: boolean;
  /** An older proxy: no `auto_update`, `edition` or `fips` fields (facts §5.1). */
  legacy?: boolean;
  /** Answer every path with an HTML page, like a web server that is not Teleport. */
  html?: boolean;
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
}

export type ProxyHandler = (ctx: ProxyContext) => void | Promise<void>;

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
}

export const DEFAULT_CLUSTER_NAME = 'teleport.example.test';
export const DEFAULT_SERVER_VERSION = '17.4.2';

/** The routes every proxy double serves (facts §5.1, §5.2). */
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
  let addr = '';

  const server = await listenHttps(opts.ca, async (req, res) => {
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
    });
  });
  addr = `localhost:${server.port}`;

  return {
    addr,
    url: `https://${addr}`,
    close: () => server.close(),
    requests,
    update: (patch) => {
      options = { ...options, ...patch };
    },
    addRoute: (method, path, handler) => {
      router.add(method, path, handler);
    },
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? undefined : JSON.parse(text);
}
