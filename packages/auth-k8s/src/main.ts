import { checkThenRun, githubCheckPlatform } from '@teleport-actions/core';
import { authK8sAction, readAuthInputs } from '@teleport-actions/core/auth';
import pkg from '../package.json' with { type: 'json' };

// The inputs are checked here; the rest of the step (./run) loads once they are good.
await checkThenRun(
  githubCheckPlatform(),
  'auth-k8s',
  (platform) => readAuthInputs(platform, authK8sAction(pkg.version)),
  () => import('./run'),
);
