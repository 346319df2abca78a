import { githubPlatform, runEntryPoint } from '@teleport-actions/core';
import { authAppAction, type SettingsOf, type StartedAuth } from '@teleport-actions/core/auth';
import { runCheckedAuth } from '@teleport-actions/core/auth/run';
import pkg from '../package.json' with { type: 'json' };

const action = authAppAction(pkg.version, 'auth-application');

/** The rest of the main step, with the inputs main.ts checked: find tbot, join, write, publish. */
export function run(inputs: StartedAuth<SettingsOf<typeof action>>): Promise<void> {
  return runEntryPoint(githubPlatform(), 'auth-application', (platform) =>
    runCheckedAuth(platform, action, inputs),
  );
}
