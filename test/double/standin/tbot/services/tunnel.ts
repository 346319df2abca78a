// database-tunnel and application-tunnel (teleport-behaviour.md §2.5): listen on the `listen` URI and carry each
// connection through the proxy (mutual TLS with certificates routed to the app or database) to
// the target. A connection the proxy cannot deliver is closed, and the service reports
// unhealthy with the proxy's reason until a later connection succeeds.
import { createServer, type Server, type Socket } from 'node:net';
import { TUNNEL_PATH } from '../../../auth/protocol';
import type { ServiceConfig } from '../config/types';
import { TbotError } from '../errors';
import type { BotIdentity } from '../join/bot-identity';
import { log } from '../log';
import { type ClientCert, openTunnel } from '../net/client';
import { issueCerts, type OutputContext, routeOf } from '../outputs/run';
import type { StatusRegistry } from './status';

export function parseListen(uri: string): { host: string; port: number } | { path: string } {
  const m = /^tcp:\/\/\[?([^\]]*?)\]?:(\d+)$/.exec(uri);
  if (m) return { host: m[1] || '127.0.0.1', port: Number(m[2]) };
  if (uri.startsWith('unix://')) return { path: uri.slice('unix://'.length) };
  throw new TbotError(`unsupported listen address "${uri}": use tcp://host:port or unix:///path`);
}

export class TunnelService {
  private cert?: ClientCert;
  private server?: Server;
  private sockets = new Set<Socket>();

  constructor(
    private readonly ctx: OutputContext,
    private readonly s: ServiceConfig,
    readonly name: string,
    private readonly status: StatusRegistry,
  ) {}

  /** New routed certificates from the current bot identity. */
  async refresh(bot: BotIdentity): Promise<void> {
    const { certs } = await issueCerts(this.ctx, bot, this.s, routeOf(this.s), this.name);
    this.cert = { keyPem: certs.key.privateKeyPem, certPem: certs.tlsCert };
  }

  async start(bot: BotIdentity): Promise<void> {
    await this.refresh(bot);
    const server = createServer({ allowHalfOpen: true }, (sock) => this.handle(sock));
    const where = parseListen(this.s.listen ?? '');
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) =>
        reject(new TbotError(`listen ${this.s.listen}: ${(err as Error).message}`)),
      );
      if ('path' in where) server.listen(where.path, () => resolve());
      else server.listen(where.port, where.host, () => resolve());
    });
    this.server = server;
    log.info('TBOT:TUNNEL', 'Listening for connections', {
      service: this.name,
      listen: this.s.listen,
    });
    this.status.report(this.name, 'healthy');
  }

  private handle(sock: Socket): void {
    this.sockets.add(sock);
    sock.on('close', () => this.sockets.delete(sock));
    sock.on('error', () => sock.destroy());
    sock.pause();
    const cert = this.cert;
    if (!cert) {
      sock.destroy();
      return;
    }
    const target = this.s.type === 'application-tunnel' ? 'app' : 'db';
    const name = target === 'app' ? (this.s.app_name ?? '') : (this.s.service ?? '');
    openTunnel(this.ctx.ep, { target, name }, cert, TUNNEL_PATH).then(
      (remote) => {
        this.status.report(this.name, 'healthy');
        this.sockets.add(remote);
        remote.on('close', () => {
          this.sockets.delete(remote);
          sock.end();
        });
        remote.on('error', () => sock.destroy());
        sock.on('close', () => remote.end());
        sock.pipe(remote);
        remote.pipe(sock);
        sock.resume();
      },
      (err: Error) => {
        log.warn('TBOT:TUNNEL', 'Failed to proxy connection', {
          service: this.name,
          error: err.message,
        });
        this.status.report(this.name, 'unhealthy', err.message);
        sock.destroy();
      },
    );
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}
