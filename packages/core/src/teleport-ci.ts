// What the `teleport-ci` command imports: the actions' flows, plus what only a command line
// needs (the shell platform, CI detection, the agent daemon).
export { applicationProxyAction } from './actions/application-proxy';
export { applicationTunnelAction } from './actions/application-tunnel';
export { authAction } from './actions/auth';
export { authAppAction } from './actions/auth-app';
export { authK8sAction } from './actions/auth-k8s';
export { authSshAction } from './actions/auth-ssh';
export { databaseTunnelAction } from './actions/database-tunnel';
export { runAuth } from './auth/join-and-write';
export { runAuthPost } from './auth/post';
export type { AuthAction } from './auth/run-auth';
export { installDaemon, planDaemon } from './daemon/tbot-service';
export { runEntryPoint } from './entry-point';
export { errorMessage, InputError, UserError } from './errors';
export { requiredInput, textInput } from './inputs';
export { detectCi } from './platform/detect-ci';
export { fileErrorWords } from './platform/file-errors';
export { defaultStateFolder, JobState, stateFileName } from './platform/job-state';
export { type JoinMethod, parseJoinMethodInput } from './platform/join-methods';
export { type CliIo, type CliResults, type ShellPlatform, shellPlatform } from './platform/shell';
export { parseProxyAddress } from './proxy/address';
export { runSetup } from './setup/install-and-report';
export { detectTbot } from './tbot/detect';
