import { access, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors';
import { redactUrl } from '../net/redact';
import type { CiPlatform } from '../platform/platform';
import type { ProxyAddress } from '../proxy/address';
import type { ClusterInfo } from '../proxy/find';
import { actionsCacheOffered, restoreFromActionsCache, saveToActionsCache } from './actions-cache';
import { type ArtifactSpec, artifactName, toolName, topFolder } from './artifact';
import { bundleLinksIntact, linkBundles, type Placement, placementOf } from './bundles';
import { type Edition, type EditionRequest, needsClusterBuild, resolveEdition } from './edition';
import { autoVersion, type VersionRequest } from './input-version';
import { ensurePrivateDir } from './private-dir';
import { detectTarget, type Target } from './target';
import {
  type CacheSlot,
  checkAgainstRecord,
  discardSlot,
  findInCache,
  markerPath,
  promote,
  readRecord,
  removeLeftovers,
  slotDir,
  withSlotLock,
} from './tool-cache';

export interface InstallRequest {
  version: VersionRequest;
  proxy?: ProxyAddress;
  edition: EditionRequest;
  /** Installed, or the install fails. */
  binaries: string[];
  /** Installed where the tarball has them (the whole tarball when `binaries` is not narrowed). */
  optionalBinaries?: string[];
  pinnedSha256?: string;
  cdnBase: string;
  /** Also use GitHub's hosted cache (where the platform has one). */
  useActionsCache: boolean;
  /** Where installed tools are kept; the platform's tool cache. */
  cacheRoot: string;
  /** The root is a default of this user's: create it private, refuse one that is not. */
  privateCacheRoot?: boolean;
  /** The root may have been restored from a CI cache: check its records against the CDN's checksum. */
  restorableCacheRoot?: boolean;
}

export { editionLabel } from './edition';

export interface InstallResult {
  version: string;
  edition: Edition;
  fips: boolean;
  target: Target;
  dir: string;
  /** What was installed (the optional binaries the tarball had included). */
  binaries: string[];
  /** Where the binaries came from. */
  source: 'tool-cache' | 'actions-cache' | 'download';
  /** The tarball's URL, credentials redacted. */
  url: string;
  sha256?: string;
  /** Whether the hash was pinned or fetched over TLS: only then does it protect integrity. */
  trusted?: boolean;
  cluster?: ClusterInfo;
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
  const { findClusterOf } = await import('./network-steps');
  return findClusterOf(req.proxy, platform);
}

// The network half of an install (HTTP client, TLS, zlib, tar, semver) loads only when the
// tool cache cannot serve the request: a warm install does not pay for it.
const expectedChecksum = async (
  ...args: Parameters<typeof import('./network-steps').expectedChecksum>
) => (await import('./network-steps')).expectedChecksum(...args);
const downloadInto = async (...args: Parameters<typeof import('./network-steps').downloadInto>) =>
  (await import('./network-steps')).downloadInto(...args);

/**
 * Installs the requested Teleport binaries: resolves version and edition, then takes them
 * from the tool cache, the Actions cache, or the CDN (verified, in one pass), in that order.
 */
export async function installTeleport(
  req: InstallRequest,
  platform: CiPlatform,
): Promise<InstallResult> {
  const target = detectTarget(platform.env);
  if (req.privateCacheRoot) await ensurePrivateDir(req.cacheRoot);
  const cluster = await resolveCluster(req, platform);
  const version =
    req.version.kind === 'exact' ? req.version.version : autoVersion(cluster!, req.proxy!);
  const { edition, fips } = resolveEdition(req.edition, cluster);
  const spec: ArtifactSpec = { version, edition, fips, target };
  const url = `${req.cdnBase}/${artifactName(spec)}`;
  const slot: CacheSlot = { root: req.cacheRoot, tool: toolName(spec), version, arch: target.arch };
  // Mirror credentials go in a header, never into logs, the summary or outputs.
  const { password } = new URL(req.cdnBase);
  if (password) platform.setSecret(decodeURIComponent(password));
  const shown = redactUrl(url);
  const required = req.binaries.map((b) => placementOf(b, version, target));
  const optional = (req.optionalBinaries ?? []).map((b) => placementOf(b, version, target));
  const files = (ps: Placement[]) => ps.map((p) => p.file);
  const result = { version, edition, fips, target, url: shown, cluster };
  // The names of what a slot holds for this request: the required ones, and the optional
  // ones its record does not list as absent from the archive.
  const installedFrom = async () => {
    const absent = (await readRecord(slot))?.absent ?? [];
    const names = [...required, ...optional.filter((p) => !absent.includes(p.file))];
    return names.map((p) => p.name);
  };
  // A root a CI cache may have restored: its record must name the archive the CDN publishes.
  const lookup = {
    archiveSha256: req.restorableCacheRoot
      ? await expectedChecksum(url, req, spec, platform)
      : req.pinnedSha256,
    optional: files(optional),
  };

  const warn = (message: string) => platform.log.warning(message);
  // A job killed mid-download leaves its staging folder; the next install clears it.
  await removeLeftovers(slot);
  const cached = await findInCache(slot, files(required), { ...lookup, warn });
  if (cached && (await bundleLinksIntact(cached, [...required, ...optional]))) {
    return { ...result, dir: cached, binaries: await installedFrom(), source: 'tool-cache' };
  }

  const sha256 = await expectedChecksum(url, req, spec, platform);
  // The service also matches keys by prefix: the closing ';' keeps `...-tbot` from
  // matching `...-tbot+tctl+tsh`.
  const names = [...req.binaries, ...(req.optionalBinaries ?? [])].sort().join('+');
  const cacheKey = `teleport-actions-${slot.tool}-${version}-${target.os}-${target.arch}-${names};`;
  // The entry holds the folder and its marker, whose record is checked after every restore.
  const cachePaths = [slotDir(slot), markerPath(slot)];
  if (req.useActionsCache) {
    const restored = await restoreVerified(
      slot,
      cachePaths,
      cacheKey,
      { required: files(required), optional: files(optional) },
      sha256,
      platform,
    );
    if (restored && (await bundleLinksIntact(restored.dir, [...required, ...optional]))) {
      return { ...result, ...restored, binaries: await installedFrom() };
    }
  }

  const top = topFolder(spec);
  const { staging, missing } = await downloadInto(
    slot,
    url,
    sha256,
    {
      members: required.map((p) => `${top}/${p.member}`),
      optionalMembers: optional.map((p) => `${top}/${p.member}`),
      files: files(required),
    },
    url.startsWith('https:') || req.pinnedSha256 !== undefined,
    platform,
  );
  const present = [...required, ...optional.filter((p) => !missing.includes(`${top}/${p.member}`))];
  const absent = optional.filter((p) => !present.includes(p));
  await Promise.all(present.map((p) => chmod(join(staging, p.file), 0o755)));
  await linkBundles(staging, present);
  const saving = req.useActionsCache && actionsCacheOffered(platform.env);
  // A slot that a cache may carry to another machine is recorded by content, not file identity.
  const dir = await promote(staging, slot, files(present), sha256, {
    hash: saving || req.restorableCacheRoot === true,
    entries: present.flatMap((p) => (p.link ? [p.member, p.link] : [p.member])),
    absent: files(absent),
  });

  if (saving) await saveToActionsCache(cachePaths, cacheKey, platform.log, platform.env);
  const trusted = url.startsWith('https:') || req.pinnedSha256 !== undefined;
  return {
    ...result,
    dir,
    binaries: present.map((p) => p.name),
    source: 'download',
    sha256,
    trusted,
  };
}

/**
 * Restores the Actions-cache entry into an empty slot and checks it against its record and
 * the published archive's SHA-256: an entry anyone could have saved is not trusted blindly.
 * A mismatch is a miss, with a warning.
 */
async function restoreVerified(
  slot: CacheSlot,
  paths: string[],
  key: string,
  binaries: { required: string[]; optional: string[] },
  archiveSha256: string,
  platform: CiPlatform,
): Promise<{ dir: string; source: 'tool-cache' | 'actions-cache' } | undefined> {
  return withSlotLock(slot, async () => {
    // Another job may have filled the slot while this one waited for the lock.
    const there = await findInCache(slot, binaries.required, {
      archiveSha256,
      optional: binaries.optional,
    });
    if (there) return { dir: there, source: 'tool-cache' };
    const occupied = await Promise.all(
      paths.map((p) =>
        access(p).then(
          () => true,
          () => false,
        ),
      ),
    );
    if (occupied.some(Boolean)) return undefined;
    if (!(await restoreFromActionsCache(paths, key, platform.log, platform.env))) return undefined;
    const problem = await checkAgainstRecord(
      slot,
      binaries.required,
      archiveSha256,
      binaries.optional,
    );
    if (!problem) return { dir: slotDir(slot), source: 'actions-cache' };
    platform.log.warning(
      `The Actions cache entry ${key} does not match the published archive (${problem}); downloading instead`,
    );
    await discardSlot(slot);
    return undefined;
  });
}
