import { errorMessage } from '../errors';
import type { Logger } from '../platform/platform';

/**
 * GitHub's hosted cache, for runners whose tool cache starts empty. Loaded only when used:
 * the module is large and a tool-cache hit must stay fast. Every failure is a warning;
 * a cache problem never fails the step.
 */
async function loadCache(log: Logger) {
  try {
    const cache = await import('@actions/cache');
    return cache.isFeatureAvailable() ? cache : undefined;
  } catch (err) {
    log.warning(`The Actions cache is unavailable: ${errorMessage(err)}`);
    return undefined;
  }
}

export async function restoreFromActionsCache(
  dir: string,
  key: string,
  log: Logger,
): Promise<boolean> {
  const cache = await loadCache(log);
  if (!cache) return false;
  try {
    return (await cache.restoreCache([dir], key)) === key;
  } catch (err) {
    log.warning(`Could not restore ${key} from the Actions cache: ${errorMessage(err)}`);
    return false;
  }
}

export async function saveToActionsCache(dir: string, key: string, log: Logger): Promise<void> {
  const cache = await loadCache(log);
  if (!cache) return;
  try {
    await cache.saveCache([dir], key);
  } catch (err) {
    log.warning(`Could not save ${key} to the Actions cache: ${errorMessage(err)}`);
  }
}
