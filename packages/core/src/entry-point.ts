import { errorMessage, UserError } from './errors';
import type { CiPlatform } from './platform/platform';

/**
 * Runs one entry point, funnelling every failure to a single place: a user error becomes
 * the step's one-line failure; anything else is reported as unexpected, with its stack in
 * debug mode only.
 */
export async function runEntryPoint(
  platform: CiPlatform,
  label: string,
  body: (platform: CiPlatform) => Promise<void>,
): Promise<void> {
  try {
    await body(platform);
  } catch (err) {
    if (!(err instanceof UserError) && err instanceof Error && err.stack) {
      platform.log.debug(err.stack);
    }
    const prefix = err instanceof UserError ? '' : 'unexpected error: ';
    platform.fail(`${label}: ${prefix}${errorMessage(err)}`);
  }
}
