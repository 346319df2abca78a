import { GITHUB_AUDIENCE } from '../join/github-audience';
import type { CiPlatform } from '../platform/platform';
import { detectTbot } from '../tbot/detect';
import type { AuthAction } from './auth-action';
import type { AuthInputs, StartedAuth } from './run-auth';

/**
 * The rest of an auth action's main step, once its inputs are checked (an action's `run.ts`):
 * `tbot version`, started by the input check (`startAuth`) or here, runs while the code that
 * joins and writes (and the ID token client) loads, rather than after it; both are on the
 * step's way to its first request, and one needs the CPU, the other mostly waits.
 */
export async function runCheckedAuth<S>(
  platform: CiPlatform,
  action: AuthAction<S>,
  { tbotVersion, ...inputs }: AuthInputs<S> & Partial<Pick<StartedAuth<S>, 'tbotVersion'>>,
): Promise<void> {
  const tbotFound = detectTbot(platform.env, 'tbot', platform.setupHint, tbotVersion);
  // Awaited in joinAndWrite; this only keeps a failure that comes while the code is still
  // loading from being reported as unhandled (it is reported there, as it always was).
  tbotFound.catch(() => {});
  const joinCode = import('./join-and-write');
  // The join's ID token is fetched in the same wait (the preflight takes it once tbot is
  // found): the request is on the step's way whatever tbot says.
  if (platform.joinMethod === 'github') platform.prefetchIDToken?.(GITHUB_AUDIENCE);
  else platform.preloadIDToken?.();
  const { joinAndWrite } = await joinCode;
  await joinAndWrite({ platform, action, ...inputs, tbotFound });
}
