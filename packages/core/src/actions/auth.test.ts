import { describe, expect, it } from 'vitest';
import { readAuthSettings } from '../auth/settings';
import { testPlatform } from '../platform/test-platform';
import type { TbotBinary } from '../tbot/detect';
import { authAction } from './auth';
import { authSshAction } from './auth-ssh';

async function published(proxy: string, extra: Record<string, string> = {}) {
  const platform = testPlatform({ inputs: { proxy, token: 'bot', ...extra } });
  const auth = readAuthSettings(platform);
  const ctx = { platform, auth, dir: '/creds', tbot: {} as TbotBinary };
  await authAction('1.0.0').publish(ctx, { allowReissue: false });
  return { platform, auth };
}

describe('auth exports', () => {
  it('TELEPORT_PROXY and TELEPORT_AUTH_SERVER as the proxy input was written', async () => {
    const { platform, auth } = await published('teleport.example.com');
    expect(auth.proxy.hostPort).toBe('teleport.example.com:443'); // what tbot is given
    expect(platform.exported).toMatchObject({
      TELEPORT_PROXY: 'teleport.example.com',
      TELEPORT_AUTH_SERVER: 'teleport.example.com',
      TELEPORT_IDENTITY_FILE: '/creds/identity',
    });
    const withPort = await published(' teleport.example.com:3080 ');
    expect(withPort.platform.exported.TELEPORT_PROXY).toBe('teleport.example.com:3080');
  });

  it('exports nothing with disable-env-vars', async () => {
    const { platform } = await published('teleport.example.com', { 'disable-env-vars': 'true' });
    expect(platform.exported).toEqual({});
    expect(platform.outputs['identity-file']).toBe('/creds/identity');
  });
});

describe('auth-ssh exports', () => {
  it('TELEPORT_SSH_CONFIG, the name the GitLab component uses too', async () => {
    for (const [extra, exported] of [
      [{}, { TELEPORT_SSH_CONFIG: '/creds/ssh_config' }],
      [{ 'disable-env-vars': '1' }, {}],
    ] as const) {
      const platform = testPlatform({
        inputs: { proxy: 'teleport.example.com', token: 'bot', ...extra },
      });
      const ctx = {
        platform,
        auth: readAuthSettings(platform),
        dir: '/creds',
        tbot: {} as TbotBinary,
      };
      await authSshAction('1.0.0').publish(ctx, undefined);
      expect(platform.exported).toEqual(exported);
      expect(platform.outputs['ssh-config']).toBe('/creds/ssh_config');
    }
  });
});
