import { InputError } from '../errors';
import { parseBooleanInput, parseBooleanOrAutoInput, parseChoiceInput } from '../inputs';
import type { CiPlatform } from '../platform/platform';

export type Edition = 'oss' | 'enterprise';

/** The edition inputs, checked: each may be left to the cluster (`auto`). */
export interface EditionRequest {
  edition: Edition | 'auto';
  fips: boolean | 'auto';
}

export interface ClusterBuild {
  /** What `/webapi/find` reports: `oss`, `ent` or `community`; absent on older proxies. */
  edition?: string;
  fips?: boolean;
}

export interface ResolvedEdition {
  edition: Edition;
  fips: boolean;
}

/**
 * Reads `edition` (auto, oss, enterprise), the official action's boolean `enterprise`, and
 * `fips` (auto, true, false), refusing contradictions before anything runs.
 */
export function readEditionInputs(platform: CiPlatform): EditionRequest {
  const edition = parseChoiceInput(platform, 'edition', ['auto', 'oss', 'enterprise'], 'auto');
  const enterprise = parseBooleanInput(platform, 'enterprise', false);
  if (enterprise && edition === 'oss') {
    throw new InputError('edition', "'oss' contradicts 'enterprise: true': set only one of them");
  }
  const fips = parseBooleanOrAutoInput(platform, 'fips');
  if (fips === true && edition === 'oss') {
    throw new InputError(
      'fips',
      "FIPS builds are Enterprise only: drop 'edition: oss' or 'fips: true'",
    );
  }
  return { edition: enterprise ? 'enterprise' : edition, fips };
}

/** Whether resolving needs to ask the cluster what it runs. */
export function needsClusterBuild(request: EditionRequest): boolean {
  return request.edition === 'auto' || request.fips === 'auto';
}

/**
 * Decides the edition: explicit inputs win; `auto` follows the cluster (`ent` means
 * Enterprise; `oss` and `community` use the OSS tarball), or OSS when the cluster is unknown.
 * FIPS builds exist only as Enterprise, so FIPS forces Enterprise (teleport-behaviour.md §6.1).
 */
export function resolveEdition(request: EditionRequest, cluster?: ClusterBuild): ResolvedEdition {
  const fips = request.fips === 'auto' ? cluster?.fips === true : request.fips;
  let edition: Edition;
  if (request.edition !== 'auto') edition = request.edition;
  else edition = cluster?.edition === 'ent' ? 'enterprise' : 'oss';
  return { edition: fips ? 'enterprise' : edition, fips };
}

export function editionLabel(edition: Edition, fips: boolean): string {
  if (fips) return 'Enterprise FIPS';
  return edition === 'enterprise' ? 'Enterprise' : 'OSS';
}
