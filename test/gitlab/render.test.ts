/**
 * The components as a pipeline sees them: included by `component:` from a (fake) GitLab project,
 * rendered by gitlab-ci-local (the render stage), and input validation as GitLab does it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComponentRepo, makeComponentRepo } from './harness';

type Job = {
  stage?: string;
  image?: string | { name: string };
  id_tokens?: Record<string, { aud: string }>;
  before_script?: string[];
  script?: string[];
  after_script?: string[];
  variables?: Record<string, string>;
};

let repo: ComponentRepo;
beforeAll(async () => {
  repo = await makeComponentRepo();
});
afterAll(async () => {
  await repo?.cleanup();
});

const CONNECTION = {
  cluster: 'teleport.example.com',
  proxy: 'teleport.example.com:443',
  token: 'gitlab-demo',
};

/** One pipeline file per test, so HEAD (the component ref) never moves. */
let counter = 0;
async function pipeline(doc: Record<string, unknown>): Promise<string> {
  counter += 1;
  return repo.writePipeline(doc, `pipelines/p${counter}.yml`);
}

/** gitlab-ci-local normalises `image: x` to `image: { name: x }`. */
function imageOf(job: Job): string | undefined {
  return typeof job.image === 'string' ? job.image : job.image?.name;
}

function joined(lines: string[] | undefined): string {
  return (lines ?? []).join('\n');
}

describe('teleport component (hidden job templates)', () => {
  it('renders a user job that extends .teleport:ssh', async () => {
    const file = await pipeline({
      include: [
        {
          component: repo.component('teleport'),
          inputs: {
            ...CONNECTION,
            version: '17.4.2',
            roles: 'access,deploy',
            certificate_ttl: '30m',
          },
        },
      ],
      stages: ['deploy'],
      deploy: {
        stage: 'deploy',
        extends: ['.teleport:ssh'],
        script: ['ssh -F "$TELEPORT_SSH_CONFIG" root@node1.teleport.example.com hostname'],
      },
    });
    const out = await repo.preview({ file });
    const job = out.deploy as Job;
    expect(job.id_tokens).toEqual({ TBOT_GITLAB_JWT: { aud: 'teleport.example.com' } });
    expect(job.stage).toBe('deploy');
    expect(job.image).toBeUndefined();
    expect(job.script).toEqual([
      'ssh -F "$TELEPORT_SSH_CONFIG" root@node1.teleport.example.com hostname',
    ]);
    const before = joined(job.before_script);
    // The shared fragment, then the explicit path input over TELEPORT_CI_BIN.
    expect(before).toContain(
      '# >>> find-teleport-ci.sh (generated from packages/cli/sh/find-teleport-ci.sh',
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion
    expect(before).toContain('TELEPORT_CI_BIN="${TELEPORT_CI_PATH_INPUT:-${TELEPORT_CI_BIN:-}}"');
    expect(before).toContain('teleport_ci_find || exit 1');
    expect(job.variables).toMatchObject({
      TELEPORT_CI_PATH_INPUT: '',
      TELEPORT_CI_DOWNLOAD_URL: '',
      TELEPORT_CI_HOME: '$CI_PROJECT_DIR/.teleport-ci',
      TELEPORT_CI_TOOL_CACHE: '$CI_PROJECT_DIR/.teleport-ci/tools',
    });
    expect(before).toContain(
      '"$TELEPORT_CI" setup --version "17.4.2" --proxy "teleport.example.com:443" --print-env',
    );
    expect(before).toContain('teleport_command=auth-ssh; set --\n');
    expect(before).toContain(
      'TELEPORT_BOT_TOKEN="gitlab-demo" "$TELEPORT_CI" "$teleport_command" --proxy "teleport.example.com:443" --join-method "gitlab" ${teleport_roles:+',
    );
    expect(before).not.toContain('--token');
    expect(before).not.toMatch(/--out[ =]/);
    expect(before).toContain('teleport_roles="access,deploy"');
    expect(before).toContain('teleport_ttl="30m"');
    expect(joined(job.after_script)).toContain('"$TELEPORT_CI" cleanup');
    // Hidden templates are not jobs of their own.
    expect(Object.keys(out).filter((k) => k.startsWith('.'))).toEqual([]);
  });

  it('.teleport:auth and .teleport:kubernetes call their commands; .teleport:image sets the image', async () => {
    const file = await pipeline({
      include: [
        {
          component: repo.component('teleport'),
          inputs: {
            ...CONNECTION,
            kubernetes_cluster: 'prod-k8s',
            image: 'registry.example.com/ci/node:20',
            setup: false,
          },
        },
      ],
      audit: { extends: ['.teleport:auth', '.teleport:image'], script: ['tsh ls'] },
      kube: {
        extends: '.teleport:kubernetes',
        image: 'my/kubectl:1',
        script: ['kubectl get pods'],
      },
    });
    const out = await repo.preview({ file });
    const audit = out.audit as Job;
    const kube = out.kube as Job;
    expect(imageOf(audit)).toBe('registry.example.com/ci/node:20');
    expect(audit.id_tokens?.TBOT_GITLAB_JWT?.aud).toBe('teleport.example.com');
    expect(joined(audit.before_script)).toContain('teleport_command=auth; set --\n');
    expect(joined(audit.before_script)).toContain('if [ "false" = "true" ]; then');
    expect(imageOf(kube)).toBe('my/kubectl:1');
    expect(joined(kube.before_script)).toContain('teleport_kubernetes_cluster="prod-k8s"\n');
    expect(joined(kube.before_script)).toContain(
      'else set -- --kubernetes-cluster "$teleport_kubernetes_cluster"; fi',
    );
  });

  it('two includes with their own prefix and cluster: each job gets its own audience', async () => {
    const file = await pipeline({
      include: [
        { component: repo.component('teleport'), inputs: { ...CONNECTION, prefix: 'prod' } },
        {
          component: repo.component('teleport'),
          inputs: {
            cluster: 'staging.example.com',
            proxy: 'staging.example.com:3080',
            token: 'gitlab-staging',
            prefix: 'staging',
          },
        },
      ],
      a: { extends: '.prod:ssh', script: ['true'] },
      b: { extends: '.staging:ssh', script: ['true'] },
    });
    const out = await repo.preview({ file });
    expect((out.a as Job).id_tokens?.TBOT_GITLAB_JWT?.aud).toBe('teleport.example.com');
    expect((out.b as Job).id_tokens?.TBOT_GITLAB_JWT?.aud).toBe('staging.example.com');
    expect(joined((out.b as Job).before_script)).toContain('TELEPORT_BOT_TOKEN="gitlab-staging"');
  });

  it('a $VARIABLE cluster/proxy/token passes validation and is left for GitLab and the shell', async () => {
    const file = await pipeline({
      include: [
        {
          component: repo.component('teleport'),
          inputs: {
            cluster: '$TELEPORT_CLUSTER',
            // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell/GitLab variable reference
            proxy: '${TELEPORT_PROXY}',
            token: '$TELEPORT_BOT_TOKEN',
            join_method: 'token',
          },
        },
      ],
      j: { extends: '.teleport:auth', script: ['true'] },
    });
    const out = await repo.preview({ file });
    const j = out.j as Job;
    expect(j.id_tokens?.TBOT_GITLAB_JWT?.aud).toBe('$TELEPORT_CLUSTER');
    expect(joined(j.before_script)).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell/GitLab variable reference
      'TELEPORT_BOT_TOKEN="$TELEPORT_BOT_TOKEN" "$TELEPORT_CI" "$teleport_command" --proxy "${TELEPORT_PROXY}" --join-method "token"',
    );
  });
});

describe('ssh component (a job of its own)', () => {
  it('renders the job with its name, stage, image and target from the inputs', async () => {
    const file = await pipeline({
      include: [
        {
          component: repo.component('ssh'),
          inputs: {
            ...CONNECTION,
            job_name: 'restart app',
            stage: 'release',
            image: 'node:22-bookworm',
            host: 'node1',
            login: 'deploy',
            command: 'sudo systemctl restart app',
          },
        },
      ],
      stages: ['build', 'release'],
    });
    const out = await repo.preview({ file });
    expect(Object.keys(out)).toContain('restart app');
    const job = out['restart app'] as Job;
    expect(job.stage).toBe('release');
    expect(imageOf(job)).toBe('node:22-bookworm');
    expect(job.id_tokens).toEqual({ TBOT_GITLAB_JWT: { aud: 'teleport.example.com' } });
    expect(job.variables).toMatchObject({
      TELEPORT_SSH_TARGET: 'deploy@node1.teleport.example.com',
      TELEPORT_SSH_COMMAND: 'sudo systemctl restart app',
    });
    expect(joined(job.before_script)).toContain('"$TELEPORT_CI" auth-ssh --proxy');
    expect(job.variables).toMatchObject({ TELEPORT_SSH_LEAF_CLUSTER: '', TELEPORT_SSH_PORT: '' });
    // No `port`: no `-p`, so tbot's ssh_config's Port 3022 applies.
    expect(joined(job.script)).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the job's shell expands it
      'ssh -F "$TELEPORT_SSH_CONFIG" ${TELEPORT_SSH_PORT:+-p "$TELEPORT_SSH_PORT"} "$TELEPORT_SSH_TARGET" "$TELEPORT_SSH_COMMAND"',
    );
  });

  it('defaults: job teleport-ssh in stage deploy, image node:24-bookworm (Node.js 20 is past its end of life)', async () => {
    const file = await pipeline({
      include: [
        {
          component: repo.component('ssh'),
          inputs: { ...CONNECTION, host: 'node1', login: 'root', command: 'hostname' },
        },
      ],
      stages: ['deploy'],
    });
    const job = (await repo.preview({ file }))['teleport-ssh'] as Job;
    expect(job.stage).toBe('deploy');
    expect(imageOf(job)).toBe('node:24-bookworm');
  });
});

describe('input validation, as GitLab does it at pipeline creation', () => {
  async function failure(component: string, inputs: Record<string, unknown>): Promise<string> {
    const file = await pipeline({
      include: [{ component: repo.component(component), inputs }],
      stages: ['deploy'],
      j: { extends: '.teleport:ssh', script: ['true'] },
    });
    const r = await repo.run(['--preview'], { file });
    expect(r.code, r.output).not.toBe(0);
    return r.output;
  }

  it('a value outside options', async () => {
    const out = await failure('teleport', { ...CONNECTION, join_method: 'github' });
    expect(out).toContain('`join_method` input: `github` cannot be used');
    expect(out).toContain('not in the list of allowed options');
  });

  it('a proxy with a scheme fails the regex, naming the input', async () => {
    const out = await failure('teleport', { ...CONNECTION, proxy: 'https://teleport.example.com' });
    expect(out).toContain('`proxy` input: `https://teleport.example.com` does not match');
  });

  it('a cluster given as the proxy address (with a port) fails the regex', async () => {
    const out = await failure('teleport', { ...CONNECTION, cluster: 'teleport.example.com:443' });
    expect(out).toContain('`cluster` input: `teleport.example.com:443` does not match');
  });

  it('a version that is not auto or a full semver', async () => {
    const out = await failure('teleport', { ...CONNECTION, version: '17' });
    expect(out).toContain('`version` input: `17` does not match');
  });

  it('a boolean input given a string', async () => {
    const out = await failure('teleport', { ...CONNECTION, setup: 'no' });
    expect(out).toContain('`setup` input: provided value is not a boolean');
  });

  it.each(['cluster', 'proxy', 'token'])('a missing required input: %s', async (name) => {
    const inputs: Record<string, string> = { ...CONNECTION };
    delete inputs[name];
    const out = await failure('teleport', inputs);
    expect(out).toContain(`\`${name}\` input: required value has not been provided`);
  });

  it.each(['host', 'login', 'command'])('ssh: a missing required input: %s', async (name) => {
    const inputs: Record<string, string> = {
      ...CONNECTION,
      host: 'node1',
      login: 'root',
      command: 'hostname',
    };
    delete inputs[name];
    const file = await pipeline({
      include: [{ component: repo.component('ssh'), inputs }],
      stages: ['deploy'],
    });
    const r = await repo.run(['--preview'], { file });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain(`\`${name}\` input: required value has not been provided`);
  });

  it.each(['0', '65536', '22 -o ProxyCommand=x', '$PORT'])(
    'ssh: a port outside 1 to 65535 (or not a number) fails the regex: %s',
    async (port) => {
      const file = await pipeline({
        include: [
          {
            component: repo.component('ssh'),
            inputs: { ...CONNECTION, host: 'node1', login: 'root', command: 'hostname', port },
          },
        ],
        stages: ['deploy'],
      });
      const r = await repo.run(['--preview'], { file });
      expect(r.code).not.toBe(0);
      expect(r.output).toContain(`\`port\` input: \`${port}\` does not match`);
    },
  );

  it('a component that does not exist names the files it looked for', async () => {
    const out = await failure('nope', CONNECTION);
    expect(out).toContain('templates/nope.yml');
  });
});
