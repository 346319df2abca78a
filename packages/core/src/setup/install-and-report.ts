import {
  editionLabel,
  type InstallRequest,
  type InstallResult,
  installTeleport,
} from '../install/install-teleport';
import type { CiPlatform } from '../platform/platform';
import { readSetupInputs } from './run-setup';

export type { InstallRequest };

function summaryLine(r: InstallResult): string {
  const what = `Teleport ${editionLabel(r.edition, r.fips)} ${r.version} (${r.binaries.join(', ')}) for ${r.target.os}-${r.target.arch}`;
  const from =
    r.source === 'download'
      ? `downloaded from ${r.url}, SHA-256 verified${r.trusted === false ? ' (but over plain HTTP, not TLS: pin `sha256` to protect against tampering)' : ''}`
      : `from the ${r.source === 'tool-cache' ? 'tool cache' : 'Actions cache'} (originally ${r.url})`;
  return `Installed ${what} ${from}.`;
}

/** The rest of the `setup` step, once its inputs are checked: install, put on PATH, report. */
export async function installAndReport(
  platform: CiPlatform,
  request: InstallRequest,
): Promise<void> {
  const result = await installTeleport(request, platform);
  platform.addPath(result.dir);
  platform.setOutput('version', result.version);
  platform.setOutput('edition', result.edition);
  platform.setOutput('fips', String(result.fips));
  platform.setOutput('path', result.dir);
  platform.setOutput('cache-hit', String(result.source !== 'download'));
  const line = summaryLine(result);
  platform.log.info(line);
  await platform.appendSummary(`${line}\n`);
}

/** The whole `setup` step in one call (the CLI's): read the inputs, install, report. */
export async function runSetup(platform: CiPlatform): Promise<void> {
  await installAndReport(platform, await readSetupInputs(platform));
}
