import { checkThenRun, githubCheckPlatform } from '@teleport-actions/core';
import { readSetupInputs } from '@teleport-actions/core/setup';

// The inputs are checked here; the install code (./run) loads once they are good.
await checkThenRun(githubCheckPlatform(), 'setup', readSetupInputs, () => import('./run'));
