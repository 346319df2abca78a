// End to end: the engine (through `teleport-ci`, as a GitLab job runs it) against the Teleport
// double's stand-in tbot of each release line that changes what it may do (teleport-behaviour.md §7): a
// feature or join method the installed tbot lacks is refused before tbot runs, naming the input,
// the installed version and the first release that has it; a failed join gets the hint for its
// cause; debug mode gets tbot's own debug log.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { writeTbot } from '../double/standin/test-helpers';
import { repoRoot } from './helpers';

const CLI = join(repoRoot, 'packages', 'cli', 'dist', 'teleport-ci.cjs');
const RELEASES = ['16.5.4', '17.2.1', '17.2.7', '17.2.8', '17.4.2', '17.5.1', '18.2.9', '18.2.10'];
let work: string;
let double: Double;
let jwt: string;
const tbotDir: Record<string, string> = {};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tbot-releases-'));
  double = await startDouble({
    auth: { sshd: false },
    proxy: { serverVersion: '18.6.4', clusterName: 'teleport.example.test' },
    cacheDir: join(work, 'cache'),
  });
  const auth = double.auth!;
  auth.addRole({ name: 'rel-k8s', kube_clusters: ['prod'], kubernetes_groups: ['viewers'] });
  auth.addBot({ name: 'rel', roles: ['rel-k8s'] });
  auth.addToken(`kind: token
version: v2
metadata: { name: gitlab-bot }
spec:
  roles: [Bot]
  join_method: gitlab
  bot_name: rel
  gitlab:
    domain: gitlab.example.test
    allow:
      - project_path: group/deploy
`);
  const issuer = auth.issuers.gitlab;
  jwt = await issuer.mint(issuer.claims({ projectPath: 'group/deploy' }), {
    audience: 'teleport.example.test',
  });
  for (const v of RELEASES) tbotDir[v] = dirname(await writeTbot(work, v));
}, 120_000);

afterAll(async () => {
  await double?.close();
  await rm(work, { recursive: true, force: true });
});

/** `teleport-ci <args>` in a GitLab job whose PATH has the stand-in tbot of `release`. */
async function cli(
  release: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string; last: string }> {
  const home = join(work, `home-${Math.random().toString(36).slice(2)}`);
  await mkdir(home, { recursive: true });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args, '--proxy', double.proxy.addr], {
      env: {
        ...double.env,
        PATH: `${tbotDir[release]}:${process.env.PATH}`,
        HOME: home,
        TMPDIR: home,
        GITLAB_CI: 'true',
        CI_JOB_ID: String(Date.now()),
        TBOT_GITLAB_JWT: jwt,
        ...env,
      },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out, last: out.trim().split('\n').at(-1) ?? '' }));
  });
}

/** Joins recorded by the double so far: a refusal must add none. */
const joins = () => double.auth!.joins.length;

describe('gates by release (teleport-behaviour.md §7)', () => {
  it('allow_reissue: 16.5.x has it (v16 backport #52115), 17.2.1 refused, 17.2.8 has it (#52116)', async () => {
    for (const v of ['16.5.4', '17.2.8']) {
      const r = await cli(v, ['auth', '--token', 'gitlab-bot', '--allow-reissue', '--print-env']);
      expect(r.code, `${v}: ${r.out}`).toBe(0);
      expect(double.auth!.issued.at(-1), v).toMatchObject({ reissuable: true });
    }
    const before = joins();
    const r = await cli('17.2.1', ['auth', '--token', 'gitlab-bot', '--allow-reissue']);
    expect(r.code).toBe(1);
    expect(r.last).toBe(
      'teleport-ci: auth: --allow-reissue needs allow_reissue, which tbot has from 17.2.8; this job has tbot 17.2.1: install 17.2.8 or newer with teleport-actions/setup',
    );
    expect(joins()).toBe(before);
  });

  it('kubernetes-labels: refused by 17.2.1, run by 17.2.7 (#52830)', async () => {
    const before = joins();
    const old = await cli('17.2.1', [
      'auth-k8s',
      '--token',
      'gitlab-bot',
      '--kubernetes-labels',
      'env=prod',
    ]);
    expect(old.last).toBe(
      'teleport-ci: auth-k8s: --kubernetes-labels needs the kubernetes/v2 output (selectors), which tbot has from 17.2.7; this job has tbot 17.2.1: install 17.2.7 or newer with teleport-actions/setup',
    );
    expect(joins()).toBe(before);
    const r = await cli('17.2.7', [
      'auth-k8s',
      '--token',
      'gitlab-bot',
      '--kubernetes-labels',
      'env=prod',
      '--print-env',
    ]);
    // 17.2.7 takes the output: whatever happens next comes from tbot and the cluster, not a gate.
    expect(r.out).not.toContain('needs the kubernetes/v2 output');
    expect(joins()).toBeGreaterThan(before);
  });

  it('kubernetes-labels with roles: refused (kubernetes/v2 has no roles, §2.5)', async () => {
    const before = joins();
    const r = await cli('17.4.2', [
      'auth-k8s',
      '--token',
      'gitlab-bot',
      '--kubernetes-labels',
      'env=prod',
      '--roles',
      'rel-k8s',
    ]);
    expect(r.code).toBe(1);
    expect(r.last).toBe(
      "teleport-ci: auth-k8s: --roles: cannot be combined with --kubernetes-labels: tbot's kubernetes/v2 output has no roles and uses all of the bot's roles; remove --roles, or name one cluster with --kubernetes-cluster",
    );
    expect(joins()).toBe(before);
  });

  it('join methods: azure_devops from 17.5.1 (#54875), bound_keypair from 18.0.0 (#55380)', async () => {
    const before = joins();
    const azure = await cli('17.4.2', [
      'auth',
      '--token',
      'azure-bot',
      '--join-method',
      'azure_devops',
    ]);
    expect(azure.last).toBe(
      'teleport-ci: auth: --join-method needs the azure_devops join method, which tbot has from 17.5.1; this job has tbot 17.4.2: install 17.5.1 or newer with teleport-actions/setup',
    );
    const bkp = await cli('17.5.1', ['auth', '--token', 'bkp', '--join-method', 'bound_keypair']);
    expect(bkp.last).toBe(
      'teleport-ci: auth: --join-method needs the bound_keypair join method, which tbot has from 18.0.0; this job has tbot 17.5.1: install 18.0.0 or newer with teleport-actions/setup',
    );
    expect(joins()).toBe(before);
  });

  it('TBOT_REGISTRATION_SECRET: refused before 18.2.10 (#59620), which would ignore it', async () => {
    const before = joins();
    const r = await cli('18.2.9', ['auth', '--token', 'bkp', '--join-method', 'bound_keypair'], {
      TBOT_REGISTRATION_SECRET: 'first-join',
    });
    expect(r.last).toBe(
      "teleport-ci: auth: TBOT_REGISTRATION_SECRET is read by tbot from 18.2.10; this job has tbot 18.2.9, which would ignore it: install 18.2.10 or newer, or register a keypair made with 'tbot keypair create' in advance",
    );
    expect(joins()).toBe(before);
    // 18.2.10 reads it and asks the cluster (which has no such token): the hint names --token.
    const ok = await cli('18.2.10', ['auth', '--token', 'bkp', '--join-method', 'bound_keypair'], {
      TBOT_REGISTRATION_SECRET: 'first-join',
    });
    expect(ok.last).toMatch(/check --token against 'tctl tokens ls'$/);
  });
});

describe('a failed join gets the hint for its cause (teleport-behaviour.md §2.3, §4.2)', () => {
  it('a token name the cluster does not have: check --token', async () => {
    const r = await cli('17.4.2', ['auth', '--token', 'no-such-token']);
    expect(r.last).toBe(
      `teleport-ci: auth: tbot could not join with token 'no-such-token': joining with token: "" can not join the cluster with role "Bot", token expired or not found. The cluster has no join token named 'no-such-token' (or it expired): check --token against 'tctl tokens ls'`,
    );
  });

  it('claims that match no allow rule: the claims, as before', async () => {
    const issuer = double.auth!.issuers.gitlab;
    const other = await issuer.mint(issuer.claims({ projectPath: 'other/app' }), {
      audience: 'teleport.example.test',
    });
    const r = await cli('17.4.2', ['auth', '--token', 'gitlab-bot'], { TBOT_GITLAB_JWT: other });
    expect(r.last).toMatch(
      /^teleport-ci: auth: tbot could not join with token 'gitlab-bot': joining with token: id token claims did not match any allow rules\. This job's ID token has .*project_path.*: compare them with the token's allow rules$/,
    );
  });

  it('an unknown Kubernetes cluster: what the bot can see', async () => {
    const r = await cli('17.4.2', [
      'auth-k8s',
      '--token',
      'gitlab-bot',
      '--kubernetes-cluster',
      'staging',
    ]);
    expect(r.last).toMatch(
      /^teleport-ci: auth-k8s: tbot failed: .*kubernetes cluster "staging" not found\. The bot's roles give no access to a Kubernetes cluster named "staging": check --kubernetes-cluster against 'tsh kube ls'/,
    );
  });
});

describe('debug mode (teleport-behaviour.md §1.1)', () => {
  it('passes --debug, so tbot logs at debug level; no debug: true in its config', async () => {
    const r = await cli('17.4.2', ['auth', '--token', 'gitlab-bot', '--debug', '--print-env']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/tbot: \S+ DEBUG /);
  });
});
