import { parseBooleanInput, textInput } from '../inputs';
import { resolveCdnBase } from '../install/artifact';
import { parseBinaries } from '../install/binaries';
import { cacheRootFor } from '../install/cache-root';
import { parsePinnedSha256 } from '../install/checksum';
import { readEditionInputs } from '../install/edition';
import { parseVersionInput } from '../install/input-version';
import type { InstallRequest } from '../install/install-teleport';
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
