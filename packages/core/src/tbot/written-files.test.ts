import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Output } from './config';
import { checkOutputsWritten, expectedFiles } from './written-files';

const at = (path: string) => ({ type: 'directory' as const, path });

describe('the files an output must leave (teleport-behaviour.md §3)', () => {
  it('per type and option', () => {
    expect(expectedFiles({ type: 'identity', destination: at('/d') })).toContain('ssh_config');
    expect(
      expectedFiles({ type: 'identity', destination: at('/d'), ssh_config: 'off' }),
    ).not.toContain('ssh_config');
    expect(
      expectedFiles({ type: 'kubernetes/v2', destination: at('/d'), selectors: [{ name: 'p' }] }),
    ).toEqual([
      'key',
      'key.pub',
      'key-cert.pub',
      'tlscert',
      'identity',
      'kubeconfig.yaml',
      'teleport-host-ca.crt',
    ]);
    expect(
      expectedFiles({ type: 'database', destination: at('/d'), service: 's', format: 'cockroach' }),
    ).toContain('cockroach/node.key');
    expect(
      expectedFiles({
        type: 'application',
        destination: at('/d'),
        app_name: 'a',
        specific_tls_naming: true,
      }),
    ).toContain('tls.crt');
  });

  it('a complete folder passes; a missing or empty file fails, naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'written-'));
    const output: Output = { type: 'kubernetes', destination: at(dir), kubernetes_cluster: 'p' };
    for (const f of expectedFiles(output)) await writeFile(join(dir, f), 'x');
    expect(() => checkOutputsWritten([output])).not.toThrow();
    await writeFile(join(dir, 'kubeconfig.yaml'), '');
    expect(() => checkOutputsWritten([output])).toThrow(
      `tbot exited successfully but did not write its kubernetes output: ${dir} lacks 1 of 7 files (kubeconfig.yaml); run the step in debug mode to see tbot's log`,
    );
    // A folder where a file should be is not the file.
    const other = await mkdtemp(join(tmpdir(), 'written-'));
    const identity: Output = { type: 'identity', destination: at(other), ssh_config: 'off' };
    for (const f of expectedFiles(identity)) await writeFile(join(other, f), 'x');
    checkOutputsWritten([identity]);
    await mkdir(join(other, 'sub'));
    expect(() =>
      checkOutputsWritten([identity, { ...identity, destination: at(join(other, 'sub')) }]),
    ).toThrow(/lacks 8 of 8 files \(key, key\.pub, key-cert\.pub, \.\.\.\)/);
    // Memory destinations write nothing to check.
    checkOutputsWritten([{ type: 'identity', destination: { type: 'memory' } }]);
  });
});
