// Every script the orb includes passes shellcheck (Debian package `shellcheck`), at every
// severity, read as bash (the orb's run steps use CircleCI's default /bin/bash -eo pipefail).
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { orbSrcDir } from '../../scripts/pack-orb';

const exec = promisify(execFile);
const scriptsDir = join(orbSrcDir, 'scripts');
const scripts = readdirSync(scriptsDir)
  .filter((f) => f.endsWith('.sh'))
  .sort();

async function shellcheck(file: string): Promise<string> {
  try {
    await exec('shellcheck', ['--shell=bash', '--severity=style', '--external-sources', file], {
      cwd: scriptsDir,
    });
    return '';
  } catch (err) {
    const e = err as { code?: string | number; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') {
      return 'shellcheck is not installed: apt-get install -y shellcheck';
    }
    return `${e.stdout ?? ''}${e.stderr ?? ''}` || String(err);
  }
}

describe('shellcheck', () => {
  it('finds the orb scripts', () => {
    expect(scripts).toEqual(expect.arrayContaining(['auth.sh', 'ensure_cli.sh', 'setup.sh']));
  });
  it.each(scripts)('src/scripts/%s', async (file) => {
    const output = await shellcheck(file);
    if (output) expect.fail(`shellcheck src/scripts/${file}:\n${output}`);
  });
});
