import { githubPlatform, runEntryPoint } from '@teleport-actions/core';
import { databaseTunnelAction, runAuth } from '@teleport-actions/core/auth';
import pkg from '../package.json' with { type: 'json' };

await runEntryPoint(githubPlatform(), 'database-tunnel', (platform) =>
  runAuth(platform, databaseTunnelAction(pkg.version)),
);
