import * as core from '@actions/core';
import type { CiPlatform } from './platform';
import { safeLogLines } from './untrusted-text';

/** GitHub Actions, through `@actions/core` (the runner's file and stdout protocol). */
export function githubPlatform(
  env: NodeJS.ProcessEnv = process.env,
  opts: { idTokenTimeoutMs?: number } = {},
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
      // Loaded when a token is asked for: its HTTP client is not needed to read inputs.
      const { ID_TOKEN_TIMEOUT_MS, requestGithubIdToken } = await import('./github-id-token');
      const token = await requestGithubIdToken(
        env,
        audience,
        opts.idTokenTimeoutMs ?? ID_TOKEN_TIMEOUT_MS,
      );
      core.setSecret(token);
      return token;
    },
    fail: (message) => core.setFailed(message),
    tempDir: () => env.RUNNER_TEMP || process.env.TMPDIR || '/tmp',
    toolCacheDir: () => env.RUNNER_TOOL_CACHE || undefined,
  };
}
