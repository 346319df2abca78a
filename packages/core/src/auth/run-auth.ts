import { intInput } from '../inputs';
import type { CiPlatform } from '../platform/platform';
import { DEFAULT_ONESHOT_TIMEOUT_MS } from '../tbot/timeouts';
import type { AuthAction } from './auth-action';
import { readAuthSettings } from './settings';

export type { AuthAction, AuthContext, BackgroundSettings } from './auth-action';

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
