import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dotenvExports, outputVariable, shellExports } from './env-export';

const exec = promisify(execFile);
const HOSTILE = [
  `it's "quoted"`,
  'line one\nline two',
  '$(touch /tmp/pwned-by-teleport-ci) `id` ${HOME}',
  "'; rm -rf ~ #",
  '\\ back\\slash \t tab',
];

describe('--print-env output', () => {
  it('survives eval with hostile values, byte for byte', async () => {
    const exports = Object.fromEntries(HOSTILE.map((v, i) => [`VAR_${i}`, v]));
    const script = `${shellExports({ outputs: { 'ssh-config': HOSTILE[2]! }, exports, paths: ['/opt/x y'] })}
for i in 0 1 2 3 4; do eval "printf '%s\\0' \\"\\$VAR_$i\\""; done
printf '%s\\0' "$TELEPORT_CI_SSH_CONFIG" "\${PATH%%:*}"`;
    const { stdout } = await exec('bash', ['-c', script]);
    expect(stdout.split('\0').slice(0, -1)).toEqual([...HOSTILE, HOSTILE[2], '/opt/x y']);
    await expect(exec('test', ['-e', '/tmp/pwned-by-teleport-ci'])).rejects.toThrow();
  });
  it('names outputs TELEPORT_CI_*', () => {
    expect(outputVariable('ssh-config')).toBe('TELEPORT_CI_SSH_CONFIG');
  });
  it('refuses unsafe variable names and newlines in dotenv', () => {
    expect(() => shellExports({ outputs: {}, exports: { 'A;B': 'x' }, paths: [] })).toThrow(
      /refusing/,
    );
    expect(dotenvExports({ outputs: {}, exports: { A: 'x y' }, paths: ['/t'] }, '/usr/bin')).toBe(
      'A=x y\nPATH=/t:/usr/bin\n',
    );
    expect(() => dotenvExports({ outputs: {}, exports: { A: 'a\nb' }, paths: [] }, '')).toThrow(
      /line break/,
    );
  });
});
