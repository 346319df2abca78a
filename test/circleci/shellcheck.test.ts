// Every script the orb includes is POSIX sh: `shellcheck --shell=sh` (Debian package
// `shellcheck`) at every severity, and dash and busybox sh parse it (`sh -n`). Images without
// bash run the orb's steps with /bin/sh; orb.test.ts and e2e-any-image.test.ts run them there.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { orbSrcDir } from '../../scripts/pack-orb';

const exec = promisify(execFile);
const scriptsDir = join(orbSrcDir, 'scripts');
const scripts = readdirSync(scriptsDir)
  .filter((f) => f.endsWith('.sh'))
  .sort();

/** The program's complaints about `file`, or '' when it has none. */
async function complaints(program: string, args: string[], install: string): Promise<string> {
  try {
    await exec(program, args, { cwd: scriptsDir });
    return '';
  } catch (err) {
    const e = err as { code?: string | number; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') return `${program} is not installed: apt-get install -y ${install}`;
    return `${e.stdout ?? ''}${e.stderr ?? ''}` || String(err);
  }
}

describe('the orb scripts are POSIX sh', () => {
  it('finds the orb scripts', () => {
    expect(scripts).toEqual(
      expect.arrayContaining(['auth.sh', 'cleanup.sh', 'ensure_cli.sh', 'setup.sh']),
    );
  });
  it.each(scripts)('shellcheck --shell=sh src/scripts/%s', async (file) => {
    const args = ['--shell=sh', '--severity=style', '--external-sources', file];
    const output = await complaints('shellcheck', args, 'shellcheck');
    if (output) expect.fail(`shellcheck src/scripts/${file}:\n${output}`);
  });
  it.each(scripts)('dash and busybox sh parse src/scripts/%s', async (file) => {
    expect(await complaints('dash', ['-n', file], 'dash')).toBe('');
    expect(await complaints('busybox', ['sh', '-n', file], 'busybox')).toBe('');
  });
  it('no script asks for bash', () => {
    for (const file of scripts) {
      const text = readFileSync(join(scriptsDir, file), 'utf8');
      expect(text.split('\n')[0], file).toBe('#!/bin/sh');
      expect(text, file).not.toMatch(/pipefail|\[\[|printf %q|\$\{[A-Za-z_]+\[/);
    }
  });
});
