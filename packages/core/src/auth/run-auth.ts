import { intInput } from '../inputs';
import type { CiPlatform } from '../platform/platform';
import { DEFAULT_ONESHOT_TIMEOUT_MS } from '../tbot/timeouts';
import type { TbotVersionAnswer } from '../tbot/version-answer';
import type { AuthAction, BackgroundSettings } from './auth-action';
import { type AuthSettings, readAuthSettings } from './settings';

export type { AuthAction, AuthContext, BackgroundSettings } from './auth-action';

/** Every input of an auth action, checked: what joining and writing start from. */
export interface AuthInputs<S> {
  auth: AuthSettings;
  settings: S;
  background: BackgroundSettings | undefined;
  oneShotTimeoutMs: number;
}

/** The settings type an auth action's inputs read into. */
export type SettingsOf<A> = A extends AuthAction<infer S> ? S : never;

/** The first part of every auth action's main step: read and check all its inputs. */
export function readAuthInputs<S>(platform: CiPlatform, action: AuthAction<S>): AuthInputs<S> {
  const auth = readAuthSettings(platform);
  const settings = action.readInputs(platform);
  const background = action.background?.(settings);
  // A one-shot tbot's time limit (tunnels use 'timeout-ms' for their readiness wait).
  const oneShotTimeoutMs = background
    ? 0
    : intInput(platform, 'timeout-ms', DEFAULT_ONESHOT_TIMEOUT_MS, 3_600_000, 1);
  return { auth, settings, background, oneShotTimeoutMs };
}

/** Checked inputs, and the `tbot version` that starts once they are (see `startAuth`). */
export interface StartedAuth<S> extends AuthInputs<S> {
  tbotVersion: Promise<TbotVersionAnswer>;
}

/**
 * An auth action's input check (its `main.ts`): reads every input, then starts `tbot version`
 * at once, so the program runs while the rest of the step loads rather than after it.
 */
export function startAuth<S>(platform: CiPlatform, action: AuthAction<S>): StartedAuth<S> {
  const inputs = readAuthInputs(platform, action);
  const tbotVersion = import('../tbot/version-answer').then(({ askTbotVersion }) =>
    askTbotVersion(platform.env),
  );
  return { ...inputs, tbotVersion };
}
