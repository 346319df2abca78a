import { runSetup } from '@teleport-actions/core/teleport-ci';
import type { CommandContext } from '../command-context';
import { deliverResults } from '../results';

/** `teleport-ci setup`: install the tools, then put them on the job's PATH. */
export async function runSetupCommand(ctx: CommandContext): Promise<void> {
  await runSetup(ctx.platform);
  await deliverResults(ctx);
}
