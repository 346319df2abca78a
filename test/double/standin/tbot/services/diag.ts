// The diagnostics listener (`diag_addr` / `--diag-addr`, teleport-behaviour.md §5.4): /livez always 200 `OK`;
// /readyz and /readyz/{service} (17+ in the double) as JSON with 200 when healthy, 503
// otherwise, 404 for an unknown service; /wait and /wait/{service} (18+) block until the
// services have reported; /metrics a tiny Prometheus text.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Features } from '../build';
import { TbotError } from '../errors';
import type { StatusRegistry } from './status';

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function splitHostPort(addr: string): { host: string; port: number } {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(addr);
  if (!m) throw new TbotError(`address ${addr}: missing port in address`);
  return { host: m[1] || '0.0.0.0', port: Number(m[2]) };
}

export async function startDiag(
  addr: string,
  registry: StatusRegistry,
  f: Features,
): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://diag').pathname.replace(/\/+$/, '') || '/';
    const [, first = '', ...rest] = path.split('/');
    const service = rest.length > 0 ? decodeURIComponent(rest.join('/')) : undefined;
    const answer = () => {
      if (service !== undefined) {
        const s = registry.get(service);
        if (!s) return send(res, 404, { error: `Service named "${service}" not found.` });
        return send(res, s.status === 'healthy' ? 200 : 503, s);
      }
      const snap = registry.snapshot();
      send(res, snap.status === 'healthy' ? 200 : 503, snap);
    };
    if (path === '/livez') {
      // Plain text, as real tbot's livez handler writes it (teleport-behaviour.md §5.4).
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': 2 });
      res.end('OK');
      return;
    }
    if (first === 'readyz' && f.readyz) return answer();
    if (first === 'wait' && f.wait) {
      if (service !== undefined && !registry.get(service)) return answer();
      registry.waitReported(service).then(answer, () => res.destroy());
      return;
    }
    if (path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(
        '# HELP tbot_double_up The Teleport double stand-in tbot is running.\ntbot_double_up 1\n',
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('404 page not found\n');
  });
  const { host, port } = splitHostPort(addr);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(new TbotError(`listen tcp ${addr}: ${(err as Error).message}`)),
    );
    server.listen(port, host, () => resolve());
  });
  return server;
}
