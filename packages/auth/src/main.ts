import { checkThenRun, githubCheckPlatform } from '@teleport-actions/core';
import { authAction, startAuth } from '@teleport-actions/core/auth';
import pkg from '../package.json' with { type: 'json' };

// The inputs are checked here and tbot's version asked; the rest of the step (./run) loads
// once they are good, while tbot answers.
await checkThenRun(
  githubCheckPlatform(),
  'auth',
  (platform) => startAuth(platform, authAction(pkg.version)),
  () => import('./run'),
);
