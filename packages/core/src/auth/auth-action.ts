import type { CiPlatform } from '../platform/platform';
import type { IssuedIdentity } from '../tbot/certificate';
import type { Output, Service } from '../tbot/config';
import type { TbotBinary } from '../tbot/detect';
import type { Feature } from '../tbot/features';
import type { AuthSettings } from './settings';
import type { SummaryDetails } from './summary';

export interface AuthContext {
  platform: CiPlatform;
  /** The inputs every auth action shares. */
  auth: AuthSettings;
  tbot: TbotBinary;
  /** The step's private credentials folder. */
  dir: string;
}

/** How a background action reaches tbot's diagnostics, and how long it waits for readiness. */
export interface BackgroundSettings {
  diagAddr: string;
  timeoutMs: number;
}

/**
 * What one auth action adds to the shared flow. `readInputs` checks the action's own inputs
 * and returns them as a settings value, which every later step receives.
 */
export interface AuthAction<S = unknown> {
  /** The action's name, e.g. `auth-k8s`. */
  name: string;
  version: string;
  /** Reads and checks the action's own inputs (before anything runs). */
  readInputs(platform: CiPlatform): S;
  /** The tbot features the inputs ask for, each with the input that asks: a tbot too old for
   *  one is refused before anything runs. */
  requires?(settings: S): Array<{ feature: Feature; input: string }>;
  /** The outputs (one-shot) or services (background) for tbot, given the job's tbot. */
  configure(ctx: AuthContext, settings: S): { outputs: Output[]; services?: Service[] };
  /** Background actions: tbot keeps running after the step, serving its services. */
  background?(settings: S): BackgroundSettings;
  /** Sets step outputs and variables once tbot succeeded; returns rows for the summary. */
  publish(ctx: AuthContext, settings: S): Promise<Array<[string, string]>>;
  /**
   * What the action reaches ("applications", ...), when Machine ID cannot reach it in a trusted
   * leaf cluster: the action then takes a `cluster` input that may only name the proxy's own.
   */
  leafRefused?: string;
  /** What to check when the credentials are refused later (a collapsed part of the summary). */
  troubleshooting?(who: IssuedIdentity | undefined): SummaryDetails;
}
