import { runAuthPost, shellPlatform } from '@teleport-actions/core/teleport-ci';
import type { CommandContext } from '../command-context';

/**
 * `teleport-ci cleanup`: the post step of every earlier run in this job, newest first, as
 * the actions' post steps run; then the job's state is deleted.
 */
export async function runCleanupCommand({ openState, line, env, io, ci }: CommandContext) {
  const state = await openState();
  const runs = await state.runs();
  for (const run of [...runs].reverse()) {
    const earlier = shellPlatform({
      ciName: ci.name,
      joinMethod: 'token',
      inputs: {},
      env,
      stderr: io.stderr,
      debug: line.debug,
      initialState: run.state,
    });
    await runAuthPost(earlier);
  }
  await state.remove();
  if (runs.length === 0) io.stderr.write('Nothing to clean up.\n');
}
