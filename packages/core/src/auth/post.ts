import { join } from 'node:path';
import { readOwnFile } from '../platform/job-state';
import type { CiPlatform } from '../platform/platform';
import { isOwnTbot } from '../tbot/own-process';
import { isRunning, stopTbot } from '../tbot/process';
import { folderKind, removeCredentials } from './credentials';
import { STATE, WORK_FILES } from './state';

/**
 * The post step of every auth action: stop the background tbot it started, show its log,
 * and delete the credentials it wrote unless the user kept them (`cleanup: false`).
 *
 * State may come from a file (`teleport-ci cleanup`), so nothing in it is taken on trust: a
 * pid is signalled only if it is the tbot started with this step's config, the log is read
 * only from this step's work folder, and only this user's own folders are deleted.
 */
export async function runAuthPost(platform: CiPlatform): Promise<void> {
  const workDir = platform.getState(STATE.workDir);
  await stopOwnTbot(platform, workDir);
  if (workDir && platform.getState(STATE.tbotLog) === join(workDir, WORK_FILES.log)) {
    const log = await readOwnFile(join(workDir, WORK_FILES.log));
    if (log) await platform.group('tbot log', async () => platform.log.info(log.trimEnd()));
  }
  if (workDir) await removeOwnFolder(platform, workDir);
  const dir = platform.getState(STATE.credentialsDir);
  if (!dir) return;
  if (platform.getState(STATE.cleanup) === 'false') {
    platform.log.info(`Kept the credentials in ${dir} ('cleanup: false')`);
    return;
  }
  if (await removeOwnFolder(platform, dir)) platform.log.info(`Deleted the credentials in ${dir}`);
}

async function stopOwnTbot(platform: CiPlatform, workDir: string): Promise<void> {
  const raw = platform.getState(STATE.tbotPid);
  if (!raw) return;
  const pid = Number(raw);
  if (!workDir || !(await isOwnTbot(pid, join(workDir, WORK_FILES.config)))) {
    if (Number.isInteger(pid) && pid > 1 && isRunning(pid)) {
      platform.log.warning(`Not stopping process ${pid}: it is not the tbot this job started`);
    }
    return;
  }
  if (await stopTbot({ pid })) platform.log.info(`Stopped tbot (pid ${pid})`);
}

/** Deletes a folder named in state if this job made it; says so when it is anything else. */
async function removeOwnFolder(platform: CiPlatform, dir: string): Promise<boolean> {
  const kind = await folderKind(dir, platform.env.HOME);
  if (kind === 'other') {
    platform.log.warning(`Not deleting ${dir}: it is not a private folder this job made`);
  }
  if (kind !== 'ours') return false;
  await removeCredentials(dir);
  return true;
}
