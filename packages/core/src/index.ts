// What every entry point shares. Each action imports its own entry (`/setup`, `/auth`) so
// its bundle holds only what it runs.
export { errorMessage, InputError, UserError } from './errors';
export { parseBooleanInput } from './inputs';
export { githubPlatform } from './platform/github';
export type { CiPlatform, Logger } from './platform/platform';
export { runEntryPoint } from './run';
