import { UserError } from '../errors';
import { redactUrl } from '../net/redact';
import type { Edition } from './edition';
import type { Target } from './target';

export const DEFAULT_CDN_BASE_URL = 'https://cdn.teleport.dev';

export interface ArtifactSpec {
  version: string;
  edition: Edition;
  fips: boolean;
  target: Target;
}

/**
 * The CDN file name (teleport-behaviour.md §6.1):
 * `teleport[-ent]-v<ver>-<os>-<arch>[-fips]-bin.tar.gz`; FIPS always uses the `-ent` name.
 */
export function artifactName(spec: ArtifactSpec): string {
  if (spec.fips && spec.target.os !== 'linux') {
    throw new UserError(
      `FIPS builds exist only for Linux, not ${spec.target.os}: set 'fips: false'`,
    );
  }
  const product = spec.edition === 'enterprise' || spec.fips ? 'teleport-ent' : 'teleport';
  const fips = spec.fips ? '-fips' : '';
  return `${product}-v${spec.version}-${spec.target.os}-${spec.target.arch}${fips}-bin.tar.gz`;
}

/** The tarball's top folder: `teleport/` for OSS, `teleport-ent/` for Enterprise and FIPS (teleport-behaviour.md §6.3). */
export function topFolder(spec: Pick<ArtifactSpec, 'edition' | 'fips'>): string {
  return spec.edition === 'enterprise' || spec.fips ? 'teleport-ent' : 'teleport';
}

/** The tool-cache name for an edition, so OSS, Enterprise and FIPS never share a folder. */
export function toolName(spec: Pick<ArtifactSpec, 'edition' | 'fips'>): string {
  if (spec.fips) return 'teleport-ent-fips';
  return spec.edition === 'enterprise' ? 'teleport-ent' : 'teleport';
}

/**
 * The CDN base: the input, else Teleport's own `TELEPORT_CDN_BASE_URL` (mirrors,
 * air-gapped runners), else the public CDN.
 */
export function resolveCdnBase(input: string, env: NodeJS.ProcessEnv): string {
  const raw = input.trim() || env.TELEPORT_CDN_BASE_URL?.trim() || DEFAULT_CDN_BASE_URL;
  const source = input.trim() ? "Input 'cdn-base-url'" : 'TELEPORT_CDN_BASE_URL';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError(
      `${source}: '${redactUrl(raw)}' is not a URL: use e.g. ${DEFAULT_CDN_BASE_URL}`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UserError(
      `${source}: '${redactUrl(raw)}' must be an http(s) URL, e.g. ${DEFAULT_CDN_BASE_URL}`,
    );
  }
  return raw.replace(/\/+$/, '');
}
