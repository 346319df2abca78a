import { githubPlatform, runEntryPoint } from '@teleport-actions/core';
import { authK8sAction, runAuth } from '@teleport-actions/core/auth';
import pkg from '../package.json' with { type: 'json' };

await runEntryPoint(githubPlatform(), 'auth-k8s', (platform) =>
  runAuth(platform, authK8sAction(pkg.version)),
);
