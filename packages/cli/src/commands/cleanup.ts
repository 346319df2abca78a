import { rm } from 'node:fs/promises';
import { readStateFile, runAuthPost, shellPlatform } from '@teleport-actions/core/teleport-ci';
import type { CommandContext } from '../command-context';

/** `teleport-ci cleanup`: each earlier command's post step, as the actions' post steps do. */
export async function runCleanupCommand({ stateFile, line, env, io, ci }: CommandContext) {
  const all = await readStateFile(stateFile);
  for (const [command, state] of Object.entries(all)) {
    const earlier = shellPlatform({
      ciName: ci.name,
      joinMethod: 'token',
      inputs: {},
      env,
      stateFile,
      command,
      stderr: io.stderr,
      debug: line.debug,
      initialState: state,
    });
    await runAuthPost(earlier);
  }
  await rm(stateFile, { force: true });
  if (Object.keys(all).length === 0) io.stderr.write('Nothing to clean up.\n');
}
