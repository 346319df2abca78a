import { decodeJwt } from 'jose';

/** A readable one-line list of the claims that Teleport's allow rules match. */
export function formatClaims(claims: Record<string, unknown>, names: readonly string[]): string {
  return names
    .filter((n) => claims[n] !== undefined && claims[n] !== '')
    .map((n) => `${n}=${typeof claims[n] === 'string' ? claims[n] : JSON.stringify(claims[n])}`)
    .join(', ');
}

/** Decodes (does not verify) an ID token: the cluster verifies it; we only explain it. */
export function decodeClaims(jwt: string): Record<string, unknown> | undefined {
  try {
    return decodeJwt(jwt) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
