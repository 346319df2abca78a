import { decodeJwt } from 'jose';
import type { CiPlatform } from '../platform/platform';

/** How one claim reads in logs and errors: strings as they are, anything else as JSON. */
function claimValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A readable one-line list of the claims that Teleport's allow rules match. */
export function formatClaims(claims: Record<string, unknown>, names: readonly string[]): string {
  return names
    .filter((n) => claims[n] !== undefined && claims[n] !== '')
    .map((n) => `${n}=${claimValue(claims[n])}`)
    .join(', ');
}

/** Shows the claims an allow rule can match, one per line, in a collapsed group. */
export async function showClaims(
  platform: CiPlatform,
  title: string,
  claims: Record<string, unknown>,
  names: readonly string[],
): Promise<void> {
  await platform.group(title, async () => {
    for (const name of names) {
      if (claims[name] !== undefined) platform.log.info(`${name}: ${claimValue(claims[name])}`);
    }
  });
}

/** Decodes (does not verify) an ID token: the cluster verifies it; we only explain it. */
export function decodeClaims(jwt: string): Record<string, unknown> | undefined {
  try {
    return decodeJwt(jwt) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The token's audiences, whether `aud` is one string or a list. */
export function audiences(claims: Record<string, unknown>): string[] {
  const aud = claims.aud;
  return Array.isArray(aud) ? aud.map(String) : aud === undefined ? [] : [String(aud)];
}
