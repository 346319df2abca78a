import { checkThenRun, githubCheckPlatform } from '@teleport-actions/core';
import { authSshAction, readAuthInputs } from '@teleport-actions/core/auth';
import pkg from '../package.json' with { type: 'json' };

// The inputs are checked here; the rest of the step (./run) loads once they are good.
await checkThenRun(
  githubCheckPlatform(),
  'auth-ssh',
  (platform) => readAuthInputs(platform, authSshAction(pkg.version)),
  () => import('./run'),
);
