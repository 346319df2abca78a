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

/**
 * An action bundled in two parts. This part reads and checks the inputs: a small bundle of
 * one file, so a bad input fails the step about as soon as Node.js has started. `load` then
 * brings the rest of the action, a bundle of its own (see scripts/build.ts) that runs with the
 * checked inputs, reporting its own failures; only plain data passes between the two.
 */
export async function checkThenRun<I>(
  platform: CiPlatform,
  label: string,
  check: (platform: CiPlatform) => I | Promise<I>,
  load: () => Promise<{ run(inputs: I): Promise<void> }>,
): Promise<void> {
  await runEntryPoint(platform, label, async (p) => {
    const inputs = await check(p);
    // What the check started (an auth action's `tbot version`) gets a turn of the event loop
    // before the rest loads: Node.js compiles the next bundle in one go, which would otherwise
    // hold back the start of that program by as long (about 10 ms).
    await new Promise((resolve) => setImmediate(resolve));
    const { run } = await load();
    await run(inputs);
  });
}
