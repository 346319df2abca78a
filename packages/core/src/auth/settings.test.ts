import { describe, expect, it } from 'vitest';
import { testPlatform } from '../platform/test-platform';
import { readAuthSettings } from './settings';

const inputs = (values: Record<string, string>) => testPlatform({ inputs: values });

describe('the inputs every auth action shares', () => {
  it('reads the official inputs', () => {
    const read = readAuthSettings(
      inputs({
        proxy: 'teleport.example.com',
        token: 'github-bot',
        roles: 'a, b',
        'certificate-ttl': '2h30m',
      }),
    );
    expect(read).toMatchObject({
      token: 'github-bot',
      roles: ['a', 'b'],
      certificateTtl: '2h30m',
      cleanup: true,
      disableEnvVars: false,
    });
    expect(read.proxy.hostPort).toBe('teleport.example.com:443');
  });
  it.each([
    [{ token: 't' }, /^Input 'proxy': is required/],
    [{ proxy: 'p:443' }, /^Input 'token': is required/],
    [
      { proxy: 'p:443', token: 't', 'certificate-ttl': '1 hour' },
      /^Input 'certificate-ttl': '1 hour' is not a duration/,
    ],
    [{ proxy: 'p:443', token: 't', 'ca-pins': 'abc' }, /^Input 'ca-pins': 'abc' is not a CA pin/],
    [
      { proxy: 'p:443', token: 't', cleanup: 'maybe' },
      /^Input 'cleanup': 'maybe' is not 'true' or 'false'/,
    ],
  ])('rejects %j', (values, message) => {
    expect(() => readAuthSettings(inputs(values))).toThrow(message);
  });
});
