import gte from 'semver/functions/gte';
import majorOf from 'semver/functions/major';
import { UserError } from '../errors';
import type { JoinMethod } from '../platform/join-methods';

/**
 * A feature's first release on each release line, oldest line first (teleport-behaviour.md §7).
 * A line listed has the feature from that release on; a newer major than the last listed has it
 * from its first release; an older major does not have it. Backports make this per line: a
 * 16.5.x tbot has `allow_reissue`, a 17.2.1 one does not.
 */
interface Gate {
  since: readonly string[];
  what: string;
}

/**
 * The first tbot releases with what the engine may emit or run. Emitting something an older
 * tbot doesn't know either fails its config parsing (top level before 17.2.8, teleport-behaviour.md §2.1) or
 * is silently dropped (inside outputs and services): both are refused here first.
 */
export const FEATURES = {
  /** `allow_reissue` on identity outputs: v16 backport (#52115, before 16.5.0), 17.2.8 on v17. */
  allowReissue: { since: ['16.5.0', '17.2.8'], what: 'allow_reissue' },
  /** The `kubernetes/v2` output (selectors): 17.2.7 (#52830); 17.2.0 and 17.2.1 reject it. */
  kubernetesV2: { since: ['17.2.7'], what: 'the kubernetes/v2 output (selectors)' },
  /** Outputs live in `services` (v18 merged them; `outputs` is a deprecated alias). */
  outputsAsServices: { since: ['18.0.0'], what: 'outputs under services' },
  /** The `azure_devops` join method: 17.5.1 (#54875). */
  azureDevopsJoin: { since: ['17.5.1'], what: 'the azure_devops join method' },
  /** The `bound_keypair` join method: v18 (#55380). */
  boundKeypairJoin: { since: ['18.0.0'], what: 'the bound_keypair join method' },
  /** The `application-proxy` service: 18.2.3 (#59587). */
  applicationProxy: { since: ['18.2.3'], what: 'the application-proxy service' },
  /** `TBOT_REGISTRATION_SECRET` read for a first bound_keypair join: 18.2.10 (#59620). */
  registrationSecretEnv: {
    since: ['18.2.10'],
    what: 'the TBOT_REGISTRATION_SECRET environment variable',
  },
  /** Tunnels with `/wait` readiness, as the official actions require (#62191). */
  tunnels: { since: ['18.6.4'], what: 'database and application tunnels with readiness' },
} as const satisfies Record<string, Gate>;

export type Feature = keyof typeof FEATURES;

/** The first release that has `feature` on `tbotVersion`'s line, or the first overall. */
export function firstRelease(tbotVersion: string, feature: Feature): string {
  const lines: readonly string[] = FEATURES[feature].since;
  const major = majorOf(tbotVersion);
  return lines.find((v) => majorOf(v) === major) ?? lines[0]!;
}

export function supports(tbotVersion: string, feature: Feature): boolean {
  const lines: readonly string[] = FEATURES[feature].since;
  const major = majorOf(tbotVersion);
  const onLine = lines.find((v) => majorOf(v) === major);
  if (onLine) return gte(tbotVersion, onLine);
  // A major newer than every listed line inherited the feature from its branch point.
  return major > majorOf(lines.at(-1)!);
}

/** Fails with the first release that has it when the job's tbot lacks a feature an input asks for. */
export function requireFeature(tbotVersion: string, feature: Feature, input: string): void {
  if (supports(tbotVersion, feature)) return;
  const since = firstRelease(tbotVersion, feature);
  throw new UserError(
    `Input '${input}' needs ${FEATURES[feature].what}, which tbot has from ${since}; this job has tbot ${tbotVersion}: install ${since} or newer with teleport-actions/setup`,
  );
}

/** The feature a join method needs beyond what every supported tbot joins with. */
const JOIN_METHOD_FEATURES: Partial<Record<JoinMethod, Feature>> = {
  azure_devops: 'azureDevopsJoin',
  bound_keypair: 'boundKeypairJoin',
};

/** Refuses a join method the job's tbot does not have, before anything runs. */
export function requireJoinMethod(tbotVersion: string, method: JoinMethod, input: string): void {
  const feature = JOIN_METHOD_FEATURES[method];
  if (feature) requireFeature(tbotVersion, feature, input);
}
