/** Names of the state the main step hands its post step. */
export const STATE = {
  credentialsDir: 'credentials-dir',
  workDir: 'tbot-work-dir',
  cleanup: 'cleanup',
  tbotPid: 'tbot-pid',
  tbotLog: 'tbot-log',
} as const;
