import { lstat, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors';
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

/** Creates `dir` for this user only, and refuses one that another user owns or may write to. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stats = await lstat(dir);
  const uid = process.getuid?.();
  const foreign = uid !== undefined && stats.uid !== uid;
  if (!stats.isDirectory() || foreign || (stats.mode & 0o022) !== 0) {
    throw new UserError(
      `The tool cache ${dir} is not private (${foreign ? 'owned by another user' : 'writable by others'}): remove it, or set RUNNER_TOOL_CACHE to a folder only this user can write`,
    );
  }
}
