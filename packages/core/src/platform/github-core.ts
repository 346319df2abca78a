import * as core from '@actions/core';
import type { CiPlatform } from './platform';
import { safeLogLines } from './untrusted-text';

/**
 * GitHub Actions, through `@actions/core` (the runner's file and stdout protocol), with
 * `requestIdToken` fetching the job's ID token.
 */
export function githubPlatformWith(
  env: NodeJS.ProcessEnv,
  requestIdToken: (audience: string) => Promise<string>,
): CiPlatform {
  return {
    name: 'github',
    joinMethod: 'github',
    telemetryName: (action) => `gha:teleport-actions/${action}`,
    env,
    log: {
      // Messages may relay a server's or tbot's words: no line of them may be a command.
      debug: (m) => core.debug(safeLogLines(m)),
      info: (m) => core.info(safeLogLines(m)),
      warning: (m) => core.warning(safeLogLines(m)),
      error: (m) => core.error(safeLogLines(m)),
    },
    getInput: (name) => core.getInput(name),
    setOutput: (name, value) => core.setOutput(name, value),
    exportVariable: (name, value) => core.exportVariable(name, value),
    addPath: (dir) => core.addPath(dir),
    setSecret: (value) => core.setSecret(value),
    saveState: (name, value) => core.saveState(name, value),
    getState: (name) => core.getState(name),
    appendSummary: async (markdown) => {
      if (!env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(markdown, true).write();
    },
    group: (title, fn) => core.group(title, fn),
    isDebug: () => core.isDebug(),
    getIDToken: async (audience) => {
      const token = await requestIdToken(audience);
      core.setSecret(token);
      return token;
    },
    fail: (message) => core.setFailed(message),
    tempDir: () => env.RUNNER_TEMP || process.env.TMPDIR || '/tmp',
    toolCacheDir: () => env.RUNNER_TOOL_CACHE || undefined,
  };
}

/**
 * The platform an action's input check runs with (`checkThenRun`): it never asks for an ID
 * token, so the check's bundle holds no HTTP client to load or parse.
 */
export function githubCheckPlatform(env: NodeJS.ProcessEnv = process.env): CiPlatform {
  return githubPlatformWith(env, () =>
    Promise.reject(new Error('the ID token is requested only after the inputs are checked')),
  );
}
