import { githubPlatform, runEntryPoint, runSetup } from '@teleport-actions/core';

await runEntryPoint(githubPlatform(), 'setup', runSetup);
