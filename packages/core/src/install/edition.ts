import { InputError } from '../errors';

export type Edition = 'oss' | 'enterprise';

export interface EditionInputs {
  /** `auto`, `oss` or `enterprise` (`edition` input). */
  edition: string;
  /** The official action's boolean `enterprise` input. */
  enterprise: string;
  /** `auto`, `true` or `false` (`fips` input). */
  fips: string;
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

function parseBoolean(input: string, raw: string, allowAuto: boolean): boolean | 'auto' {
  const value = raw.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false' || (value === '' && !allowAuto)) return false;
  if (allowAuto && (value === 'auto' || value === '')) return 'auto';
  const allowed = allowAuto ? "'auto', 'true' or 'false'" : "'true' or 'false'";
  throw new InputError(input, `'${raw}' is not one of ${allowed}`);
}

/** Validates the edition inputs without needing the cluster (fails fast on typos). */
export function parseEditionInputs(inputs: EditionInputs) {
  const edition = inputs.edition.trim().toLowerCase() || 'auto';
  if (!['auto', 'oss', 'enterprise'].includes(edition)) {
    throw new InputError(
      'edition',
      `'${inputs.edition}' is not one of 'auto', 'oss' or 'enterprise'`,
    );
  }
  const enterprise = parseBoolean('enterprise', inputs.enterprise, false) as boolean;
  if (enterprise && edition === 'oss') {
    throw new InputError('edition', "'oss' contradicts 'enterprise: true': set only one of them");
  }
  const fips = parseBoolean('fips', inputs.fips, true);
  if (fips === true && edition === 'oss') {
    throw new InputError(
      'fips',
      "FIPS builds are Enterprise only: drop 'edition: oss' or 'fips: true'",
    );
  }
  return { edition: enterprise ? 'enterprise' : edition, fips } as {
    edition: Edition | 'auto';
    fips: boolean | 'auto';
  };
}

/** Whether resolving needs to ask the cluster what it runs. */
export function needsClusterBuild(inputs: EditionInputs): boolean {
  const parsed = parseEditionInputs(inputs);
  return parsed.edition === 'auto' || parsed.fips === 'auto';
}

/**
 * Decides the edition: explicit inputs win; `auto` follows the cluster (`ent` means
 * Enterprise; `oss` and `community` use the OSS tarball), or OSS when the cluster is unknown.
 * FIPS builds exist only as Enterprise, so FIPS forces Enterprise (facts §6.1).
 */
export function resolveEdition(inputs: EditionInputs, cluster?: ClusterBuild): ResolvedEdition {
  const parsed = parseEditionInputs(inputs);
  const fips = parsed.fips === 'auto' ? cluster?.fips === true : parsed.fips;
  let edition: Edition;
  if (parsed.edition !== 'auto') edition = parsed.edition;
  else edition = cluster?.edition === 'ent' ? 'enterprise' : 'oss';
  return { edition: fips ? 'enterprise' : edition, fips };
}
