// A local OIDC issuer standing in for GitHub Actions, GitLab or CircleCI: discovery document,
// JWKS and RS256-signed ID tokens with the platform's real claim set (claims.ts).
//
// The `iss` value (`issuerUrl`, e.g. https://token.actions.githubusercontent.com) is independent
// of where the server listens (`url`, http(s)://127.0.0.1:<port>). The discovery document names
// `issuerUrl` as `issuer` but points `jwks_uri` at the listening server so that a verifier can
// fetch the keys. A verifier that insists on discovery `issuer` == the URL it fetched (go-oidc,
// i.e. a real Teleport) needs `issuerUrl: (url) => url` (self-consistent mode).
//
// Served paths, as on the real platforms (P = the path part of `issuerUrl`, usually empty):
//   GET P/.well-known/openid-configuration   (also at the root)
//   GET P/.well-known/jwks                   github
//   GET P/oauth/discovery/keys               gitlab
//   GET P/.well-known/jwks-pub.json          circleci (P = /org/<org-id>)

import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import {
  type ClaimInputFor,
  type ClaimsFor,
  claimsFor,
  defaultIssuerUrl,
  nowSec,
  type Platform,
} from './claims';

export type TlsOptions = { certPem: string; keyPem: string };

export type IssuerOptions<P extends Platform> = {
  platform: P;
  /** Serve HTTPS with this certificate (it must cover 127.0.0.1). Plain HTTP otherwise. */
  tls?: TlsOptions;
  /**
   * The `iss` claim and discovery `issuer`. Default: the platform's real issuer
   * (GitHub `https://token.actions.githubusercontent.com`, GitLab `https://gitlab.example.test`,
   * CircleCI `https://oidc.circleci.com/org/<org-id>`). A function receives the listening URL,
   * e.g. `(url) => url` or `(url) => url + '/org/' + orgId`.
   */
  issuerUrl?: string | ((listenUrl: string) => string);
  /** Default claim input for `claims()` / `mint()`; also mutable later as `issuer.defaults`. */
  claims?: ClaimInputFor<P>;
};

export type MintOptions = {
  /** Overrides `aud`. */
  audience?: string | string[];
  /** `exp` = `iat` + this. Negative: the token is already expired. */
  expiresInSec?: number;
  /** `iat`, seconds since the epoch. Default now. */
  issuedAt?: number;
  /** `nbf`, seconds since the epoch. */
  notBefore?: number;
  /** `foreign-key`: signed by a key that is not in the JWKS (same `kid` unless `kid` is given). */
  signWith?: 'issuer' | 'foreign-key';
  /** Overrides the `kid` header. */
  kid?: string;
};

export type VerifyOptions = {
  audience: string | string[];
  /** Default: the issuer's `issuerUrl`. */
  issuer?: string;
  currentDate?: Date;
  clockToleranceSec?: number;
};

export type IssuerRequest = { method: string; path: string; status: number };

export type Issuer<P extends Platform = Platform> = {
  platform: P;
  /** Where the server listens: `http(s)://127.0.0.1:<port>`. */
  url: string;
  /** The `iss` value. */
  issuerUrl: string;
  /** Where the discovery document is served (under `url`). */
  discoveryUrl: string;
  /** Where the JWKS is served (under `url`); also the discovery `jwks_uri`. */
  jwksUri: string;
  /** The signing key's `kid` (its RFC 7638 thumbprint). */
  kid: string;
  /** Default claim input (mutable). */
  defaults: ClaimInputFor<P>;
  /** Every request the server answered. */
  requests: IssuerRequest[];
  jwks(): JSONWebKeySet;
  discovery(): Record<string, unknown>;
  /** The platform's claim set for `input` over `defaults`, with `iss` = `issuerUrl`. */
  claims(input?: ClaimInputFor<P>): ClaimsFor<P>;
  /** Sign `claims()` overridden by `claims`, then by `opts`. A fresh `jti` unless given. */
  mint(claims?: Partial<ClaimsFor<P>>, opts?: MintOptions): Promise<string>;
  /** Verify with jose against this issuer's JWKS (for tests). */
  verify(jwt: string, opts: VerifyOptions): Promise<ClaimsFor<P>>;
  close(): Promise<void>;
};

type KeyPair = { privateKey: CryptoKey; publicJwk: JWK; kid: string };

async function newKeyPair(): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', {
    modulusLength: 2048,
    extractable: true,
  });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { privateKey, publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' }, kid };
}

const JWKS_SUFFIX: Record<Platform, string> = {
  github: '/.well-known/jwks',
  gitlab: '/oauth/discovery/keys',
  circleci: '/.well-known/jwks-pub.json',
};

function discoveryDocument(
  platform: Platform,
  issuer: string,
  base: string,
  jwksUri: string,
): Record<string, unknown> {
  switch (platform) {
    case 'github':
      // Shape of https://token.actions.githubusercontent.com/.well-known/openid-configuration.
      return {
        issuer,
        jwks_uri: jwksUri,
        subject_types_supported: ['public', 'pairwise'],
        response_types_supported: ['id_token'],
        claims_supported: [
          'sub',
          'aud',
          'exp',
          'iat',
          'iss',
          'jti',
          'nbf',
          'ref',
          'sha',
          'repository',
          'repository_id',
          'repository_owner',
          'repository_owner_id',
          'enterprise',
          'enterprise_id',
          'run_id',
          'run_number',
          'run_attempt',
          'actor',
          'actor_id',
          'workflow',
          'workflow_ref',
          'workflow_sha',
          'head_ref',
          'base_ref',
          'event_name',
          'ref_type',
          'ref_protected',
          'environment',
          'environment_node_id',
          'job_workflow_ref',
          'job_workflow_sha',
          'repository_visibility',
          'runner_environment',
        ],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid'],
      };
    case 'gitlab':
      // GitLab's discovery is its Doorkeeper OpenID provider's (the OAuth endpoints are not served).
      return {
        issuer,
        authorization_endpoint: `${base}/oauth/authorize`,
        token_endpoint: `${base}/oauth/token`,
        revocation_endpoint: `${base}/oauth/revoke`,
        introspection_endpoint: `${base}/oauth/introspect`,
        userinfo_endpoint: `${base}/oauth/userinfo`,
        jwks_uri: jwksUri,
        scopes_supported: ['api', 'read_api', 'read_user', 'openid', 'profile', 'email'],
        response_types_supported: ['code'],
        response_modes_supported: ['query', 'fragment', 'form_post'],
        grant_types_supported: [
          'authorization_code',
          'password',
          'client_credentials',
          'device_code',
          'refresh_token',
        ],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        claim_types_supported: ['normal'],
        claims_supported: [
          'iss',
          'sub',
          'aud',
          'exp',
          'iat',
          'sub_legacy',
          'name',
          'nickname',
          'preferred_username',
          'email',
          'email_verified',
          'website',
          'profile',
          'picture',
          'groups',
          'groups_direct',
        ],
      };
    default:
      return {
        issuer,
        jwks_uri: jwksUri,
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        claims_supported: [
          'aud',
          'exp',
          'iat',
          'iss',
          'sub',
          'oidc.circleci.com/org-id',
          'oidc.circleci.com/project-id',
          'oidc.circleci.com/pipeline-id',
          'oidc.circleci.com/pipeline-definition-id',
          'oidc.circleci.com/context-ids',
          'oidc.circleci.com/vcs-origin',
          'oidc.circleci.com/vcs-ref',
          'oidc.circleci.com/ssh-rerun',
        ],
      };
  }
}

/** Path part of a URL without a trailing slash ('' for the root). */
function pathOf(url: string): string {
  return new URL(url).pathname.replace(/\/+$/, '');
}

export async function listen(
  handler: http.RequestListener,
  tls?: TlsOptions,
): Promise<{ server: http.Server; url: string }> {
  const server = tls
    ? https.createServer({ cert: tls.certPem, key: tls.keyPem }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}` };
}

export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export async function startIssuer<P extends Platform>(opts: IssuerOptions<P>): Promise<Issuer<P>> {
  const { platform } = opts;
  const key = await newKeyPair();
  let foreignKey: Promise<KeyPair> | undefined;
  const requests: IssuerRequest[] = [];
  const defaults = { ...(opts.claims ?? {}) } as ClaimInputFor<P>;

  // Routes are filled in once the port (and so the issuer URL) is known.
  const routes = new Map<string, () => unknown>();
  const { server, url } = await listen((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const method = req.method ?? 'GET';
    const route = routes.get(path);
    let status: number;
    if (!route) {
      status = 404;
      sendJson(res, status, { error: 'not_found', path });
    } else if (method !== 'GET' && method !== 'HEAD') {
      status = 405;
      sendJson(res, status, { error: 'method_not_allowed' }, { Allow: 'GET, HEAD' });
    } else {
      status = 200;
      sendJson(res, status, route(), { 'Cache-Control': 'public, max-age=60' });
    }
    requests.push({ method, path, status });
  }, opts.tls);

  const issuerUrl =
    typeof opts.issuerUrl === 'function'
      ? opts.issuerUrl(url)
      : (opts.issuerUrl ?? defaultIssuerUrl(platform, defaults));
  const issuerPath = pathOf(issuerUrl);
  const base = `${url}${issuerPath}`;
  const jwksPath = `${issuerPath}${JWKS_SUFFIX[platform]}`;
  const jwksUri = `${url}${jwksPath}`;
  const discoveryPath = `${issuerPath}/.well-known/openid-configuration`;

  const jwks = (): JSONWebKeySet => ({ keys: [{ ...key.publicJwk }] });
  const discovery = () => discoveryDocument(platform, issuerUrl, base, jwksUri);
  routes.set(discoveryPath, discovery);
  routes.set('/.well-known/openid-configuration', discovery);
  routes.set(jwksPath, jwks);

  const claims = (input?: ClaimInputFor<P>): ClaimsFor<P> =>
    claimsFor(platform, {
      issuer: issuerUrl,
      ...self.defaults,
      ...(input ?? {}),
    } as ClaimInputFor<P>);

  const mint = async (overrides?: Partial<ClaimsFor<P>>, o: MintOptions = {}): Promise<string> => {
    const iat = o.issuedAt ?? nowSec();
    const built = claims({ now: iat } as ClaimInputFor<P>) as Record<string, unknown>;
    const payload: Record<string, unknown> = { ...built, ...(overrides ?? {}) };
    if (o.audience !== undefined) payload.aud = o.audience;
    if (o.issuedAt !== undefined) payload.iat = o.issuedAt;
    if (o.expiresInSec !== undefined) payload.exp = (payload.iat as number) + o.expiresInSec;
    if (o.notBefore !== undefined) payload.nbf = o.notBefore;
    let signer = key;
    if (o.signWith === 'foreign-key') {
      foreignKey ??= newKeyPair();
      signer = await foreignKey;
    }
    return new SignJWT(payload as JWTPayload)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: o.kid ?? key.kid })
      .sign(signer.privateKey);
  };

  const localJwks = createLocalJWKSet(jwks());
  const verify = async (jwt: string, v: VerifyOptions): Promise<ClaimsFor<P>> => {
    const { payload } = await jwtVerify(jwt, localJwks, {
      issuer: v.issuer ?? issuerUrl,
      audience: v.audience,
      algorithms: ['RS256'],
      ...(v.currentDate ? { currentDate: v.currentDate } : {}),
      ...(v.clockToleranceSec !== undefined ? { clockTolerance: v.clockToleranceSec } : {}),
    });
    return payload as unknown as ClaimsFor<P>;
  };

  const self: Issuer<P> = {
    platform,
    url,
    issuerUrl,
    discoveryUrl: `${url}${discoveryPath}`,
    jwksUri,
    kid: key.kid,
    defaults,
    requests,
    jwks,
    discovery,
    claims,
    mint,
    verify,
    close: () => closeServer(server),
  };
  return self;
}
