/** Names of the state the main step hands its post step. */
export const STATE = {
  credentialsDir: 'credentials-dir',
  workDir: 'tbot-work-dir',
  cleanup: 'cleanup',
  tbotPid: 'tbot-pid',
  tbotLog: 'tbot-log',
} as const;

/** What a step writes in its private work folder: tbot's configuration and, in the background, its log. */
export const WORK_FILES = { config: 'tbot.yaml', log: 'tbot.log' } as const;
