import { githubPlatform, runEntryPoint } from '@teleport-actions/core';
import { authAppAction, runAuth } from '@teleport-actions/core/auth';
import pkg from '../package.json' with { type: 'json' };

await runEntryPoint(githubPlatform(), 'auth-application', (platform) =>
  runAuth(platform, authAppAction(pkg.version, 'auth-application')),
);
