import { githubPlatform, runEntryPoint } from '@teleport-actions/core';
import { runAuthPost } from '@teleport-actions/core/auth';

await runEntryPoint(githubPlatform(), 'application-proxy (cleanup)', runAuthPost);
