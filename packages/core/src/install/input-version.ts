import { InputError, UserError } from '../errors';
import type { ProxyAddress } from '../proxy/address';
import type { ClusterInfo } from '../proxy/find';

export type VersionRequest = { kind: 'auto' } | { kind: 'exact'; version: string };

const EXAMPLE =
  "give a full Teleport version like '17.4.2' (a leading 'v' is fine), or 'auto' with 'proxy' set";

/** Parses the `version` input: `auto`, or an exact semver with an optional leading `v`. */
export async function parseVersionInput(raw: string, input = 'version'): Promise<VersionRequest> {
  const value = raw.trim();
  if (value === '') throw new InputError(input, `is empty: ${EXAMPLE}`);
  if (value.toLowerCase() === 'auto') return { kind: 'auto' };
  const bare = value.replace(/^v/i, '');
  // Loaded once there is a version to check: building semver's expressions is a good part of
  // the step's start-up, and a step whose version is missing fails without it.
  const { default: valid } = await import('semver/functions/valid');
  // semver's valid() is strict: '17' and '17.4' are not versions the CDN serves.
  const version = valid(bare);
  if (!version) throw new InputError(input, `'${value}' is not a full version: ${EXAMPLE}`);
  return { kind: 'exact', version };
}

/** The version `version: auto` installs: the tools target, else the proxy's own version. */
export function autoVersion(info: ClusterInfo, proxy: ProxyAddress): string {
  const version = info.toolsVersion ?? info.serverVersion;
  if (!version) {
    throw new UserError(
      `Proxy ${proxy.hostPort} did not report a version in /webapi/find: set 'version' to the cluster's Teleport version`,
    );
  }
  return version;
}
