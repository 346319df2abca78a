import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CiPlatform } from '../platform/platform';

/**
 * Where installed tools are kept: the runner's tool cache, else a folder of this job
 * (RUNNER_TEMP), else one of this user. Never a fixed name in the shared temp folder, where
 * another user could plant binaries first.
 */
export function cacheRootFor(platform: CiPlatform): {
  root: string;
  private: boolean;
  restorable?: boolean;
} {
  // A folder the job names, typically one a CI cache restores (GitLab `cache:`, CircleCI
  // `restore_cache`): whoever could save that cache could have written it, so what it holds is
  // checked against the published checksum before use.
  const named = platform.env.TELEPORT_CI_TOOL_CACHE;
  if (named) return { root: named, private: true, restorable: true };
  const toolCache = platform.toolCacheDir();
  if (toolCache) return { root: toolCache, private: false };
  if (platform.env.RUNNER_TEMP) {
    return { root: join(platform.env.RUNNER_TEMP, 'teleport-tool-cache'), private: false };
  }
  const base = platform.env.XDG_CACHE_HOME || join(platform.env.HOME || homedir(), '.cache');
  return { root: join(base, 'teleport-actions', 'tools'), private: true };
}
