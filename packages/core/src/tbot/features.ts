import semver from 'semver';
import { UserError } from '../errors';

/**
 * The first tbot release with each feature we may emit (teleport-behaviour.md §7). Emitting a key an older
 * tbot doesn't know fails its strict config parsing (teleport-behaviour.md §2.1), so we check first and
 * name the minimum instead.
 */
export const FEATURES = {
  /** `allow_reissue` on identity outputs (the official actions state 17.2.8). */
  allowReissue: { since: '17.2.8', what: 'allow_reissue' },
  /** The `kubernetes/v2` output with name and label selectors ("partway through v17"). */
  kubernetesV2: { since: '17.2.0', what: 'the kubernetes/v2 output (selectors)' },
  /** Outputs live in `services` (v18 merged them; `outputs` is a deprecated alias). */
  outputsAsServices: { since: '18.0.0', what: 'outputs under services' },
  /** The `application-proxy` service (#59587, 18.2.3). */
  applicationProxy: { since: '18.2.3', what: 'the application-proxy service' },
  /** Tunnels with `/wait` readiness, as the official actions require. */
  tunnels: { since: '18.6.4', what: 'database and application tunnels with readiness' },
} as const;

export type Feature = keyof typeof FEATURES;

export function supports(tbotVersion: string, feature: Feature): boolean {
  return semver.gte(tbotVersion, FEATURES[feature].since);
}

/** Fails with the minimum version when the job's tbot lacks a feature an input asks for. */
export function requireFeature(tbotVersion: string, feature: Feature, input: string): void {
  if (supports(tbotVersion, feature)) return;
  const { since, what } = FEATURES[feature];
  throw new UserError(
    `Input '${input}' needs ${what}, which tbot has from ${since}; this job has tbot ${tbotVersion}: install ${since} or newer with teleport-actions/setup`,
  );
}
