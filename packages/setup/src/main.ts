import { githubPlatform, runEntryPoint } from '@teleport-actions/core';
import { runSetup } from '@teleport-actions/core/setup';

await runEntryPoint(githubPlatform(), 'setup', runSetup);
