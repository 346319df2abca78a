import { runSetup, type ShellPlatform } from '@teleport-actions/core/teleport-ci';
import type { CommandContext } from '../command-context';
import { deliverResults } from '../results';

/**
 * Without `--version` (or TELEPORT_VERSION) but with a proxy known (`--proxy` or
 * TELEPORT_PROXY), installs what the cluster asks clients to use: the version that always
 * matches it, and the one a pipeline that already names its proxy means.
 */
export function withVersionDefault(platform: ShellPlatform): ShellPlatform {
  if (platform.getInput('version') || !platform.getInput('proxy')) return platform;
  platform.log.info("No --version given: installing what the proxy asks for ('auto')");
  return {
    ...platform,
    getInput: (name: string) => (name === 'version' ? 'auto' : platform.getInput(name)),
  };
}

/** `teleport-ci setup`: install the tools, then put them on the job's PATH. */
export async function runSetupCommand(ctx: CommandContext): Promise<void> {
  await runSetup(withVersionDefault(ctx.platform));
  await deliverResults(ctx);
}
