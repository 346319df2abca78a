import valid from 'semver/functions/valid';
import { UserError } from '../errors';
import { describeNetworkError, getText, HttpStatusError, withRetries } from '../net/http';
import type { Logger } from '../platform/platform';
import { untrustedText } from '../platform/untrusted-text';
import type { ProxyAddress } from './address';

/** What the proxy's unauthenticated `/webapi/find` tells about the cluster (teleport-behaviour.md §5.1). */
export interface ClusterInfo {
  clusterName?: string;
  serverVersion?: string;
  /** `auto_update.tools_version`; absent on proxies before 17.0.1 / 16.4.10 / 15.4.24. */
  toolsVersion?: string;
  edition?: string;
  fips?: boolean;
}

/** Normalises a version reported by a proxy (`17.4.2`, `v17.4.2`). */
export function parseReportedVersion(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  return valid(raw.trim().replace(/^v/i, '')) ?? undefined;
}

/** Parses a `/webapi/find` body; anything that isn't Teleport's JSON is a clear error. */
export function parseFindResponse(body: string, proxy: ProxyAddress): ClusterInfo {
  const notTeleport = `Proxy ${proxy.hostPort} is not a Teleport proxy: /webapi/find`;
  const fix = "check 'proxy' is your Teleport proxy's public address (host:port)";
  if (/^\s*</.test(body)) throw new UserError(`${notTeleport} answered HTML, not JSON: ${fix}`);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(body) as Record<string, unknown>;
  } catch {
    throw new UserError(`${notTeleport} did not answer JSON: ${fix}`);
  }
  if (typeof json !== 'object' || json === null || !('server_version' in json || 'proxy' in json)) {
    throw new UserError(`${notTeleport} answered JSON without a proxy or server_version: ${fix}`);
  }
  const autoUpdate = (json.auto_update ?? {}) as Record<string, unknown>;
  return {
    // The proxy's words reach log lines and messages: nothing in them may steer the output.
    clusterName:
      typeof json.cluster_name === 'string' ? untrustedText(json.cluster_name) : undefined,
    serverVersion: parseReportedVersion(json.server_version),
    toolsVersion: parseReportedVersion(autoUpdate.tools_version),
    edition: typeof json.edition === 'string' ? untrustedText(json.edition) : undefined,
    fips: typeof json.fips === 'boolean' ? json.fips : undefined,
  };
}

/** Asks the proxy what it runs, retrying passing network faults. */
export async function findCluster(proxy: ProxyAddress, log: Logger): Promise<ClusterInfo> {
  const url = `https://${proxy.hostPort}/webapi/find`;
  let body: string;
  try {
    body = await withRetries(
      () => getText(url, { Accept: 'application/json' }),
      (err, n) =>
        log.info(`GET ${url} failed (${describeNetworkError(err)}), retrying (attempt ${n + 1})`),
    );
  } catch (err) {
    if (err instanceof HttpStatusError && err.status === 404) {
      throw new UserError(
        `Proxy ${proxy.hostPort} has no /webapi/find (HTTP 404): check 'proxy' is your Teleport proxy's public address`,
      );
    }
    throw new UserError(
      `Could not reach proxy ${proxy.hostPort}: ${describeNetworkError(err)}; check 'proxy' and that the runner can reach it`,
    );
  }
  return parseFindResponse(body, proxy);
}
