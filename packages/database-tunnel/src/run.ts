import { githubPlatform, runEntryPoint } from '@teleport-actions/core';
import {
  databaseTunnelAction,
  type SettingsOf,
  type StartedAuth,
} from '@teleport-actions/core/auth';
import { runCheckedAuth } from '@teleport-actions/core/auth/run';
import pkg from '../package.json' with { type: 'json' };

const action = databaseTunnelAction(pkg.version);

/** The rest of the main step, with the inputs main.ts checked: find tbot, join, write, publish. */
export function run(inputs: StartedAuth<SettingsOf<typeof action>>): Promise<void> {
  return runEntryPoint(githubPlatform(), 'database-tunnel', (platform) =>
    runCheckedAuth(platform, action, inputs),
  );
}
