import { lstat, mkdir } from 'node:fs/promises';
import { UserError } from '../errors';

// Apart from cache-root.ts, which a step's input check loads: `fs/promises` loads with the
// install code, not before the inputs are read.

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
