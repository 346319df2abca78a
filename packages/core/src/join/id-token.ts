import { UserError } from '../errors';
import type { CiPlatform } from '../platform/platform';
import type { ProxyAddress } from '../proxy/address';
import { decodeClaims, formatClaims, showClaims } from './claims';

/** What a preflight learnt: the claims, for error messages when the cluster refuses the join. */
export interface JoinPreflight {
  claims: Record<string, unknown>;
  /** The claims the allow rules match, on one line. */
  summary: string;
}

/** Checks one CI's ID token before tbot runs; `undefined` when there is nothing to show. */
export type Preflight = (
  platform: CiPlatform,
  proxy: ProxyAddress,
) => Promise<JoinPreflight | undefined>;

/**
 * Reads an ID token the CI put in the environment, where tbot will read it: masked at
 * once, and decoded so its claims can be shown. A missing or malformed token fails with
 * the platform's fix.
 */
export function readEnvToken(
  platform: CiPlatform,
  variable: string,
  fix: string,
): Record<string, unknown> {
  const jwt = platform.env[variable];
  if (!jwt) throw new UserError(`${variable} is not set: ${fix}`);
  platform.setSecret(jwt);
  const claims = decodeClaims(jwt);
  if (!claims) throw new UserError(`${variable} does not hold a JWT: ${fix}`);
  return claims;
}

/** Shows the claims the allow rules match and returns them for later error messages. */
export async function explainClaims(
  platform: CiPlatform,
  title: string,
  claims: Record<string, unknown>,
  ruleClaims: readonly string[],
): Promise<JoinPreflight> {
  await showClaims(platform, title, claims, ruleClaims);
  return { claims, summary: formatClaims(claims, ruleClaims) };
}
