import { rm } from 'node:fs/promises';
import { errorMessage } from '../errors';
import type { Logger } from '../platform/platform';

/**
 * GitHub's hosted cache, for runners whose tool cache starts empty. Loaded only when used:
 * the module is large and a tool-cache hit must stay fast. Every failure is a warning;
 * a cache problem never fails the step.
 */
/** Whether the runner offers a cache service at all. */
export function actionsCacheOffered(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.ACTIONS_RESULTS_URL || env.ACTIONS_CACHE_URL);
}

async function loadCache(log: Logger, env: NodeJS.ProcessEnv) {
  // No cache service on this runner: don't load 700 KB to learn that.
  if (!actionsCacheOffered(env)) return undefined;
  try {
    const cache = await import('@actions/cache');
    return cache.isFeatureAvailable() ? cache : undefined;
  } catch (err) {
    log.warning(`The Actions cache is unavailable: ${errorMessage(err)}`);
    return undefined;
  }
}

/**
 * Restores the entry with exactly this key into `paths`, which must not exist yet. The
 * service also answers prefix matches; anything restored under another key is removed again.
 */
export async function restoreFromActionsCache(
  paths: string[],
  key: string,
  log: Logger,
  env: NodeJS.ProcessEnv,
): Promise<boolean> {
  const cache = await loadCache(log, env);
  if (!cache) return false;
  let restored: string | undefined;
  try {
    restored = await cache.restoreCache([...paths], key);
  } catch (err) {
    log.warning(`Could not restore ${key} from the Actions cache: ${errorMessage(err)}`);
  }
  if (restored === key) return true;
  if (restored !== undefined) {
    await Promise.all(paths.map((p) => rm(p, { recursive: true, force: true })));
  }
  return false;
}

export async function saveToActionsCache(
  paths: string[],
  key: string,
  log: Logger,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const cache = await loadCache(log, env);
  if (!cache) return;
  try {
    await cache.saveCache([...paths], key);
  } catch (err) {
    log.warning(`Could not save ${key} to the Actions cache: ${errorMessage(err)}`);
  }
}
