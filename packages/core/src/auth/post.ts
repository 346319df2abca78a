import { readFile } from 'node:fs/promises';
import type { CiPlatform } from '../platform/platform';
import { stopTbot } from '../tbot/process';
import { removeCredentials } from './credentials';
import { STATE } from './state';

/**
 * The post step of every auth action: stop the background tbot it started, show its log,
 * and delete the credentials it wrote unless the user kept them (`cleanup: false`).
 */
export async function runAuthPost(platform: CiPlatform): Promise<void> {
  const pid = Number(platform.getState(STATE.tbotPid));
  if (pid > 0 && (await stopTbot({ pid }))) platform.log.info(`Stopped tbot (pid ${pid})`);
  const logPath = platform.getState(STATE.tbotLog);
  if (logPath) {
    const log = await readFile(logPath, 'utf8').catch(() => '');
    if (log) await platform.group('tbot log', async () => platform.log.info(log.trimEnd()));
  }
  const dir = platform.getState(STATE.credentialsDir);
  const workDir = platform.getState(STATE.workDir);
  if (workDir) await removeCredentials(workDir);
  if (!dir) return;
  if (platform.getState(STATE.cleanup) === 'false') {
    platform.log.info(`Kept the credentials in ${dir} ('cleanup: false')`);
    return;
  }
  await removeCredentials(dir);
  platform.log.info(`Deleted the credentials in ${dir}`);
}
