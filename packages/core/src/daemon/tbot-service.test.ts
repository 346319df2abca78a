import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseProxyAddress } from '../proxy/address';
import { type DaemonPlan, planDaemon, systemdUnit } from './tbot-service';

const plan: DaemonPlan = {
  proxy: parseProxyAddress('teleport.example.com:443'),
  token: 'jenkins-bot',
  joinMethod: 'bound_keypair',
  tbotPath: '/root/.cache/teleport-ci/tools/tbot/18.6.4/x64/tbot',
  tbotVersion: '18.6.4',
  binDir: '/usr/local/lib/teleport-ci',
  registrationSecret: 'first-join-secret',
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
      onboarding: {
        join_method: 'bound_keypair',
        token: 'jenkins-bot',
        bound_keypair: { registration_secret: 'first-join-secret' },
      },
      storage: { type: 'directory', path: '/var/lib/teleport/bot' },
      oneshot: false,
      // tbot grants the reader its ACL on every file it writes (they are 0600), §2.4.
      services: [
        {
          type: 'identity',
          destination: { path: '/opt/machine-id', readers: [{ user: 'jenkins' }] },
        },
      ],
    });
  });

  it('runs tbot as the bot user and reloads with SIGHUP (teleport-behaviour.md §1.6)', () => {
    const unit = systemdUnit(plan);
    expect(unit).toContain('User=teleport\n');
    // Not the tbot found in root's cache (the bot user cannot read it): a root-owned copy.
    expect(unit).toContain('ExecStart=/usr/local/lib/teleport-ci/tbot start -c /etc/tbot.yaml\n');
    expect(planDaemon(plan).commands[0]).toEqual([
      'install',
      '-D',
      '-m',
      '0755',
      '/root/.cache/teleport-ci/tools/tbot/18.6.4/x64/tbot',
      '/usr/local/lib/teleport-ci/tbot',
    ]);
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

describe('what daemon install refuses before writing anything', () => {
  it('bound_keypair without a registration secret: its first join could not succeed (§2.2)', () => {
    expect(() => planDaemon({ ...plan, registrationSecret: undefined })).toThrow(
      "Input 'registration-secret': is needed for the first bound_keypair join: give the join token's registration secret (set TBOT_REGISTRATION_SECRET for daemon install), or use --join-method token",
    );
    expect(() =>
      planDaemon({ ...plan, joinMethod: 'token', registrationSecret: undefined }),
    ).not.toThrow();
  });

  it('bound_keypair on a tbot before 18.0.0 (#55380)', () => {
    expect(() => planDaemon({ ...plan, tbotVersion: '17.4.2' })).toThrow(
      "Input 'join-method' needs the bound_keypair join method, which tbot has from 18.0.0; this job has tbot 17.4.2",
    );
  });
});
