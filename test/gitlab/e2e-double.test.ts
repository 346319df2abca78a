/**
 * End to end on GitLab: gitlab-ci-local runs a pipeline that includes the `ssh` component from
 * this checkout (`include: component: ...@<HEAD sha>`), with the real `teleport-ci` bundle
 * (TELEPORT_CI_BIN) against the Teleport double. gitlab-ci-local mints no ID tokens, so
 * TBOT_GITLAB_JWT is minted by the double's GitLab issuer and passed as a variable. The job's
 * `script` runs real `ssh` to the double's sshd; the job's output is checked for secrets.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReleaseStamp } from '../../scripts/gen-wrappers';
import { type Double, startDouble } from '../double';
import { ensureLoginUser } from '../double/ssh/users';
import { makeShellOnlyPath } from '../wrappers/shell-only';
import { type ServedRelease, serveRelease } from '../wrappers/standalone-release';
import {
  type ComponentRepo,
  type ExecResult,
  makeComponentRepo,
  repoRoot,
  stampedTemplates,
} from './harness';

const execP = promisify(execFile);
const LOGIN = 'ci-gitlab-e2e';
const CLUSTER = 'teleport.example.test';
const LEAF = 'leaf.example.test';
const CLI = join(repoRoot, 'packages', 'cli', 'dist', 'teleport-ci.cjs');

let double: Double;
let repo: ComponentRepo;
let counter = 0;

beforeAll(async () => {
  double = await startDouble({
    // A trusted leaf cluster whose role_map gives the bot's role a leaf role with the login.
    auth: { leaf: { name: LEAF, roleMap: [{ remote: 'ci-gitlab-ssh', local: ['leaf-ssh'] }] } },
    proxy: { serverVersion: '17.4.2' },
  });
  repo = await makeComponentRepo();
  const auth = double.auth!;
  auth.addRole({ name: 'ci-gitlab-ssh', logins: [LOGIN] });
  auth.leaf!.auth.addRole({ name: 'leaf-ssh', logins: [LOGIN] });
  auth.addBot({ name: 'ci-gitlab', roles: ['ci-gitlab-ssh'] });
  auth.addToken(`kind: token
version: v2
metadata: { name: gitlab-bot }
spec:
  roles: [Bot]
  join_method: gitlab
  bot_name: ci-gitlab
  gitlab:
    domain: gitlab.example.test
    allow:
      - project_path: ${repo.projectPath}
`);
  await ensureLoginUser(LOGIN);
}, 120_000);
afterAll(async () => {
  await Promise.all([double?.close(), repo?.cleanup()]);
});

/** A PATH with node and the system tools (real `ssh`) but no workspace `node_modules/.bin`. */
function cleanPath(): string {
  return [dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(delimiter);
}

/** Runs the `ssh` component's job with the real CLI, the double's env and `jwt`. */
async function runSshJob(
  jwt: string,
  command: string,
  on: {
    repo: ComponentRepo;
    variables?: Record<string, string>;
    env?: NodeJS.ProcessEnv;
    inputs?: Record<string, string>;
  } = {
    repo,
    variables: { TELEPORT_CI_BIN: CLI },
    env: { PATH: cleanPath() },
  },
): Promise<ExecResult & { tmp: string }> {
  counter += 1;
  const tmp = join(dirname(on.repo.dir), `e2e-tmp${counter}`);
  await mkdir(tmp);
  const file = await on.repo.writePipeline(
    {
      include: [
        {
          component: on.repo.component('ssh'),
          inputs: {
            cluster: CLUSTER,
            proxy: double.proxy.addr,
            token: 'gitlab-bot',
            version: '17.4.2',
            host: 'node-1',
            login: LOGIN,
            command,
            ...on.inputs,
          },
        },
      ],
      stages: ['deploy'],
    },
    `pipelines/e2e${counter}.yml`,
  );
  const r = await on.repo.run(['teleport-ssh'], {
    file,
    asGitLab: true,
    forceShellExecutor: true, // the component's job has an `image:`
    variables: { TBOT_GITLAB_JWT: jwt, ...on.variables },
    env: { ...double.env, TMPDIR: tmp, ...on.env },
    timeoutMs: 180_000,
  });
  return { ...r, tmp };
}

/** No ID token, private key or certificate body in what the job printed. */
function expectNoSecrets(output: string, jwt: string): void {
  expect(output).not.toMatch(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/);
  expect(output).not.toContain(jwt.split('.')[2]);
  expect(output).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  expect(output).not.toMatch(/-----BEGIN CERTIFICATE-----/);
  expect(output).not.toMatch(/-cert-v01@openssh\.com AAAA/);
}

function gitlabJwt(audience: string): Promise<string> {
  const issuer = double.auth!.issuers.gitlab;
  return issuer.mint(issuer.claims({ projectPath: repo.projectPath }), { audience });
}

describe('ssh component with the real teleport-ci against the Teleport double', () => {
  it('joins with the GitLab ID token and the job runs a command on the node over real ssh', async () => {
    const marker = `gitlab-e2e-${Date.now()}`;
    const jwt = await gitlabJwt(CLUSTER);
    const r = await runSshJob(jwt, `echo $CI_JOB_ID-${marker} >> ~/run_log`);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/PASS\s+teleport-ssh/);
    expectNoSecrets(r.output, jwt);

    const { stdout } = await execP('bash', ['-c', `tail -n 1 ~${LOGIN}/run_log`]);
    const line = stdout.trim();
    expect(line).toMatch(new RegExp(`^\\d+-${marker}$`)); // CI_JOB_ID expanded by GitLab
    // after_script removed this job's credentials folder.
    const dest = /Deleted the credentials in (\S+)/.exec(r.output)?.[1];
    expect(dest?.startsWith(r.tmp)).toBe(true);
    expect(existsSync(dest!)).toBe(false);
    expect(double.auth!.joins.at(-1)).toMatchObject({
      ok: true,
      bot: 'ci-gitlab',
      joinMethod: 'gitlab',
    });
  });

  it('leaf_cluster: the same job reaches a node in a trusted leaf cluster through the root proxy', async () => {
    const marker = `gitlab-leaf-${Date.now()}`;
    const jwt = await gitlabJwt(CLUSTER);
    const r = await runSshJob(jwt, `echo ${marker} >> ~/run_log`, {
      repo,
      variables: { TELEPORT_CI_BIN: CLI },
      env: { PATH: cleanPath() },
      inputs: { leaf_cluster: LEAF },
    });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain(
      `also reaches trusted leaf clusters through ${CLUSTER}'s proxy: <node>.${LEAF}`,
    );
    expectNoSecrets(r.output, jwt);
    const { stdout } = await execP('bash', ['-c', `tail -n 1 ~${LOGIN}/run_log`]);
    expect(stdout.trim()).toBe(marker);
    expect(double.auth!.tunnels.at(-1)).toMatchObject({
      name: `node-1.${LEAF}`,
      cluster: LEAF,
      ok: true,
    });
  });

  it('port: the job reaches an OpenSSH node registered on port 22, which the proxy finds by that port', async () => {
    const auth = double.auth!;
    const node = auth.findNode(`node-1.${CLUSTER}`)!;
    auth.addNode({ ...node, registeredPort: '22' });
    try {
      const marker = `gitlab-port-${Date.now()}`;
      const jwt = await gitlabJwt(CLUSTER);
      const r = await runSshJob(jwt, `echo ${marker} >> ~/run_log`, {
        repo,
        variables: { TELEPORT_CI_BIN: CLI },
        env: { PATH: cleanPath() },
        inputs: { port: '22' },
      });
      expect(r.code, r.output).toBe(0);
      const { stdout } = await execP('bash', ['-c', `tail -n 1 ~${LOGIN}/run_log`]);
      expect(stdout.trim()).toBe(marker);
      expect(auth.tunnels.at(-1)).toMatchObject({ name: `node-1.${CLUSTER}`, ok: true });
    } finally {
      auth.addNode(node);
    }
  });

  it('a token with the wrong audience fails the job with the preflight message', async () => {
    const marker = `gitlab-e2e-wrong-aud-${Date.now()}`;
    const jwt = await gitlabJwt('https://gitlab.example.test');
    const joins = double.auth!.joins.length;
    const r = await runSshJob(jwt, `echo ${marker} >> ~/run_log`);
    expect(r.code, r.output).not.toBe(0);
    expect(r.output).toMatch(/FAIL\s+teleport-ssh/);
    expect(r.output).toContain(
      `TBOT_GITLAB_JWT has audience "https://gitlab.example.test", but the cluster at ${double.proxy.addr} is named '${CLUSTER}': set 'id_tokens: { TBOT_GITLAB_JWT: { aud: ${CLUSTER} } }'`,
    );
    expectNoSecrets(r.output, jwt);
    expect(double.auth!.joins.length).toBe(joins); // tbot never tried
    const { stdout } = await execP('bash', ['-c', `cat ~${LOGIN}/run_log 2>/dev/null || true`]);
    expect(stdout).not.toContain(marker);
  });
});

/**
 * A job image without Node.js: the job's PATH holds only sh and the basics (busybox), curl,
 * sha256sum and ssh. gitlab-ci-local starts every job with `bash`; here that name is busybox's
 * sh too, as a runner uses the image's sh when it has no bash. The component is the release's copy: its
 * find-teleport-ci.sh pins the checksum of the standalone teleport-ci the test release serves.
 */
describe('ssh component in a job image without Node.js', () => {
  let release: ServedRelease;
  let anyImage: { path: string; env: NodeJS.ProcessEnv };

  beforeAll(async () => {
    release = await serveRelease(double.ca);
    const path = await makeShellOnlyPath(join(dirname(repo.dir), 'shell-only-bin'), {
      // busybox's sh, as in the `busybox:glibc` image (gitlab-ci-local's scripts begin with
      // `set -o pipefail`, which dash lacks and busybox has).
      shell: 'busybox',
      bashIsSh: true,
      extra: ['ssh', 'stat'],
    });
    anyImage = {
      path,
      env: {
        CURL_CA_BUNDLE: double.ca.certPath,
        // The double's stand-in tbot is a node script: it finds node here, not on the PATH.
        TELEPORT_DOUBLE_NODE: process.execPath,
      },
    };
  }, 600_000);
  afterAll(async () => {
    await release?.close();
  });

  async function releaseRepo(stamp: ReleaseStamp): Promise<ComponentRepo> {
    return makeComponentRepo({ files: await stampedTemplates(stamp) });
  }

  it('downloads the standalone teleport-ci, checks it, joins, and ssh reaches the node', async () => {
    const released = await releaseRepo(release.stamp);
    try {
      const marker = `gitlab-any-image-${Date.now()}`;
      const jwt = await gitlabJwt(CLUSTER);
      const r = await runSshJob(jwt, `echo $CI_JOB_ID-${marker} >> ~/run_log`, {
        repo: released,
        variables: { PATH: anyImage.path },
        env: anyImage.env,
      });
      expect(r.code, r.output).toBe(0);
      for (const absent of ['node', 'npm', 'npx', 'teleport-ci']) {
        expect(existsSync(join(anyImage.path, absent)), absent).toBe(false);
      }
      expect(r.output).toContain(
        `teleport-ci: downloading ${release.stamp.url}/teleport-ci-linux-amd64`,
      );
      expectNoSecrets(r.output, jwt);
      const { stdout } = await execP('bash', ['-c', `tail -n 1 ~${LOGIN}/run_log`]);
      expect(stdout.trim()).toMatch(new RegExp(`^\\d+-${marker}$`));
      expect(r.output).toMatch(/Deleted the credentials in \S+/);
      // One download for the job: after_script checked the kept copy and reused it.
      const downloads = release.server.requests.filter((p) =>
        p.endsWith('/teleport-ci-linux-amd64'),
      );
      expect(downloads.length).toBe(1);
    } finally {
      await released.cleanup();
    }
  });

  it("a binary that is not the release's is refused, and nothing runs", async () => {
    const other = {
      ...release.stamp,
      sha256: { ...release.stamp.sha256, 'linux-amd64': 'ab'.repeat(32) },
    };
    const released = await releaseRepo(other);
    try {
      const marker = `gitlab-tampered-${Date.now()}`;
      const jwt = await gitlabJwt(CLUSTER);
      const joins = double.auth!.joins.length;
      const r = await runSshJob(jwt, `echo ${marker} >> ~/run_log`, {
        repo: released,
        variables: { PATH: anyImage.path },
        env: anyImage.env,
      });
      expect(r.code).not.toBe(0);
      expect(r.output).toContain(
        `has SHA-256 ${release.cli.sha256}, not the ${'ab'.repeat(32)} this release pins: nothing was run`,
      );
      expect(double.auth!.joins.length).toBe(joins);
      const { stdout } = await execP('bash', ['-c', `cat ~${LOGIN}/run_log 2>/dev/null || true`]);
      expect(stdout).not.toContain(marker);
    } finally {
      await released.cleanup();
    }
  });
});
