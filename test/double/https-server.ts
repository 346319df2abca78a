// Shared HTTPS plumbing for the CDN and proxy doubles: loopback listening with a CA-issued
// certificate, and a close() that also drops keep-alive connections so tests end promptly.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TestCa } from './tls';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
/** An HTTP Upgrade request (`Connection: Upgrade`): the handler owns the raw socket. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface ListenOptions {
  /**
   * CAs whose client certificates the server asks for (mutual TLS). Clients without one are
   * still served (`rejectUnauthorized: false`); handlers check `socket.authorized` themselves.
   */
  clientCaPems?: string[];
  onUpgrade?: UpgradeHandler;
}

export interface Listening {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `handler` over HTTPS on 127.0.0.1 (random port), with a certificate for localhost,
 * 127.0.0.1 and ::1. It also listens on [::1] at the same port when it can, because
 * `localhost` resolves to ::1 first on many machines (GitHub's runners among them).
 */
export async function listenHttps(
  ca: TestCa,
  handler: Handler,
  opts: ListenOptions = {},
): Promise<Listening> {
  const cert = await ca.issueServerCert();
  const wrapped = (req: IncomingMessage, res: ServerResponse) => {
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      // A bug in a double must show up as a 500, not as a hung request.
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`double error: ${err instanceof Error ? err.message : String(err)}\n`);
      } else {
        res.destroy();
      }
    });
  };
  const mtls =
    opts.clientCaPems && opts.clientCaPems.length > 0
      ? { requestCert: true, rejectUnauthorized: false, ca: opts.clientCaPems }
      : {};
  const make = () => {
    const server = createServer({ cert: cert.certPem, key: cert.keyPem, ...mtls }, wrapped);
    const onUpgrade = opts.onUpgrade;
    if (onUpgrade) server.on('upgrade', (req, socket, head) => onUpgrade(req, socket, head));
    return server;
  };
  const servers: Server[] = [];
  const v4 = make();
  await listen(v4, 0, '127.0.0.1');
  servers.push(v4);
  const { port } = v4.address() as AddressInfo;
  const v6 = make();
  try {
    await listen(v6, port, '::1');
    servers.push(v6);
  } catch {
    // No IPv6 loopback here, or the port is taken on it: 127.0.0.1 alone will do.
  }
  return {
    port,
    close: () => Promise.all(servers.map(closeServer)).then(() => undefined),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
