import { githubPlatform, runEntryPoint } from '@teleport-actions/core';
import { applicationProxyAction, runAuth } from '@teleport-actions/core/auth';
import pkg from '../package.json' with { type: 'json' };

await runEntryPoint(githubPlatform(), 'application-proxy', (platform) =>
  runAuth(platform, applicationProxyAction(pkg.version)),
);
