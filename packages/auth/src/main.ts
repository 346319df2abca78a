import { checkThenRun, githubCheckPlatform } from '@teleport-actions/core';
import { authAction, readAuthInputs } from '@teleport-actions/core/auth';
import pkg from '../package.json' with { type: 'json' };

// The inputs are checked here; the rest of the step (./run) loads once they are good.
await checkThenRun(
  githubCheckPlatform(),
  'auth',
  (platform) => readAuthInputs(platform, authAction(pkg.version)),
  () => import('./run'),
);
