import { githubPlatform, runEntryPoint } from '@teleport-actions/core';
import { applicationTunnelAction, runAuth } from '@teleport-actions/core/auth';
import pkg from '../package.json' with { type: 'json' };

await runEntryPoint(githubPlatform(), 'application-tunnel', (platform) =>
  runAuth(platform, applicationTunnelAction(pkg.version)),
);
