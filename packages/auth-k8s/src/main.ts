import { checkThenRun, githubCheckPlatform } from '@teleport-actions/core';
import { authK8sAction, startAuth } from '@teleport-actions/core/auth';
import pkg from '../package.json' with { type: 'json' };

// The inputs are checked here and tbot's version asked; the rest of the step (./run) loads
// once they are good, while tbot answers.
await checkThenRun(
  githubCheckPlatform(),
  'auth-k8s',
  (platform) => startAuth(platform, authK8sAction(pkg.version)),
  () => import('./run'),
);
