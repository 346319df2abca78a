import { UserError } from '../errors';
import {
  describeNetworkError,
  getText,
  HttpStatusError,
  isRetryable,
  redactUrl,
  withRetries,
} from '../net/http';
import type { CiPlatform } from '../platform/platform';
import type { ProxyAddress } from '../proxy/address';
import { type ClusterInfo, findCluster } from '../proxy/find';
import type { ArtifactSpec } from './artifact';
import { parseSha256File } from './checksum';
import { downloadAndExtract } from './download';
import { editionLabel } from './edition';
import { autoVersion } from './input-version';
import { type CacheSlot, discardStaging, stagingDirFor } from './tool-cache';

// What an install does over the network: ask the proxy for its cluster, fetch the published
// checksum, download and extract. Loaded by install-teleport.ts only when needed.
/** `182.3 MB`, or `12.4 kB` for small files. */
function formatBytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

/** The cluster behind `proxy`, from its `/webapi/find`, as the log shows it. */
export async function findClusterOf(
  proxy: ProxyAddress,
  platform: CiPlatform,
): Promise<ClusterInfo> {
  const cluster = await findCluster(proxy, platform.log);
  const reported = cluster.toolsVersion
    ? 'tools version'
    : 'server version (no auto_update in /webapi/find)';
  platform.log.info(
    `Proxy ${proxy.hostPort}: cluster ${cluster.clusterName ?? '?'}, ${reported} ${autoVersion(cluster, proxy)}, edition ${cluster.edition ?? 'unknown'}${cluster.fips ? ', FIPS' : ''}`,
  );
  return cluster;
}

export async function expectedChecksum(
  url: string,
  req: { pinnedSha256?: string; cdnBase: string },
  spec: ArtifactSpec,
  platform: CiPlatform,
) {
  if (req.pinnedSha256) return req.pinnedSha256;
  const shown = redactUrl(url);
  try {
    const text = await withRetries(
      () => getText(`${url}.sha256`),
      (err, n) =>
        platform.log.info(
          `GET ${shown}.sha256 failed (${describeNetworkError(err)}), retrying (attempt ${n + 1})`,
        ),
    );
    return parseSha256File(text, `${shown}.sha256`);
  } catch (err) {
    if (err instanceof HttpStatusError && err.status === 404) {
      throw new UserError(
        `Teleport ${spec.version} (${editionLabel(spec.edition, spec.fips)}, ${spec.target.os}-${spec.target.arch}) is not published at ${redactUrl(req.cdnBase)}: ${shown}.sha256 answered 404; check 'version' and 'edition'`,
      );
    }
    if (err instanceof UserError) throw err;
    throw new UserError(
      `Could not fetch the checksum ${shown}.sha256: ${describeNetworkError(err)}`,
    );
  }
}

export async function downloadInto(
  slot: CacheSlot,
  url: string,
  sha256: string,
  extract: { members: string[]; optionalMembers: string[]; files: string[] },
  overTls: boolean,
  platform: CiPlatform,
) {
  const staging = stagingDirFor(slot);
  const shown = redactUrl(url);
  try {
    const { bytes, missing } = await withRetries(
      () =>
        downloadAndExtract({
          url,
          expectedSha256: sha256,
          stagingDir: staging,
          ...extract,
          log: platform.log,
        }),
      (err, n) =>
        platform.log.warning(
          `Download of ${shown} failed (${describeNetworkError(err)}), retrying (attempt ${n + 1})`,
        ),
    );
    platform.log.info(`Downloaded ${formatBytes(bytes)}, SHA-256 ${sha256} verified`);
    if (!overTls) {
      platform.log.warning(
        `${shown} and its checksum came over plain HTTP, not TLS: the SHA-256 check protects against corruption, not tampering; pin 'sha256' or use an https:// mirror`,
      );
    }
    return { staging, missing };
  } catch (err) {
    await discardStaging(staging, slot);
    if (err instanceof UserError) throw err;
    if (err instanceof HttpStatusError && err.status === 404) {
      throw new UserError(
        `${shown} answered 404 although its checksum exists: check the mirror in 'cdn-base-url'`,
      );
    }
    // Only faults worth another try were retried (a 403 is final).
    const tail = isRetryable(err) ? '; the step retried and gave up' : '';
    throw new UserError(`Could not download ${shown}: ${describeNetworkError(err)}${tail}`);
  }
}
