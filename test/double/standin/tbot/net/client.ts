// HTTPS to the proxy double: the unauthenticated web API (`/webapi/find`, teleport-behaviour.md §5.3), the
// auth double's JSON API (auth/protocol.ts) and its Upgrade tunnels. Server trust is node's:
// the system CAs plus NODE_EXTRA_CA_CERTS, or nothing with --insecure (teleport-behaviour.md §1.1).
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { TUNNEL_UPGRADE } from '../../../auth/protocol';
import { TbotError } from '../errors';

export interface ClientCert {
  keyPem: string;
  certPem: string;
}

export interface Endpoint {
  /** `host:port` of the proxy. */
  addr: string;
  insecure?: boolean;
}

function target(ep: Endpoint, path: string): URL {
  const base = /^[a-z]+:\/\//i.test(ep.addr) ? ep.addr : `https://${ep.addr}`;
  return new URL(path, base);
}

function errorMessage(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: string }; message?: string };
    const m = body.error?.message ?? body.message;
    if (m) return m;
  } catch {
    // not JSON
  }
  return `unexpected HTTP ${status} from the proxy: ${text.slice(0, 200)}`;
}

/** A JSON request; rejects with the server's Teleport-style message on an error status. */
export function requestJson<T>(
  ep: Endpoint,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  cert?: ClientCert,
): Promise<T> {
  const url = target(ep, path);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method,
        agent: false,
        rejectUnauthorized: !ep.insecure,
        ...(cert ? { key: cert.keyPem, cert: cert.certPem } : {}),
        headers: {
          accept: 'application/json',
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': payload.length }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            reject(new TbotError(errorMessage(status, text)));
            return;
          }
          try {
            resolve(JSON.parse(text) as T);
          } catch {
            reject(new TbotError(`invalid JSON from ${url.pathname}: ${text.slice(0, 200)}`));
          }
        });
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('request timed out')));
    req.on('error', (err) =>
      reject(new TbotError(`failed to connect to the proxy at ${ep.addr}: ${err.message}`)),
    );
    req.end(payload);
  });
}

/** Opens a tunnel (HTTP Upgrade over mutual TLS); resolves with the raw socket. */
export function openTunnel(
  ep: Endpoint,
  query: Record<string, string>,
  cert: ClientCert,
  path: string,
): Promise<Socket> {
  const url = target(ep, `${path}?${new URLSearchParams(query).toString()}`);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, {
      method: 'GET',
      agent: false,
      rejectUnauthorized: !ep.insecure,
      key: cert.keyPem,
      cert: cert.certPem,
      headers: { connection: 'Upgrade', upgrade: TUNNEL_UPGRADE },
    });
    req.on('upgrade', (_res, socket, head) => {
      socket.setNoDelay(true);
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () =>
        reject(
          new TbotError(errorMessage(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))),
        ),
      );
    });
    req.on('error', (err) =>
      reject(new TbotError(`failed to connect to the proxy at ${ep.addr}: ${err.message}`)),
    );
    req.end();
  });
}
