import { describe, expect, it } from 'vitest';
import { inputsAsFlags, Masker, shellPlatform } from './shell';

async function platformFor(opts: { color?: boolean; debug?: boolean } = {}) {
  const written: string[] = [];
  const recorded: Array<[string, string]> = [];
  const platform = shellPlatform({
    ciName: 'gitlab',
    joinMethod: 'gitlab',
    inputs: { proxy: ' teleport.example.com:443 ' },
    env: {},
    recordState: async (name, value) => {
      recorded.push([name, value]);
    },
    stderr: { write: (t) => written.push(t), isTTY: false, color: opts.color ?? false },
    debug: opts.debug ?? false,
    flags: new Set(['proxy', 'token']),
  });
  return { platform, written, recorded };
}

describe('the command line as a CI platform', () => {
  it('reads flags as inputs and collects outputs, variables and PATH for the shell', async () => {
    const { platform } = await platformFor();
    expect(platform.getInput('proxy')).toBe('teleport.example.com:443');
    expect(platform.getInput('token')).toBe('');
    platform.setOutput('ssh-config', '/c/ssh_config');
    platform.exportVariable('TELEPORT_PROXY', 'p:443');
    platform.addPath('/tools/a');
    platform.addPath('/tools/b');
    expect(platform.results).toEqual({
      outputs: { 'ssh-config': '/c/ssh_config' },
      exports: { TELEPORT_PROXY: 'p:443' },
      paths: ['/tools/b', '/tools/a'],
    });
    expect(platform.failed).toBe(false);
  });

  it('masks secrets in every line, and prints debug lines only in debug mode', async () => {
    const { platform, written } = await platformFor();
    platform.setSecret('eyJsecret-token');
    platform.log.info('token is eyJsecret-token');
    platform.log.debug('hidden');
    expect(written).toEqual(['token is ***\n']);
    const debug = await platformFor({ debug: true });
    debug.platform.log.debug('shown');
    expect(debug.written).toEqual(['shown\n']);
  });

  it('fails with one line that names flags, in red only when asked', async () => {
    const { platform, written } = await platformFor();
    platform.fail("auth-ssh: Input 'proxy': is required: give 'proxy' or 'token', not 'other'");
    expect(written).toEqual([
      "teleport-ci: auth-ssh: --proxy: is required: give --proxy or --token, not 'other'\n",
    ]);
    expect(platform.failed).toBe(true);
    const red = await platformFor({ color: true });
    red.platform.fail('x');
    expect(red.written).toEqual(['\x1b[31mteleport-ci:\x1b[0m x\n']);
  });

  it('records state for cleanup as the command saves it', async () => {
    const { platform, recorded } = await platformFor();
    await platform.saveState('credentials-dir', '/c');
    expect(platform.getState('credentials-dir')).toBe('/c');
    expect(recorded).toEqual([['credentials-dir', '/c']]);
  });
});

describe('helpers', () => {
  it('masks only secrets long enough to mean something', () => {
    const masker = new Masker();
    masker.add('abc');
    masker.add('abcd');
    expect(masker.mask('abc abcd')).toBe('abc ***');
  });
  it('names inputs as flags', () => {
    expect(inputsAsFlags("Input 'listen': use 'proxy'", new Set(['listen', 'proxy']))).toBe(
      '--listen: use --proxy',
    );
  });
});
