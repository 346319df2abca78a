/**
 * A loopback HTTP(S) server for what a release serves: fixed files by URL path, and the
 * requests it saw. Stands in for a GitHub release's asset URLs (the standalone teleport-ci) and
 * for the npm registry's package document and tarball.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestCa } from '../double';

export interface FileServer {
  /** `http(s)://127.0.0.1:<port>` */
  url: string;
  /** Request paths, in order. */
  requests: string[];
  /** Sets (or replaces) what a path serves. */
  serve(path: string, body: Buffer | string, contentType?: string): void;
  close(): Promise<void>;
}

export async function startFileServer(opts: { ca?: TestCa } = {}): Promise<FileServer> {
  const files = new Map<string, { body: Buffer; type: string }>();
  const requests: string[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const file = files.get(path);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found\n');
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };
  const cert = opts.ca ? await opts.ca.issueServerCert() : undefined;
  const server = cert
    ? createHttpsServer({ cert: cert.certPem, key: cert.keyPem }, handler)
    : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${opts.ca ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    serve(path, body, type = 'application/octet-stream') {
      files.set(path, { body: Buffer.isBuffer(body) ? body : Buffer.from(body), type });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
