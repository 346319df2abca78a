import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectTbot, parseTbotVersion } from './detect';

describe('tbot version (teleport-behaviour.md §1.4)', () => {
  it('parses OSS and Enterprise version lines', () => {
    expect(parseTbotVersion('Teleport v17.4.2 git:v17.4.2-0-gabc1234 go1.23.7\n')).toEqual({
      version: '17.4.2',
      enterprise: false,
    });
    expect(parseTbotVersion('Teleport Enterprise v18.6.4 git:x go1.24')).toEqual({
      version: '18.6.4',
      enterprise: true,
    });
    expect(parseTbotVersion('command not found')).toBeUndefined();
  });

  it('runs the binary and names the setup step when there is none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'detect-tbot-'));
    const fake = join(dir, 'tbot');
    await writeFile(fake, '#!/bin/sh\necho "Teleport v17.4.2 git:v17.4.2 go1.23"\n');
    await chmod(fake, 0o755);
    await expect(detectTbot({ PATH: dir }, fake)).resolves.toEqual({
      path: fake,
      version: '17.4.2',
      enterprise: false,
    });
    await expect(
      detectTbot({ PATH: dir }, join(dir, 'missing'), 'run setup first'),
    ).rejects.toThrow('tbot was not found on PATH: run setup first');
    await writeFile(fake, '#!/bin/sh\necho nonsense\n');
    await expect(detectTbot({ PATH: dir }, fake, 'run setup first')).rejects.toThrow(
      `'${fake} version' did not print a Teleport version: run setup first`,
    );
  });
});
