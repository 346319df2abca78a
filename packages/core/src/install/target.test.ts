import { describe, expect, it } from 'vitest';
import { detectTarget } from './target';

const linux = { os: 'linux', arch: 'amd64' } as const;

describe('runner platform', () => {
  it('maps runner and node names to CDN names', () => {
    expect(detectTarget({ RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64' })).toEqual(linux);
    expect(detectTarget({ RUNNER_OS: 'Linux', RUNNER_ARCH: 'ARM64' })).toEqual({
      os: 'linux',
      arch: 'arm64',
    });
    expect(detectTarget({ RUNNER_OS: 'Linux', RUNNER_ARCH: 'X86' })).toEqual({
      os: 'linux',
      arch: '386',
    });
    expect(detectTarget({ RUNNER_OS: 'macOS', RUNNER_ARCH: 'ARM64' })).toEqual({
      os: 'darwin',
      arch: 'arm64',
    });
  });
  it('names what is supported when it is not', () => {
    expect(() => detectTarget({ RUNNER_OS: 'Windows', RUNNER_ARCH: 'X64' })).toThrow(
      /Windows runners are not supported.*Linux \(amd64, arm64, arm, 386\) and macOS/,
    );
    expect(() => detectTarget({ RUNNER_OS: 'Linux', RUNNER_ARCH: 'RISCV64' })).toThrow(
      /not supported/,
    );
  });
});
