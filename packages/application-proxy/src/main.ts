import { checkThenRun, githubCheckPlatform } from '@teleport-actions/core';
import { applicationProxyAction, readAuthInputs } from '@teleport-actions/core/auth';
import pkg from '../package.json' with { type: 'json' };

// The inputs are checked here; the rest of the step (./run) loads once they are good.
await checkThenRun(
  githubCheckPlatform(),
  'application-proxy',
  (platform) => readAuthInputs(platform, applicationProxyAction(pkg.version)),
  () => import('./run'),
);
