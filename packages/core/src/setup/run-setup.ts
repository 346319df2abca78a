import { parseBooleanInput, textInput } from '../inputs';
import { resolveCdnBase } from '../install/artifact';
import { parseBinaries } from '../install/binaries';
import { cacheRootFor } from '../install/cache-root';
import { parsePinnedSha256 } from '../install/checksum';
import { readEditionInputs } from '../install/edition';
import { parseVersionInput } from '../install/input-version';
import type { InstallRequest, InstallResult } from '../install/install-teleport';
import type { CiPlatform } from '../platform/platform';
import { parseProxyAddress } from '../proxy/address';

function binaryInputs(platform: CiPlatform) {
  const { required, optional } = parseBinaries(platform.getInput('binaries'));
  return { binaries: required, optionalBinaries: optional };
}

/** Reads and checks every input before anything touches the network or the disk. */
export async function readSetupInputs(platform: CiPlatform): Promise<InstallRequest> {
  const proxyRaw = textInput(platform, 'proxy');
  const edition = readEditionInputs(platform);
  const cacheRoot = cacheRootFor(platform);
  return {
    version: await parseVersionInput(textInput(platform, 'version')),
    proxy: proxyRaw ? parseProxyAddress(proxyRaw) : undefined,
    edition,
    ...binaryInputs(platform),
    pinnedSha256: parsePinnedSha256(platform.getInput('sha256')),
    cdnBase: resolveCdnBase(textInput(platform, 'cdn-base-url'), platform.env),
    useActionsCache: platform.name === 'github' && parseBooleanInput(platform, 'cache', true),
    cacheRoot: cacheRoot.root,
    privateCacheRoot: cacheRoot.private,
    restorableCacheRoot: cacheRoot.restorable,
  };
}

function summaryLine(
  r: InstallResult,
  editionLabel: (edition: InstallResult['edition'], fips: boolean) => string,
): string {
  const what = `Teleport ${editionLabel(r.edition, r.fips)} ${r.version} (${r.binaries.join(', ')}) for ${r.target.os}-${r.target.arch}`;
  const from =
    r.source === 'download'
      ? `downloaded from ${r.url}, SHA-256 verified${r.trusted === false ? ' (but over plain HTTP, not TLS: pin `sha256` to protect against tampering)' : ''}`
      : `from the ${r.source === 'tool-cache' ? 'tool cache' : 'Actions cache'} (originally ${r.url})`;
  return `Installed ${what} ${from}.`;
}

/** The `setup` entry point: install, put on PATH, report. */
export async function runSetup(platform: CiPlatform): Promise<void> {
  const request = await readSetupInputs(platform);
  // The install code (HTTP, tar, zlib, the tool cache) loads once the inputs are known good.
  const { installTeleport, editionLabel } = await import('../install/install-teleport');
  const result = await installTeleport(request, platform);
  platform.addPath(result.dir);
  platform.setOutput('version', result.version);
  platform.setOutput('edition', result.edition);
  platform.setOutput('fips', String(result.fips));
  platform.setOutput('path', result.dir);
  platform.setOutput('cache-hit', String(result.source !== 'download'));
  const line = summaryLine(result, editionLabel);
  platform.log.info(line);
  await platform.appendSummary(`${line}\n`);
}
