import { intInput } from '../inputs';
import type { CiPlatform } from '../platform/platform';
import type { Output, Service } from '../tbot/config';
import type { TbotBinary } from '../tbot/detect';
import type { Feature } from '../tbot/features';
import { DEFAULT_ONESHOT_TIMEOUT_MS } from '../tbot/process';
import { type AuthSettings, readAuthSettings } from './settings';

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
}

/** The main step of every auth action: check, join, write, publish. */
export async function runAuth<S>(platform: CiPlatform, action: AuthAction<S>): Promise<void> {
  const auth = readAuthSettings(platform);
  const settings = action.readInputs(platform);
  const background = action.background?.(settings);
  // A one-shot tbot's time limit (tunnels use 'timeout-ms' for their readiness wait).
  const oneShotTimeoutMs = background
    ? 0
    : intInput(platform, 'timeout-ms', DEFAULT_ONESHOT_TIMEOUT_MS, 3_600_000, 1);
  // Only now load what joining needs (the tbot config writer, the ID token decoder, semver):
  // a step whose inputs are wrong fails without paying for it.
  const { joinAndWrite } = await import('./join-and-write');
  await joinAndWrite({ platform, action, auth, settings, background, oneShotTimeoutMs });
}
