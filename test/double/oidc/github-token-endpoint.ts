// The GitHub Actions runner's ID-token request endpoint (`ACTIONS_ID_TOKEN_REQUEST_URL`).
//
// Protocol, as both clients use it:
// - `@actions/core` `getIDToken(aud)`: `GET <ACTIONS_ID_TOKEN_REQUEST_URL>&audience=<aud>` (the `&`
//   only when an audience is given), `Authorization: Bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>`,
//   `Accept: application/json`; expects `{"value":"<jwt>"}`; retries 502/503/504 (about 10 s),
//   fails at once on 401/403/500 (as @actions/core's getIDToken does).
// - tbot (`lib/githubactions/token_source.go`, teleport-behaviour.md §4.1): `GET <URL>&audience=teleport.cluster.local`
//   with `Accept: application/json; api-version=2.0` and `Content-Type: application/json`; it
//   ignores the status and decodes the body, failing with `response did not include ID token`
//   when `value` is empty. Error answers therefore carry a JSON body without `value`.
// Without `audience` GitHub uses the repository owner's URL `https://github.com/<owner>`.

import { randomBytes, randomUUID } from 'node:crypto';
import type { GithubClaimInput } from './claims';
import { closeServer, type Issuer, listen, sendJson, type TlsOptions } from './issuer';

export type GithubTokenRequest = {
  path: string;
  /** The `audience` query parameter, if any. */
  audience?: string;
  authorized: boolean;
  status: number;
  accept?: string;
};

export type TokenEndpointFault = {
  status: number;
  /** How many of the next requests get this answer. */
  times: number;
  /** Response body (JSON-encoded unless a string). Default: a JSON error object. */
  body?: unknown;
};

export type GithubTokenEndpointOptions = {
  /** Serve HTTPS (the runner's real URL is HTTPS). Plain HTTP otherwise. */
  tls?: TlsOptions;
  /** The bearer token. Default: random. */
  requestToken?: string;
  /** Initial claim input (mutable later as `endpoint.claims`). */
  claims?: GithubClaimInput;
  /** URL path of the endpoint. Default: a runner-like `/_apis/distributedtask/.../idtoken`. */
  path?: string;
};

export type GithubTokenEndpoint = {
  /** Where the server listens. */
  url: string;
  /** The value for `ACTIONS_ID_TOKEN_REQUEST_URL`; it contains `?api-version=2.0`. */
  requestUrl: string;
  /** The value for `ACTIONS_ID_TOKEN_REQUEST_TOKEN`. */
  requestToken: string;
  /** Claim input of the next tokens (mutable), over the issuer's defaults. */
  claims: GithubClaimInput;
  requests: GithubTokenRequest[];
  /** Answer the next `times` requests with `status` (before the bearer check). */
  inject(fault: TokenEndpointFault): void;
  /** The JWTs issued so far. */
  issued: string[];
  /** The environment a job step would see. */
  env(): { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string };
  close(): Promise<void>;
};

// What Azure DevOps-style services (which back the runner's token service) answer to a bad
// bearer; the exact text is an approximation.
const UNAUTHORIZED_BODY = {
  $id: '1',
  innerException: null,
  message: "TF400813: The user '' is not authorized to access this resource.",
  typeName:
    'Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server',
  typeKey: 'UnauthorizedRequestException',
  errorCode: 0,
  eventId: 3000,
};

export async function startGithubTokenEndpoint(
  issuer: Issuer<'github'>,
  opts: GithubTokenEndpointOptions = {},
): Promise<GithubTokenEndpoint> {
  const requestToken = opts.requestToken ?? randomBytes(32).toString('base64url');
  const path =
    opts.path ??
    `/_apis/distributedtask/hubs/Actions/plans/${randomUUID()}/jobs/${randomUUID()}/idtoken`;
  const faults: TokenEndpointFault[] = [];
  const requests: GithubTokenRequest[] = [];
  const issued: string[] = [];

  const { server, url } = await listen((req, res) => {
    const reqUrl = new URL(req.url ?? '/', 'http://x');
    const audience = reqUrl.searchParams.get('audience') || undefined;
    const authorized = req.headers.authorization === `Bearer ${requestToken}`;
    const accept = req.headers.accept;
    const record = (status: number) =>
      requests.push({
        path: reqUrl.pathname,
        ...(audience !== undefined ? { audience } : {}),
        authorized,
        status,
        ...(accept !== undefined ? { accept } : {}),
      });

    const fault = faults.find((f) => f.times > 0);
    if (fault) {
      fault.times--;
      record(fault.status);
      const body = fault.body ?? { message: `injected fault: HTTP ${fault.status}` };
      if (typeof body === 'string') {
        res.writeHead(fault.status, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(body);
      } else {
        sendJson(res, fault.status, body);
      }
      return;
    }
    if (reqUrl.pathname !== path) {
      record(404);
      sendJson(res, 404, { message: 'Not Found' });
      return;
    }
    if (req.method !== 'GET') {
      record(405);
      sendJson(res, 405, { message: 'Method Not Allowed' }, { Allow: 'GET' });
      return;
    }
    if (!authorized) {
      record(401);
      sendJson(res, 401, UNAUTHORIZED_BODY, { 'WWW-Authenticate': 'Bearer' });
      return;
    }
    const input: GithubClaimInput = { ...self.claims };
    if (audience !== undefined) input.audience = audience;
    issuer.mint(issuer.claims(input)).then(
      (jwt) => {
        issued.push(jwt);
        record(200);
        sendJson(res, 200, { value: jwt });
      },
      (err: unknown) => {
        record(500);
        sendJson(res, 500, { message: String(err) });
      },
    );
  }, opts.tls);

  const requestUrl = `${url}${path}?api-version=2.0`;
  const self: GithubTokenEndpoint = {
    url,
    requestUrl,
    requestToken,
    claims: { ...(opts.claims ?? {}) },
    requests,
    issued,
    inject(fault) {
      faults.push({ ...fault });
    },
    env: () => ({
      ACTIONS_ID_TOKEN_REQUEST_URL: requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
    }),
    close: () => closeServer(server),
  };
  return self;
}
