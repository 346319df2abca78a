// ID token checks the way Teleport's validators make them (teleport-behaviour.md §4.2):
// - github/gitlab/circleci through go-oidc v2 (lib/githubactions/token_validator.go and the
//   gitlab/circleci twins): issuer, then audience, then expiry, then the signature against the
//   issuer's JWKS; then Teleport's own not-before check (2 minutes of leeway);
// - github with `static_jwks` through go-jose (ValidateTokenWithJWKS): signature first, then
//   audience and time with 10 s leeway, and no issuer check.
// Messages are the libraries' own texts (fmt strings of go-oidc v2, go-jose v3, lib/jwt).
import { compactVerify, createLocalJWKSet, decodeJwt, type JSONWebKeySet } from 'jose';
import { TeleportError } from './resources';

export type Claims = Record<string, unknown>;

const denied = (m: string) => new TeleportError('access-denied', m);

/** Go's `%v` of a time.Time in UTC: `2006-01-02 15:04:05 +0000 UTC`. */
export function goTime(epochSec: number): string {
  const iso = new Date(epochSec * 1000).toISOString(); // 2006-01-02T15:04:05.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}

/** Go's `%q` of a []string: `["a" "b"]`. */
function goQuoteList(values: string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}

function audienceOf(claims: Claims): string[] {
  const aud = claims.aud;
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud)) return aud.map(String);
  return [];
}

function parse(jwt: string): Claims {
  try {
    return decodeJwt(jwt) as Claims;
  } catch (err) {
    throw denied(`oidc: malformed jwt: ${(err as Error).message}`);
  }
}

async function signatureOk(jwt: string, jwks: JSONWebKeySet): Promise<boolean> {
  try {
    await compactVerify(jwt, createLocalJWKSet(jwks));
    return true;
  } catch {
    return false;
  }
}

export interface OidcCheck {
  issuer: string;
  /** go-oidc `ClientID`: the audience that must be among `aud`. */
  audience: string;
  jwks: JSONWebKeySet;
  now?: Date;
}

/** go-oidc v2 `IDTokenVerifier.Verify` + Teleport's `CheckNotBefore`. */
export async function verifyOidc(jwt: string, c: OidcCheck): Promise<Claims> {
  const claims = parse(jwt);
  const nowSec = (c.now ?? new Date()).getTime() / 1000;
  if (claims.iss !== c.issuer) {
    throw denied(
      `oidc: id token issued by a different provider, expected ${JSON.stringify(c.issuer)} got ${JSON.stringify(String(claims.iss ?? ''))}`,
    );
  }
  const aud = audienceOf(claims);
  if (!aud.includes(c.audience)) {
    throw denied(`oidc: expected audience ${JSON.stringify(c.audience)} got ${goQuoteList(aud)}`);
  }
  const exp = typeof claims.exp === 'number' ? claims.exp : 0;
  if (exp < nowSec) throw denied(`oidc: token is expired (Token Expiry: ${goTime(exp)})`);
  if (!(await signatureOk(jwt, c.jwks))) {
    throw denied('failed to verify signature: failed to verify id token signature');
  }
  // lib/jwt CheckNotBefore: go-oidc v2 does not check nbf, Teleport does with 2 min leeway.
  if (typeof claims.nbf === 'number' && nowSec + 120 < claims.nbf) {
    throw denied('token not before in future');
  }
  return claims;
}

/** githubactions.ValidateTokenWithJWKS (a token's `static_jwks`): go-jose, no issuer check. */
export async function verifyStaticJwks(
  jwt: string,
  jwksJson: string,
  audience: string,
  now = new Date(),
): Promise<Claims> {
  let claims: Claims;
  try {
    claims = decodeJwt(jwt) as Claims;
  } catch (err) {
    throw denied(`parsing jwt: ${(err as Error).message}`);
  }
  let jwks: JSONWebKeySet;
  try {
    jwks = JSON.parse(jwksJson) as JSONWebKeySet;
  } catch (err) {
    throw denied(`parsing provided jwks: ${(err as Error).message}`);
  }
  if (!(await signatureOk(jwt, jwks))) {
    throw denied('validating jwt signature: go-jose/go-jose: error in cryptographic primitive');
  }
  const nowSec = now.getTime() / 1000;
  const leeway = 10;
  const fail = (what: string) =>
    denied(`validating standard claims: go-jose/go-jose/jwt: validation failed, ${what}`);
  if (!audienceOf(claims).includes(audience)) throw fail('invalid audience claim (aud)');
  if (typeof claims.nbf === 'number' && nowSec + leeway < claims.nbf) {
    throw fail('token not valid yet (nbf)');
  }
  if (typeof claims.exp === 'number' && nowSec - leeway > claims.exp) {
    throw fail('token is expired (exp)');
  }
  return claims;
}
