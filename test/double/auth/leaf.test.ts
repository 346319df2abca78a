// The auth double's trusted leaf clusters and per-session MFA decisions (README "Trusted leaf
// cluster and per-session MFA", teleport-behaviour.md §3.1, §3.2), without sshd: which leaves a
// role set sees, what the certificates answer and what an SSH session is refused for.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../standin/tbot/keys';
import { validateRole } from './resources';
import { type AuthService, createAuth, type IssuedRecord, SshRefused } from './service';

let work: string;
let root: AuthService;
let leaf: AuthService;
let labelled: AuthService;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'leaf-double-'));
  [root, leaf, labelled] = await Promise.all([
    createAuth({ dir: path.join(work, 'root'), clusterName: 'root.test' }),
    createAuth({ dir: path.join(work, 'leaf'), clusterName: 'leaf.test' }),
    createAuth({ dir: path.join(work, 'labelled'), clusterName: 'labelled.test' }),
  ]);
  root.addLeafCluster({
    name: 'leaf.test',
    auth: leaf,
    roleMap: [
      { remote: 'ops', local: ['leaf-ops'] },
      { remote: '*', local: ['leaf-mfa-ops'] },
    ],
  });
  root.addLeafCluster({
    name: 'labelled.test',
    auth: labelled,
    labels: { env: 'prod' },
    roleMap: [{ remote: 'ops', local: ['leaf-ops'] }],
  });
  root.addRole({ name: 'ops', logins: ['ci'] });
  root.addRole({ name: 'prod-ops', logins: ['ci'], cluster_labels: { env: 'prod' } });
  root.addRole({ name: 'mfa', logins: ['secure'], require_session_mfa: true });
  leaf.addRole({ name: 'leaf-ops', logins: ['ci'] });
  leaf.addRole({ name: 'leaf-mfa-ops', logins: ['mfa-login'], require_session_mfa: true });
  labelled.addRole({ name: 'leaf-ops', logins: ['ci'] });
  root.addNode({ hostname: 'node-1', addr: '127.0.0.1:1', refuseAddr: '127.0.0.1:2' });
  leaf.addNode({ hostname: 'node-1', addr: '127.0.0.1:3', refuseAddr: '127.0.0.1:4' });
  labelled.addNode({ hostname: 'node-1', addr: '127.0.0.1:5' });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const caller = (roles: string[]): IssuedRecord => ({
  serial: '1',
  kind: 'output',
  bot: 'ci',
  username: 'bot-ci',
  roles,
  logins: [],
  reissuable: false,
  expires: new Date(Date.now() + 60_000),
});

describe('which leaf clusters a role set sees (CheckAccessToRemoteCluster)', () => {
  it('no role uses cluster_labels: only the unlabelled leaf', () => {
    expect(root.visibleLeafClusters(['ops']).map((l) => l.name)).toEqual(['leaf.test']);
  });

  it('a role with cluster_labels: only the leaves whose labels match', () => {
    expect(root.visibleLeafClusters(['prod-ops']).map((l) => l.name)).toEqual(['labelled.test']);
    expect(root.visibleLeafClusters(['ops', 'prod-ops']).map((l) => l.name)).toEqual([
      'labelled.test',
    ]);
  });

  it('unknown roles see nothing', () => {
    expect(root.visibleLeafClusters(['nobody'])).toEqual([]);
  });
});

describe('certificates from a root with leaves', () => {
  it("the leaves' host CAs ride along; the answer names the leaves the roles see", async () => {
    const cas = root.cas();
    expect(cas.remote?.map((r) => r.cluster_name)).toEqual(['leaf.test', 'labelled.test']);
    expect(cas.remote?.[0]?.ssh_host).toEqual(leaf.cas().ssh_host);
    root.addBot({ name: 'ci', roles: ['ops', 'prod-ops'] });
    const key = await generateKeyPair();
    const bot: IssuedRecord = { ...caller(['ops', 'prod-ops']), kind: 'bot' };
    const res = await root.certs(bot, {
      ssh_public_key: key.sshPublicKey,
      tls_public_key: key.tlsPublicKeyPem,
      ttl_seconds: 600,
      roles: ['ops'],
    });
    expect(res.leaf_clusters).toEqual(['leaf.test']);
  });
});

describe('SSH sessions Teleport allows or refuses', () => {
  it('a root node: the node; a leaf node: the leaf node, when a mapped role grants the login', () => {
    expect(root.sshAccess(caller(['ops']), { cluster: '', host: 'node-1', login: 'ci' }).addr).toBe(
      '127.0.0.1:1',
    );
    expect(
      root.sshAccess(caller(['ops']), {
        cluster: 'leaf.test',
        host: 'node-1.leaf.test',
        login: 'ci',
      }).addr,
    ).toBe('127.0.0.1:3');
  });

  it('a login no mapped leaf role grants: refused inside the handshake', () => {
    const refuse = () =>
      root.sshAccess(caller(['ops']), { cluster: 'leaf.test', host: 'node-1', login: 'root' });
    expect(refuse).toThrow(SshRefused);
    expect(refuse).toThrow(
      'user bot-ci@root.test is not authorized to login as root@leaf.test: access to node denied. User does not have permissions. Confirm SSH login.',
    );
  });

  it('per-session MFA on a granting role, in the root or through the role map', () => {
    expect(() =>
      root.sshAccess(caller(['mfa']), { cluster: '', host: 'node-1', login: 'secure' }),
    ).toThrow(
      'user bot-ci@root.test is not authorized to login as secure@root.test: access to resource requires MFA',
    );
    expect(() =>
      root.sshAccess(caller(['ops']), { cluster: 'leaf.test', host: 'node-1', login: 'mfa-login' }),
    ).toThrow(
      'user bot-ci@root.test is not authorized to login as mfa-login@leaf.test: access to resource requires MFA',
    );
  });

  it('per-session MFA on a root role does not reach the leaf: its mapped roles decide', () => {
    root.addRole({ name: 'ops-mfa', logins: ['ci'], require_session_mfa: true });
    expect(
      root.sshAccess(caller(['ops', 'ops-mfa']), {
        cluster: 'leaf.test',
        host: 'node-1',
        login: 'ci',
      }).addr,
    ).toBe('127.0.0.1:3');
  });

  it('a leaf the roles do not see, or an unknown one: not found, like a missing cluster', () => {
    expect(() =>
      root.sshAccess(caller(['ops']), { cluster: 'labelled.test', host: 'node-1', login: 'ci' }),
    ).toThrow('cluster "labelled.test" is not found');
    expect(() =>
      root.sshAccess(caller(['ops']), { cluster: 'other.test', host: 'node-1', login: 'ci' }),
    ).toThrow('cluster "other.test" is not found');
  });
});

describe('role YAML: cluster_labels and require_session_mfa', () => {
  it('reads both', () => {
    const role = validateRole(`kind: role
metadata: { name: r }
spec:
  options: { require_session_mfa: true }
  allow: { logins: [a], cluster_labels: { env: prod } }
`);
    expect(role).toEqual({
      name: 'r',
      logins: ['a'],
      cluster_labels: { env: 'prod' },
      require_session_mfa: true,
    });
  });

  it('refuses a value it does not model, naming the field', () => {
    expect(() =>
      validateRole(
        'kind: role\nmetadata: { name: r }\nspec:\n  options: { require_session_mfa: hardware_key }\n',
      ),
    ).toThrow('require_session_mfa: expected true or false, got "hardware_key"');
  });
});

describe('how the proxy finds a node: host name and registered port (RouteToServerScore)', () => {
  it('matches the port the node registered (3022 unless set), or any port for 0 or none', () => {
    expect(root.findNode('node-1.root.test', '3022')?.addr).toBe('127.0.0.1:1');
    expect(root.findNode('node-1', '0')?.addr).toBe('127.0.0.1:1');
    expect(root.findNode('node-1')?.addr).toBe('127.0.0.1:1');
    expect(root.findNode('node-1', '22')).toBeUndefined();
    leaf.addNode({ hostname: 'openssh-1', addr: '127.0.0.1:6', registeredPort: '22' });
    expect(leaf.findNode('openssh-1.leaf.test', '22')?.addr).toBe('127.0.0.1:6');
    expect(leaf.findNode('openssh-1', '3022')).toBeUndefined();
  });

  it('a port no node registered is refused as an unknown node, naming the port', () => {
    expect(() =>
      root.sshAccess(caller(['ops']), { cluster: '', host: 'node-1', port: '2222', login: 'ci' }),
    ).toThrow(
      'failed to dial target host: no node named "node-1" on port 2222 in cluster "root.test"',
    );
  });
});
