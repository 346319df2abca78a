import type { CliIo, JobState, ShellPlatform } from '@teleport-actions/core/teleport-ci';
import type { CommandLine } from './parse-flags';

export interface CliStreams {
  stdout: (text: string) => void;
  stderr: CliIo;
}

/** What every command receives. */
export interface CommandContext {
  command: string;
  platform: ShellPlatform;
  line: CommandLine;
  /** The CI running us (`gitlab`, `circleci`, ..., `local`) and its ID token's join method. */
  ci: { name: string; joinMethod?: string };
  env: NodeJS.ProcessEnv;
  io: CliStreams;
  /** The job's state: what its commands recorded for `cleanup` to undo. */
  openState: () => Promise<JobState>;
}
