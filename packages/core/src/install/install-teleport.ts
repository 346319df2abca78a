import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, UserError } from '../errors';
import { describeNetworkError, getText, HttpStatusError, withRetries } from '../net/http';
import type { CiPlatform } from '../platform/platform';
import type { ProxyAddress } from '../proxy/address';
import { type ClusterInfo, findCluster } from '../proxy/find';
import { restoreFromActionsCache, saveToActionsCache } from './actions-cache';
import { type ArtifactSpec, artifactName, toolName, topFolder } from './artifact';
import { KNOWN_BINARIES } from './binaries';
import { parseSha256File } from './checksum';
import { downloadAndExtract } from './download';
import { type Edition, type EditionRequest, needsClusterBuild, resolveEdition } from './edition';
import { autoVersion, type VersionRequest } from './input-version';
import { detectTarget, type Target } from './target';
import {
  type CacheSlot,
  discardStaging,
  findInCache,
  markComplete,
  presentBinaries,
  promote,
  slotDir,
  stagingDirFor,
} from './tool-cache';

export interface InstallRequest {
  version: VersionRequest;
  proxy?: ProxyAddress;
  edition: EditionRequest;
  binaries: string[];
  pinnedSha256?: string;
  cdnBase: string;
  /** Also use GitHub's hosted cache (where the platform has one). */
  useActionsCache: boolean;
  /** Where installed tools are kept; the platform's tool cache. */
  cacheRoot: string;
}

export interface InstallResult {
  version: string;
  edition: Edition;
  fips: boolean;
  target: Target;
  dir: string;
  binaries: string[];
  /** Where the binaries came from. */
  source: 'tool-cache' | 'actions-cache' | 'download';
  url: string;
  sha256?: string;
  cluster?: ClusterInfo;
}

/** `182.3 MB`, or `12.4 kB` for small files. */
export function formatBytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

export function editionLabel(edition: Edition, fips: boolean): string {
  if (fips) return 'Enterprise FIPS';
  return edition === 'enterprise' ? 'Enterprise' : 'OSS';
}

async function resolveCluster(req: InstallRequest, platform: CiPlatform) {
  const wantsCluster = req.version.kind === 'auto' || needsClusterBuild(req.edition);
  if (req.version.kind === 'auto' && !req.proxy) {
    throw new InputError(
      'proxy',
      "is required with 'version: auto': give your proxy's public address, e.g. teleport.example.com:443",
    );
  }
  if (!wantsCluster || !req.proxy) return undefined;
  const cluster = await findCluster(req.proxy, platform.log);
  const reported = cluster.toolsVersion
    ? 'tools version'
    : 'server version (no auto_update in /webapi/find)';
  platform.log.info(
    `Proxy ${req.proxy.hostPort}: cluster ${cluster.clusterName ?? '?'}, ${reported} ${autoVersion(cluster, req.proxy)}, edition ${cluster.edition ?? 'unknown'}${cluster.fips ? ', FIPS' : ''}`,
  );
  return cluster;
}

async function expectedChecksum(
  url: string,
  req: InstallRequest,
  spec: ArtifactSpec,
  platform: CiPlatform,
) {
  if (req.pinnedSha256) return req.pinnedSha256;
  try {
    const text = await withRetries(
      () => getText(`${url}.sha256`),
      (err, n) =>
        platform.log.info(
          `GET ${url}.sha256 failed (${describeNetworkError(err)}), retrying (attempt ${n + 1})`,
        ),
    );
    return parseSha256File(text, `${url}.sha256`);
  } catch (err) {
    if (err instanceof HttpStatusError && err.status === 404) {
      throw new UserError(
        `Teleport ${spec.version} (${editionLabel(spec.edition, spec.fips)}, ${spec.target.os}-${spec.target.arch}) is not published at ${req.cdnBase}: ${url}.sha256 answered 404; check 'version' and 'edition'`,
      );
    }
    if (err instanceof UserError) throw err;
    throw new UserError(`Could not fetch the checksum ${url}.sha256: ${describeNetworkError(err)}`);
  }
}

async function downloadInto(
  slot: CacheSlot,
  url: string,
  sha256: string,
  members: string[],
  platform: CiPlatform,
) {
  const staging = stagingDirFor(slot);
  try {
    const { bytes } = await withRetries(
      () =>
        downloadAndExtract({
          url,
          expectedSha256: sha256,
          stagingDir: staging,
          members,
          log: platform.log,
        }),
      (err, n) =>
        platform.log.warning(
          `Download of ${url} failed (${describeNetworkError(err)}), retrying (attempt ${n + 1})`,
        ),
    );
    platform.log.info(`Downloaded ${formatBytes(bytes)}, SHA-256 ${sha256} verified`);
    return staging;
  } catch (err) {
    await discardStaging(staging, slot);
    if (err instanceof UserError) throw err;
    if (err instanceof HttpStatusError && err.status === 404) {
      throw new UserError(
        `${url} answered 404 although its checksum exists: check the mirror in 'cdn-base-url'`,
      );
    }
    throw new UserError(
      `Could not download ${url}: ${describeNetworkError(err)}; the step retried and gave up`,
    );
  }
}

/**
 * Installs the requested Teleport binaries: resolves version and edition, then takes them
 * from the tool cache, the Actions cache, or the CDN (verified, in one pass), in that order.
 */
export async function installTeleport(
  req: InstallRequest,
  platform: CiPlatform,
): Promise<InstallResult> {
  const target = detectTarget(platform.env);
  const cluster = await resolveCluster(req, platform);
  const version =
    req.version.kind === 'exact' ? req.version.version : autoVersion(cluster!, req.proxy!);
  const { edition, fips } = resolveEdition(req.edition, cluster);
  const spec: ArtifactSpec = { version, edition, fips, target };
  const url = `${req.cdnBase}/${artifactName(spec)}`;
  const slot: CacheSlot = { root: req.cacheRoot, tool: toolName(spec), version, arch: target.arch };
  const result = { version, edition, fips, target, binaries: req.binaries, url, cluster };

  const cached = await findInCache(slot, req.binaries);
  if (cached) return { ...result, dir: cached, source: 'tool-cache' };

  // The service also matches keys by prefix: the closing ';' keeps `...-tbot` from
  // matching `...-tbot+tctl+tsh`.
  const binaries = [...req.binaries].sort().join('+');
  const cacheKey = `teleport-actions-${slot.tool}-${version}-${target.os}-${target.arch}-${binaries};`;
  // Restore only into an empty slot, so nothing unverified mixes with what is there.
  const present = await presentBinaries(slotDir(slot), KNOWN_BINARIES);
  if (
    req.useActionsCache &&
    present.length === 0 &&
    (await restoreFromActionsCache(slotDir(slot), cacheKey, platform.log, platform.env))
  ) {
    await markComplete(slot);
    const restored = await findInCache(slot, req.binaries);
    if (restored) return { ...result, dir: restored, source: 'actions-cache' };
  }

  const sha256 = await expectedChecksum(url, req, spec, platform);
  // Keep what an earlier job put in this slot: the new copy replaces it whole.
  const keep = present;
  const wanted = [...new Set([...req.binaries, ...keep])];
  const top = topFolder(spec);
  const staging = await downloadInto(
    slot,
    url,
    sha256,
    wanted.map((b) => `${top}/${b}`),
    platform,
  );
  await Promise.all(wanted.map((b) => chmod(join(staging, b), 0o755)));
  const dir = await promote(staging, slot, req.binaries);

  if (req.useActionsCache) await saveToActionsCache(dir, cacheKey, platform.log, platform.env);
  return { ...result, dir, source: 'download', sha256 };
}
