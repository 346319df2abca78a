import { githubPlatform, runEntryPoint } from '@teleport-actions/core';
import { authAction, type SettingsOf, type StartedAuth } from '@teleport-actions/core/auth';
import { runCheckedAuth } from '@teleport-actions/core/auth/run';
import pkg from '../package.json' with { type: 'json' };

const action = authAction(pkg.version);

/** The rest of the main step, with the inputs main.ts checked: find tbot, join, write, publish. */
export function run(inputs: StartedAuth<SettingsOf<typeof action>>): Promise<void> {
  return runEntryPoint(githubPlatform(), 'auth', (platform) =>
    runCheckedAuth(platform, action, inputs),
  );
}
