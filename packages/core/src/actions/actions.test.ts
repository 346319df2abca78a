import { describe, expect, it } from 'vitest';
import { readSharedAuthInputs } from '../auth/inputs';
import type { CiPlatform } from '../platform/platform';
import { parseLabels } from './kubernetes';
import { parseListen } from './tunnels';

function inputs(values: Record<string, string>): CiPlatform {
  return { getInput: (name: string) => values[name] ?? '' } as CiPlatform;
}

describe('shared auth inputs', () => {
  it('reads the official inputs', () => {
    const read = readSharedAuthInputs(
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
    expect(() => readSharedAuthInputs(inputs(values))).toThrow(message);
  });
});

describe('action inputs', () => {
  it('parses Kubernetes labels', () => {
    expect(parseLabels('env=prod, team=platform', 'kubernetes-labels')).toEqual({
      env: 'prod',
      team: 'platform',
    });
    expect(() => parseLabels('prod', 'kubernetes-labels')).toThrow(
      /^Input 'kubernetes-labels': 'prod' is not key=value/,
    );
  });
  it('parses listen URIs', () => {
    expect(parseListen('tcp://127.0.0.1:5432').port).toBe('5432');
    expect(parseListen('unix:///tmp/db.sock').pathname).toBe('/tmp/db.sock');
    expect(() => parseListen('127.0.0.1:5432')).toThrow(/^Input 'listen'/);
    expect(() => parseListen('tcp://127.0.0.1')).toThrow(/must be tcp:\/\/<host>:<port>/);
    expect(() => parseListen('http://127.0.0.1:80')).toThrow(/must be tcp/);
  });
});
