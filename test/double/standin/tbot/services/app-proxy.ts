// application-proxy (teleport-behaviour.md §2.5, §7: 18.2.3): an HTTP proxy on the `listen`
// URI. A client sends `GET http://<app>/path` (http_proxy set to the listener); the host names
// the application, reached through the proxy like a tunnel with a certificate routed to it.
// Only plain HTTP requests are carried (no CONNECT).
import { createServer, request, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { TUNNEL_PATH } from '../../../auth/protocol';
import type { ServiceConfig } from '../config/types';
import { TbotError } from '../errors';
import type { BotIdentity } from '../join/bot-identity';
import { log } from '../log';
import { type ClientCert, openTunnel } from '../net/client';
import { issueCerts, type OutputContext } from '../outputs/run';
import type { StatusRegistry } from './status';
import { parseListen } from './tunnel';

export class AppProxyService {
  private bot?: BotIdentity;
  /** One routed certificate per application, issued on first use. */
  private certs = new Map<string, Promise<ClientCert>>();
  private server?: Server;

  constructor(
    private readonly ctx: OutputContext,
    private readonly s: ServiceConfig,
    readonly name: string,
    private readonly status: StatusRegistry,
  ) {}

  /** A renewed bot identity: certificates are issued afresh from it. */
  async refresh(bot: BotIdentity): Promise<void> {
    this.bot = bot;
    this.certs.clear();
  }

  private certFor(app: string): Promise<ClientCert> {
    let cert = this.certs.get(app);
    if (!cert) {
      const bot = this.bot!;
      const service = { ...this.s, type: 'application-tunnel', app_name: app };
      cert = issueCerts(this.ctx, bot, service, { kind: 'app', name: app }, this.name).then(
        ({ certs }) => ({ keyPem: certs.key.privateKeyPem, certPem: certs.tlsCert }),
      );
      cert.catch(() => this.certs.delete(app));
      this.certs.set(app, cert);
    }
    return cert;
  }

  async start(bot: BotIdentity): Promise<void> {
    await this.refresh(bot);
    const server = createServer((req, res) => {
      let target: URL;
      try {
        target = new URL(req.url ?? '');
      } catch {
        res.writeHead(400).end('application-proxy: send absolute-form requests (http_proxy)\n');
        return;
      }
      const app = target.hostname;
      this.certFor(app)
        .then((cert) => openTunnel(this.ctx.ep, { target: 'app', name: app }, cert, TUNNEL_PATH))
        .then(
          (remote: Socket) => {
            this.status.report(this.name, 'healthy');
            const upstream = request(
              {
                createConnection: () => remote,
                method: req.method,
                path: `${target.pathname}${target.search}`,
                headers: { ...req.headers, host: target.host },
              },
              (answer) => {
                res.writeHead(answer.statusCode ?? 502, answer.headers);
                answer.pipe(res);
              },
            );
            upstream.on('error', () => res.destroy());
            req.pipe(upstream);
          },
          (err: Error) => {
            log.warn('TBOT:APP-PROXY', 'Failed to proxy request', {
              service: this.name,
              app,
              error: err.message,
            });
            res.writeHead(502).end(`application-proxy: ${err.message}\n`);
          },
        );
    });
    const where = parseListen(this.s.listen ?? '');
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) =>
        reject(new TbotError(`listen ${this.s.listen}: ${(err as Error).message}`)),
      );
      if ('path' in where) server.listen(where.path, () => resolve());
      else server.listen(where.port, where.host, () => resolve());
    });
    this.server = server;
    log.info('TBOT:APP-PROXY', 'Listening for HTTP proxy requests', {
      service: this.name,
      listen: this.s.listen,
    });
    this.status.report(this.name, 'healthy');
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}
