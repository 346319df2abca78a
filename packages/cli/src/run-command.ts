import { join } from 'node:path';
import {
  defaultStateFolder,
  detectCi,
  JobState,
  type JoinMethod,
  runEntryPoint,
  shellPlatform,
  stateFileName,
} from '@teleport-actions/core/teleport-ci';
import type { CliStreams, CommandContext } from './command-context';
import { AUTH_ACTIONS, runAuthCommand } from './commands/auth';
import { runCleanupCommand } from './commands/cleanup';
import { runDaemonCommand } from './commands/daemon';
import { runSetupCommand } from './commands/setup';
import { type CommandLine, flagNames, parseCommandLine } from './parse-flags';

export type { CliStreams } from './command-context';

const COMMAND_RUNNERS: Record<string, (ctx: CommandContext) => Promise<void>> = {
  setup: runSetupCommand,
  cleanup: runCleanupCommand,
  daemon: runDaemonCommand,
  ...Object.fromEntries(Object.keys(AUTH_ACTIONS).map((name) => [name, runAuthCommand])),
};

/** Runs one command; returns the exit code. Every failure goes through the engine's funnel. */
export async function runCommand(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  io: CliStreams,
): Promise<number> {
  const ci = detectCi(env);
  let line: CommandLine | undefined;
  let badFlags: unknown;
  try {
    line = parseCommandLine(command, args, env);
  } catch (err) {
    badFlags = err; // reported below, through the same funnel as every other failure
  }
  const inputs = line?.inputs ?? {};
  // The job's state: a file the user names (in a private folder of theirs), else one per job
  // in this user's own private state folder, made on first use.
  const stateFile =
    line?.stateFile ?? join(defaultStateFolder(env), stateFileName(ci.name, ci.jobId));
  const openState = () => JobState.open(stateFile, !line?.stateFile);
  let record: ((name: string, value: string) => Promise<void>) | undefined;
  const platform = shellPlatform({
    ciName: ci.name,
    joinMethod: (inputs['join-method'] || ci.joinMethod || 'token') as JoinMethod,
    inputs,
    env,
    recordState: async (name, value) => {
      record ??= await (await openState()).startRun(command);
      await record(name, value);
    },
    stderr: io.stderr,
    debug: line?.debug ?? false,
    flags: flagNames(command),
  });
  await runEntryPoint(platform, command, async () => {
    if (!line) throw badFlags;
    await COMMAND_RUNNERS[command]!({ command, platform, line, ci, env, io, openState });
  });
  return platform.failed ? 1 : 0;
}
