// What every action's entry point shares. Each action also imports its own flow (`/setup`,
// `/auth`) so its bundle holds only what it runs.
export { checkThenRun, runEntryPoint } from './entry-point';
export { githubPlatform } from './platform/github';
export { githubCheckPlatform } from './platform/github-core';
