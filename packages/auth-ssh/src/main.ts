import { githubPlatform, runEntryPoint } from '@teleport-actions/core';
import { authSshAction, runAuth } from '@teleport-actions/core/auth';
import pkg from '../package.json' with { type: 'json' };

await runEntryPoint(githubPlatform(), 'auth-ssh', (platform) =>
  runAuth(platform, authSshAction(pkg.version)),
);
