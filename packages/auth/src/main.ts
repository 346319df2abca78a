import { githubPlatform, runEntryPoint } from '@teleport-actions/core';
import { authAction, runAuth } from '@teleport-actions/core/auth';
import pkg from '../package.json' with { type: 'json' };

await runEntryPoint(githubPlatform(), 'auth', (platform) =>
  runAuth(platform, authAction(pkg.version)),
);
