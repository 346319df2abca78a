import { describe, expect, it } from 'vitest';
import { testPlatform } from '../platform/test-platform';
import { parseListen, readBackgroundSettings } from './tunnel-inputs';

describe('tunnel inputs', () => {
  it('parses listen URIs', () => {
    expect(parseListen('tcp://127.0.0.1:5432').port).toBe('5432');
    expect(parseListen('unix:///tmp/db.sock').pathname).toBe('/tmp/db.sock');
    expect(() => parseListen('127.0.0.1:5432')).toThrow(/^Input 'listen'/);
    expect(() => parseListen('tcp://127.0.0.1')).toThrow(/must be tcp:\/\/<host>:<port>/);
    expect(() => parseListen('http://127.0.0.1:80')).toThrow(/must be tcp/);
  });
  it.each([
    ['tcp://127.0.0.1:0', /^Input 'listen': 'tcp:\/\/127\.0\.0\.1:0' has port 0: give the port/],
    ['unix://relative/db.sock', /^Input 'listen': '.*' is not an absolute socket path/],
    ['unix:db.sock', /^Input 'listen': '.*' is not an absolute socket path/],
    ['unix:///', /^Input 'listen': '.*' is not an absolute socket path/],
  ])('refuses listen %s', (raw, message) => {
    expect(() => parseListen(raw)).toThrow(message);
  });
  it.each(['0', '0x50', '80.0', '65536'])('refuses diag-port %s', (port) => {
    expect(() => readBackgroundSettings(testPlatform({ inputs: { 'diag-port': port } }))).toThrow(
      `Input 'diag-port': '${port}' is not a whole number from 1 to 65535`,
    );
  });
});
