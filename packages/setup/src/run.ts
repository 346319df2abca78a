import { githubPlatform, runEntryPoint } from '@teleport-actions/core';
import { type InstallRequest, installAndReport } from '@teleport-actions/core/setup/run';

/** The rest of the step, with the inputs main.ts checked: install, put on PATH, report. */
export function run(request: InstallRequest): Promise<void> {
  return runEntryPoint(githubPlatform(), 'setup', (platform) =>
    installAndReport(platform, request),
  );
}
