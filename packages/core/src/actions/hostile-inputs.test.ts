// Values that reach tbot's configuration may not hold control characters or the Unicode line
// and paragraph separators: a YAML 1.1 reader (go-yaml, in tbot) takes U+0085, U+2028 and
// U+2029 as line breaks, so such a value could add a key of its own (issue: YAML injection).
import { describe, expect, it } from 'vitest';
import { readAuthSettings } from '../auth/settings';
import { InputError } from '../errors';
import type { CiPlatform } from '../platform/platform';
import { testPlatform } from '../platform/test-platform';
import { authAppAction } from './auth-app';
import { authK8sAction } from './auth-k8s';
import { databaseTunnelAction } from './database-tunnel';

const BREAKERS = {
  'U+2028': '\u2028',
  'U+2029': '\u2029',
  'U+0085': '\u0085',
  'new line': '\n',
  'carriage return': '\r',
  tab: '\t',
  escape: '\x1b',
  NUL: '\0',
  DEL: '\x7f',
};

const base = { proxy: 'teleport.example.com:443', token: 'github-bot' };
const readers: Record<string, [Record<string, string>, (p: CiPlatform) => unknown]> = {
  token: [base, readAuthSettings],
  'certificate-ttl': [base, readAuthSettings],
  out: [base, readAuthSettings],
  'data-dir': [base, readAuthSettings],
  'kubernetes-cluster': [{}, (p) => authK8sAction('1').readInputs(p)],
  app: [{}, (p) => authAppAction('1').readInputs(p)],
  username: [
    { listen: 'tcp://127.0.0.1:5432', service: 'db', database: 'app' },
    (p) => databaseTunnelAction('1').readInputs(p),
  ],
  service: [
    { listen: 'tcp://127.0.0.1:5432', username: 'u', database: 'app' },
    (p) => databaseTunnelAction('1').readInputs(p),
  ],
};

describe('refusing values that would break out of the configuration', () => {
  const cases = Object.entries(readers).flatMap(([input, [others, read]]) =>
    Object.entries(BREAKERS).map(([what, ch]) => [input, what, ch, others, read] as const),
  );
  it.each(cases)('%s holding %s', (input, _what, ch, others, read) => {
    const platform = testPlatform({
      inputs: { ...others, [input]: `github-bot${ch}insecure:${ch}  true` },
    });
    let thrown: unknown;
    try {
      read(platform);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InputError);
    const message = (thrown as Error).message;
    expect(message).toMatch(
      new RegExp(
        `^Input '${input}': holds a control character or line separator \\(U\\+[0-9A-F]{4}\\)`,
      ),
    );
    // One line, and the hostile value is not echoed.
    expect(message).not.toMatch(/[\n\r\u2028\u2029\u0085\x1b]/);
    expect(message).not.toContain('insecure');
  });
  it('multi-line inputs keep new lines but refuse the separators', () => {
    const k8s = authK8sAction('1');
    expect(
      k8s.readInputs(testPlatform({ inputs: { 'kubernetes-labels': 'env=prod\nteam=web' } })),
    ).toEqual({ labels: { env: 'prod', team: 'web' } });
    for (const ch of ['\u2028', '\u0085', '\x1b']) {
      expect(() =>
        k8s.readInputs(testPlatform({ inputs: { 'kubernetes-labels': `env=prod${ch}x=y` } })),
      ).toThrow(/^Input 'kubernetes-labels': holds a control character/);
      expect(() =>
        readAuthSettings(testPlatform({ inputs: { ...base, roles: `ci${ch}admin` } })),
      ).toThrow(/^Input 'roles': holds a control character/);
    }
  });
});
