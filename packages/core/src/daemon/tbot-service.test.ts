import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseProxyAddress } from '../proxy/address';
import { type DaemonPlan, planDaemon, systemdUnit } from './tbot-service';

const plan: DaemonPlan = {
  proxy: parseProxyAddress('teleport.example.com:443'),
  token: 'jenkins-bot',
  joinMethod: 'bound_keypair',
  tbotPath: '/usr/local/bin/tbot',
  tbotVersion: '18.6.4',
  outputDir: '/opt/machine-id',
  dataDir: '/var/lib/teleport/bot',
  configPath: '/etc/tbot.yaml',
  unitPath: '/etc/systemd/system/tbot.service',
  botUser: 'teleport',
  readerUser: 'jenkins',
};

describe('tbot as a service on an agent', () => {
  it('writes a private tbot.yaml that keeps its identity on disk and renews', () => {
    const { files } = planDaemon(plan);
    const config = files.find((f) => f.path === '/etc/tbot.yaml')!;
    expect(config.mode).toBe(0o600);
    expect(parse(config.content)).toMatchObject({
      version: 'v2',
      proxy_server: 'teleport.example.com:443',
      onboarding: { join_method: 'bound_keypair', token: 'jenkins-bot' },
      storage: { type: 'directory', path: '/var/lib/teleport/bot' },
      oneshot: false,
      services: [{ type: 'identity', destination: { path: '/opt/machine-id' } }],
    });
  });

  it('runs tbot as the bot user and reloads with SIGHUP (teleport-behaviour.md §1.6)', () => {
    const unit = systemdUnit(plan);
    expect(unit).toContain('User=teleport\n');
    expect(unit).toContain('ExecStart=/usr/local/bin/tbot start -c /etc/tbot.yaml\n');
    expect(unit).toContain('ExecReload=/bin/kill -HUP $MAINPID\n');
  });

  it('lets the reader read what tbot writes, now and later (default ACL)', () => {
    const { commands } = planDaemon(plan);
    expect(commands).toContainEqual(['setfacl', '-m', 'u:jenkins:rX', '/opt/machine-id']);
    expect(commands.map((c) => c.join(' '))).toContain(
      'install -d -m 0700 -o teleport -g teleport /var/lib/teleport/bot',
    );
  });
});
