import { UserError } from '../errors';

export type TargetOs = 'linux' | 'darwin';
export type TargetArch = 'amd64' | 'arm64' | 'arm' | '386';

export interface Target {
  os: TargetOs;
  arch: TargetArch;
}

const SUPPORTED = 'Linux (amd64, arm64, arm, 386) and macOS (amd64, arm64)';

// The runner's RUNNER_OS/RUNNER_ARCH describe the machine the job runs on; Node's own
// values are the fallback off GitHub.
const OS_NAMES: Record<string, TargetOs | 'windows'> = {
  linux: 'linux',
  darwin: 'darwin',
  macos: 'darwin',
  win32: 'windows',
  windows: 'windows',
};
// Go GOARCH names, as in the CDN file names (teleport-behaviour.md §6.1).
const ARCH_NAMES: Record<string, TargetArch> = {
  x64: 'amd64',
  amd64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  x86: '386',
};

/** The OS and architecture to download for, or a clear error for unsupported machines. */
export function detectTarget(env: NodeJS.ProcessEnv, node = process): Target {
  const osRaw = (env.RUNNER_OS || node.platform).toLowerCase();
  const archRaw = (env.RUNNER_ARCH || node.arch).toLowerCase();
  const os = OS_NAMES[osRaw];
  const arch = ARCH_NAMES[archRaw];
  if (os === 'windows') {
    throw new UserError(
      `Windows runners are not supported: Teleport publishes tbot for Windows only as a zip; use ${SUPPORTED}`,
    );
  }
  if (!os || !arch) {
    throw new UserError(`This runner (${osRaw}/${archRaw}) is not supported: use ${SUPPORTED}`);
  }
  if (os === 'darwin' && (arch === 'arm' || arch === '386')) {
    throw new UserError(`This runner (macOS/${archRaw}) is not supported: use ${SUPPORTED}`);
  }
  return { os, arch };
}
