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
      /^Input 'cleanup': 'maybe' is not one of 'true', 'false', '1' or '0'/,
    ],
  ])('rejects %j', (values, message) => {
    expect(() => readAuthSettings(inputs(values))).toThrow(message);
  });
  it.each(['0s', '0h0m', '500ms', '99999999h', '169h', '10081m'])(
    'refuses certificate-ttl %s (tbot would refuse it, or the server cut it)',
    (ttl) => {
      expect(() =>
        readAuthSettings(inputs({ proxy: 'p:443', token: 't', 'certificate-ttl': ttl })),
      ).toThrow(
        `Input 'certificate-ttl': '${ttl}' is out of range: give from 1s to 168h (7 days, the longest Teleport issues a bot), e.g. 1h`,
      );
    },
  );
  it.each(['1s', '90m', '168h', '1h30m'])('accepts certificate-ttl %s', (ttl) => {
    expect(
      readAuthSettings(inputs({ proxy: 'p:443', token: 't', 'certificate-ttl': ttl }))
        .certificateTtl,
    ).toBe(ttl);
  });
});
