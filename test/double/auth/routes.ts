// The auth double on the proxy double's HTTPS port (protocol.ts, README "Protocol"): JSON joins
// and certificate requests, and HTTP Upgrade tunnels to SSH nodes, apps and databases. Mutual
// TLS: after the join, every request must present a client certificate the auth issued (the
// proxy asks for one chained to the TLS user CA; node verifies chain and validity).
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { PeerInfo, ProxyContext, ProxyServer, UpgradeContext } from '../proxy';
import {
  BOUND_KEYPAIR_CHALLENGE_PATH,
  type BoundKeypairJoinParams,
  CERTS_PATH,
  type CertsRequest,
  JOIN_PATH,
  type JoinRequest,
  KUBE_CLUSTERS_PATH,
  type KubeClustersResponse,
  MFA_REQUIRED_PATH,
  type MfaRequiredResponse,
  NODES_PATH,
  type NodesResponse,
  TUNNEL_PATH,
  TUNNEL_UPGRADE,
} from './protocol';
import { type SshNode, TeleportError } from './resources';
import { type AuthService, type IssuedRecord, SshRefused } from './service';

export interface TunnelRecord {
  target: 'ssh' | 'app' | 'db';
  name: string;
  /** SSH: the cluster asked for ('' for the root) and the login. */
  cluster?: string;
  login?: string;
  bot: string;
  ok: boolean;
  error?: string;
}

/** `host:port` of a `tcp://h:p`, `http://h:p`, `postgres://h:p/db` or bare `h:p` URI. */
export function hostPortOf(uri: string): { host: string; port: number } {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(uri) ? uri : `tcp://${uri}`;
  const u = new URL(withScheme);
  const defaults: Record<string, number> = { 'http:': 80, 'https:': 443, 'postgres:': 5432 };
  const port = u.port ? Number(u.port) : (defaults[u.protocol] ?? 0);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port };
}

function callerOf(auth: AuthService, peer: PeerInfo | undefined): IssuedRecord {
  if (!peer) {
    throw new TeleportError(
      'access-denied',
      'access denied: this endpoint needs the client certificate of a joined bot (mutual TLS)',
    ); // paraphrase
  }
  if (!peer.authorized) {
    throw new TeleportError(
      'access-denied',
      `access denied: the client certificate was rejected (${peer.error ?? 'not signed by the cluster user CA'})`,
    ); // paraphrase
  }
  const record = auth.lookup(peer.serialNumber);
  if (!record) {
    throw new TeleportError(
      'access-denied',
      'access denied: the client certificate was not issued by this cluster',
    );
  }
  if (record.expires.getTime() <= Date.now()) {
    throw new TeleportError('access-denied', 'access denied: the client certificate has expired');
  }
  return record;
}

function sendError(ctx: ProxyContext, err: unknown): void {
  if (err instanceof TeleportError) ctx.error(err.status, err.message);
  else ctx.error(500, `double error: ${err instanceof Error ? err.message : String(err)}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function body(ctx: ProxyContext): Promise<Record<string, unknown>> {
  let value: unknown;
  try {
    value = await ctx.readJson();
  } catch {
    throw new TeleportError('bad-parameter', 'request body is not valid JSON');
  }
  if (!isRecord(value)) throw new TeleportError('bad-parameter', 'request body must be an object');
  for (const key of ['ssh_public_key', 'tls_public_key']) {
    if (typeof value[key] !== 'string' || value[key] === '') {
      throw new TeleportError('bad-parameter', `missing parameter ${key}`);
    }
  }
  return value;
}

/** Connects to host:port; resolves with the socket or rejects with a readable message. */
function dial(host: string, port: number, what: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port, allowHalfOpen: true });
    const fail = (err: Error) => {
      sock.destroy();
      reject(
        new TeleportError(
          'unavailable',
          `failed to connect to ${what} at ${host}:${port}: ${err.message}`,
        ),
      );
    };
    sock.setTimeout(10_000, () => fail(new Error('timed out')));
    sock.once('error', fail);
    sock.once('connect', () => {
      sock.setTimeout(0);
      sock.off('error', fail);
      sock.setNoDelay(true);
      resolve(sock);
    });
  });
}

function splice(client: Duplex, target: Socket, head: Buffer): void {
  client.write(
    `HTTP/1.1 101 Switching Protocols\r\nupgrade: ${TUNNEL_UPGRADE}\r\nconnection: Upgrade\r\n\r\n`,
  );
  if (head.length > 0) target.write(head);
  client.pipe(target);
  target.pipe(client);
  const end = () => {
    client.destroy();
    target.destroy();
  };
  client.on('error', end);
  target.on('error', end);
  client.on('close', () => target.end());
  target.on('close', () => client.end());
}

/** Adds the auth routes and tunnels to `proxy`; returns the tunnel log. */
export function mountAuth(proxy: ProxyServer, auth: AuthService): { tunnels: TunnelRecord[] } {
  const tunnels: TunnelRecord[] = [];

  proxy.addRoute('POST', BOUND_KEYPAIR_CHALLENGE_PATH, async (ctx) => {
    try {
      let b: unknown;
      try {
        b = await ctx.readJson();
      } catch {
        throw new TeleportError('bad-parameter', 'request body is not valid JSON');
      }
      if (!isRecord(b) || typeof b.public_key !== 'string' || b.public_key === '') {
        throw new TeleportError('bad-parameter', 'missing parameter public_key');
      }
      ctx.json(
        200,
        auth.boundKeypairChallenge({ token: String(b.token ?? ''), public_key: b.public_key }),
      );
    } catch (err) {
      sendError(ctx, err);
    }
  });

  proxy.addRoute('POST', JOIN_PATH, async (ctx) => {
    try {
      const b = await body(ctx);
      const req: JoinRequest = {
        token: String(b.token ?? ''),
        join_method: String(b.join_method ?? ''),
        ...(typeof b.id_token === 'string' ? { id_token: b.id_token } : {}),
        ssh_public_key: String(b.ssh_public_key),
        tls_public_key: String(b.tls_public_key),
        ttl_seconds: Number(b.ttl_seconds ?? 0),
        ...(typeof b.tbot_version === 'string' ? { tbot_version: b.tbot_version } : {}),
        ...(isRecord(b.bound_keypair)
          ? { bound_keypair: b.bound_keypair as unknown as BoundKeypairJoinParams }
          : {}),
      };
      ctx.json(200, await auth.join(req));
    } catch (err) {
      sendError(ctx, err);
    }
  });

  proxy.addRoute('POST', CERTS_PATH, async (ctx) => {
    try {
      const caller = callerOf(auth, ctx.peer());
      const b = await body(ctx);
      const req: CertsRequest = {
        ssh_public_key: String(b.ssh_public_key),
        tls_public_key: String(b.tls_public_key),
        ttl_seconds: Number(b.ttl_seconds ?? 0),
        ...(Array.isArray(b.roles) ? { roles: b.roles.map(String) } : {}),
        ...(isRecord(b.route) ? { route: b.route as CertsRequest['route'] } : {}),
        ...(b.reissuable === true ? { reissuable: true } : {}),
        ...(typeof b.purpose === 'string' ? { purpose: b.purpose } : {}),
      };
      ctx.json(200, await auth.certs(caller, req));
    } catch (err) {
      sendError(ctx, err);
    }
  });

  // Listings (what `tsh ls` and tbot's kubernetes/v2 label selectors read): any certificate the
  // auth issued, bot or output (an identity file's), sees what its roles allow.
  proxy.addRoute('GET', NODES_PATH, (ctx) => {
    try {
      const caller = callerOf(auth, ctx.peer());
      const answer: NodesResponse = { nodes: auth.listNodes(caller) };
      ctx.json(200, answer);
    } catch (err) {
      sendError(ctx, err);
    }
  });

  // tsh asks before it dials (IsMFARequired); ssh through a ProxyCommand never does.
  proxy.addRoute('POST', MFA_REQUIRED_PATH, async (ctx) => {
    try {
      const caller = callerOf(auth, ctx.peer());
      let b: unknown;
      try {
        b = await ctx.readJson();
      } catch {
        throw new TeleportError('bad-parameter', 'request body is not valid JSON');
      }
      if (!isRecord(b)) throw new TeleportError('bad-parameter', 'request body must be an object');
      let required = false;
      try {
        auth.sshAccess(caller, {
          cluster: String(b.cluster ?? ''),
          host: String(b.host ?? ''),
          login: String(b.login ?? ''),
        });
      } catch (err) {
        // Only the MFA requirement answers "required"; other denials surface when tsh dials.
        if (err instanceof SshRefused && err.mfa) required = true;
        else if (!(err instanceof TeleportError)) throw err;
      }
      const answer: MfaRequiredResponse = { required };
      ctx.json(200, answer);
    } catch (err) {
      sendError(ctx, err);
    }
  });

  proxy.addRoute('GET', KUBE_CLUSTERS_PATH, (ctx) => {
    try {
      const caller = callerOf(auth, ctx.peer());
      const raw = ctx.url.searchParams.get('labels');
      let labels: Record<string, string> = {};
      if (raw) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
        } catch {
          throw new TeleportError('bad-parameter', 'labels must be a JSON object of strings');
        }
        if (!isRecord(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
          throw new TeleportError('bad-parameter', 'labels must be a JSON object of strings');
        }
        labels = parsed as Record<string, string>;
      }
      const answer: KubeClustersResponse = { kube_clusters: auth.listKubeClusters(caller, labels) };
      ctx.json(200, answer);
    } catch (err) {
      sendError(ctx, err);
    }
  });

  proxy.addUpgradeRoute(TUNNEL_PATH, async (ctx: UpgradeContext) => {
    const target = ctx.url.searchParams.get('target') ?? '';
    const name = ctx.url.searchParams.get('name') ?? ctx.url.searchParams.get('host') ?? '';
    const record: TunnelRecord = {
      target: target as TunnelRecord['target'],
      name,
      bot: '',
      ok: false,
    };
    tunnels.push(record);
    try {
      if ((ctx.req.headers.upgrade ?? '').toLowerCase() !== TUNNEL_UPGRADE) {
        throw new TeleportError('bad-parameter', `expected "Upgrade: ${TUNNEL_UPGRADE}"`);
      }
      const caller = callerOf(auth, ctx.peer());
      record.bot = caller.bot;
      let sock: Socket;
      if (target === 'ssh') {
        const cluster = ctx.url.searchParams.get('cluster') ?? '';
        const login = ctx.url.searchParams.get('login') ?? '';
        record.cluster = cluster;
        record.login = login;
        let node: SshNode;
        try {
          const port = ctx.url.searchParams.get('port') ?? '';
          node = auth.sshAccess(caller, { cluster, host: name, port, login });
        } catch (err) {
          if (!(err instanceof SshRefused) || !err.node.refuseAddr) throw err;
          // Teleport refuses inside the SSH handshake: the client gets Permission denied
          // (publickey), the reason goes to Teleport's log and audit event (here: the record).
          record.error = err.message;
          const { host, port } = hostPortOf(err.node.refuseAddr);
          splice(ctx.socket, await dial(host, port, `node "${err.node.hostname}"`), ctx.head);
          return;
        }
        const { host, port } = hostPortOf(node.addr);
        sock = await dial(host, port, `node "${node.hostname}"`);
      } else if (target === 'app' || target === 'db') {
        const route = caller.route;
        if (!route || route.kind !== target || route.name !== name) {
          throw new TeleportError(
            'access-denied',
            `access denied: the client certificate is not for ${target === 'app' ? 'application' : 'database'} "${name}"`,
          ); // paraphrase
        }
        const resource = target === 'app' ? auth.app(name) : auth.database(name);
        if (!resource) {
          throw new TeleportError(
            'not-found',
            `${target === 'app' ? 'application' : 'database'} "${name}" not found`,
          );
        }
        const { host, port } = hostPortOf(resource.uri);
        sock = await dial(host, port, `${target === 'app' ? 'application' : 'database'} "${name}"`);
      } else {
        throw new TeleportError('bad-parameter', `unknown tunnel target "${target}"`);
      }
      record.ok = true;
      splice(ctx.socket, sock, ctx.head);
    } catch (err) {
      record.error = (err as Error).message;
      const status = err instanceof TeleportError ? err.status : 500;
      ctx.reject(status, (err as Error).message);
    }
  });

  return { tunnels };
}
