import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction, runWorkflow } from './index';
import { fixture, step, tempJobs } from './test-helpers';

const jobOpts = tempJobs();

describe('local JavaScript actions', () => {
  it('runs each with the Node.js its runs.using names, as GitHub does', async () => {
    const node20 = await runAction(fixture('runtimes/node20'), {}, await jobOpts());
    expect(node20.steps[0]!.outputs.node).toBe(process.version);
    const node24 = await runAction(fixture('runtimes/node24'), {}, await jobOpts());
    expect(node24.steps[0]!.outputs.node).toMatch(/^v24\./);
  });

  it('passes with: values and action.yml defaults as INPUT_*', async () => {
    const opts = await jobOpts({ secrets: { GITHUB_TOKEN: 'ghs_faketoken123' } });
    const job = await runAction(fixture('inputs'), { who: 'Mona', 'dash-name': 'given' }, opts);
    expect(job.status).toBe('success');
    const s = job.steps[0]!;
    expect(JSON.parse(s.outputs.inputs!)).toEqual({
      'INPUT_DASH-NAME': 'given',
      INPUT_GREETING: 'Hello',
      INPUT_OLD: '',
      INPUT_TOKEN: 'ghs_faketoken123',
      INPUT_TWO_WORDS: 'spaced',
      INPUT_WHO: 'Mona',
    });
    expect(s.outputs.greeting).toBe('Hello, Mona!');
    expect(s.outputs.multiline).toBe('line one\nline two');
    expect(s.log).toContain('Hello, Mona!');
    // The header the runner prints, with the token masked.
    expect(s.log).toMatch(/^▼ Run \.\/test\/runner\/fixtures\/inputs\n {2}with:\n/);
    expect(s.log).toContain('    token: ***\n');
    expect(s.annotations).toEqual([]);
  });

  it('warns about unexpected and deprecated inputs but does not validate required ones', async () => {
    const job = await runAction(fixture('inputs'), { bogus: '1', old: 'x' }, await jobOpts());
    expect(job.status).toBe('success');
    expect(job.steps[0]!.annotations.map((a) => a.message)).toEqual([
      "Input 'old' has been deprecated with message: Use 'who' instead",
      "Unexpected input(s) 'bogus', valid inputs are ['who', 'greeting', 'token', 'dash-name', 'two words', 'old']",
    ]);
    expect(job.log).toContain("Warning: Unexpected input(s) 'bogus'");
  });

  it('makes outputs available to later steps and sets the runner variables', async () => {
    const job = await runWorkflow(
      `
name: outputs
on: push
env:
  JOB_VAR: from-workflow
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      JOB_VAR: from-job
    steps:
      - id: greet
        uses: ${fixture('inputs')}
        env:
          STEP_VAR: \${{ format('{0}-step', env.JOB_VAR) }}
        with:
          who: \${{ github.actor }}
      - run: echo "got \${{ steps.greet.outputs.greeting }} / \${{ steps.greet.outcome }}"
`,
      await jobOpts({ env: { GITHUB_ACTOR: 'hubot' } }),
    );
    expect(job.status).toBe('success');
    expect(job.steps[1]!.log).toContain('got Hello, hubot! / success');
    const env = JSON.parse(step(job, 'greet').outputs.env!);
    expect(env).toMatchObject({
      GITHUB_ACTION: 'greet',
      STEP_VAR: 'from-job-step',
      JOB_VAR: 'from-job',
      GITHUB_WORKSPACE: env.cwd,
    });
    expect(env.GITHUB_ACTION_PATH).toMatch(/test\/runner\/fixtures\/inputs$/);
  });

  it('runs post steps after all main steps, in reverse order, with their own state', async () => {
    const job = await runWorkflow(
      `
on: push
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - uses: ${fixture('stateful')}
        name: First
        with: { label: one }
      - uses: ${fixture('stateful')}
        name: Second
        with: { label: two }
      - run: echo "label=$STATEFUL_LABEL"; echo "path=$PATH"
`,
      await jobOpts(),
    );
    expect(job.status).toBe('success');
    expect(job.steps.map((s) => `${s.phase}:${s.name}`)).toEqual([
      'main:First',
      'main:Second',
      'main:Run echo "label=$STATEFUL_LABEL"; echo "path=$PATH"',
      'post:Post Second',
      'post:Post First',
    ]);
    expect(job.steps[3]!.log).toContain('post two state="a\\nb"');
    expect(job.steps[4]!.log).toContain('post one state="a\\nb"');
    expect(job.steps[4]!.log).toMatch(/^Post job cleanup\.\n/);
    expect(job.steps[2]!.log).toContain('label=two');
    expect(job.steps[2]!.log).toMatch(/path=\/opt\/stateful\/two\/bin:\/opt\/stateful\/one\/bin:/);
    expect(job.path).toEqual(['/opt/stateful/two/bin', '/opt/stateful/one/bin']);
    expect(job.env).toEqual({ STATEFUL_LABEL: 'two' });
    expect(job.summary).toBe('<h3>Main one</h3>\n<h3>Main two</h3>\nPost two\nPost one\n');
  });

  it('skips later steps after a failure, runs if: always() ones and the post steps', async () => {
    const job = await runWorkflow(
      `
on: push
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - uses: ${fixture('stateful')}
      - id: boom
        uses: ${fixture('failing')}
      - id: skipped
        run: echo should not run
      - id: cleanup
        if: always()
        run: echo "cleanup after \${{ steps.boom.outcome }} job=\${{ job.status }}"
      - id: on-failure
        if: failure()
        run: echo on failure
`,
      await jobOpts(),
    );
    expect(job.status).toBe('failure');
    expect(step(job, 'boom')).toMatchObject({ status: 'failure', exitCode: 1 });
    expect(step(job, 'boom').annotations).toEqual([
      { level: 'error', message: 'Something went wrong' },
    ]);
    expect(step(job, 'boom').log).toContain('Error: Something went wrong');
    expect(step(job, 'skipped')).toMatchObject({ status: 'skipped', log: '', exitCode: null });
    expect(step(job, 'cleanup').log).toContain('cleanup after failure job=failure');
    expect(step(job, 'on-failure').status).toBe('success');
    const posts = job.steps.filter((s) => s.phase === 'post');
    expect(posts.map((s) => s.name)).toEqual([
      'Post Run ./test/runner/fixtures/failing',
      'Post Run ./test/runner/fixtures/stateful',
    ]);
    expect(posts.every((s) => s.status === 'success')).toBe(true);
    expect(posts[0]!.log).toContain('failing post ran');
  });

  it('keeps the job green with continue-on-error while outcome records the failure', async () => {
    const job = await runWorkflow(
      `
on: push
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - id: soft
        uses: ${fixture('failing')}
        continue-on-error: true
      - run: echo "outcome=\${{ steps.soft.outcome }} conclusion=\${{ steps.soft.conclusion }}"
`,
      await jobOpts(),
    );
    expect(job.status).toBe('success');
    expect(step(job, 'soft')).toMatchObject({ status: 'success', outcome: 'failure' });
    expect(job.steps[1]!.log).toContain('outcome=failure conclusion=success');
  });

  it('refuses unmapped remote, Docker and missing actions with a clear error', async () => {
    const wf = (uses: string) => `
on: push
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - uses: ${uses}
`;
    const remote = await runWorkflow(wf('actions/checkout@v4'), await jobOpts());
    expect(remote.status).toBe('failure');
    expect(remote.steps[0]!.annotations[0]!.message).toMatch(
      /no copy of 'actions\/checkout@v4'.*RunnerOptions\.remoteActions/,
    );
    const docker = await runWorkflow(wf('docker://alpine:3'), await jobOpts());
    expect(docker.steps[0]!.annotations[0]!.message).toMatch(/Docker image actions/);
    const missing = await runWorkflow(wf('./nope'), await jobOpts());
    expect(missing.steps[0]!.annotations[0]!.message).toMatch(/Can't find 'action.yml'/);
  });
});

describe('OIDC token request', () => {
  let server: Server;
  let url: string;
  const seen: Array<{ url: string; auth: string | undefined }> = [];
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm9jdG8ifQ.c2lnbmF0dXJl';

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ value: jwt }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token?api-version=2.0`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const workflow = (permissions: string) => `
on: push
${permissions}
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - id: oidc
        uses: ${fixture('oidc')}
      - run: echo "url=\${ACTIONS_ID_TOKEN_REQUEST_URL:-none}"
`;

  it('gives the request URL and token only with id-token: write', async () => {
    const idToken = { url, token: 'request-token-xyz' };
    const granted = await runWorkflow(
      workflow('permissions:\n  id-token: write\n  contents: read'),
      await jobOpts({ idToken }),
    );
    expect(granted.status).toBe('success');
    expect(step(granted, 'oidc').outputs).toMatchObject({
      'has-url': 'true',
      length: String(jwt.length),
    });
    expect(seen.at(-1)).toEqual({
      url: '/token?api-version=2.0&audience=teleport.example.com',
      auth: 'Bearer request-token-xyz',
    });
    // core.getIDToken masks the JWT; the raw log still has it.
    expect(step(granted, 'oidc').log).toContain('got token ***');
    expect(step(granted, 'oidc').rawLog).toContain(`got token ${jwt}`);

    const none = await runWorkflow(workflow(''), await jobOpts({ idToken }));
    expect(step(none, 'oidc').outputs).toMatchObject({ 'has-url': 'false', 'has-token': 'false' });
    expect(none.steps[1]!.log).toContain('url=none');

    const readAll = await runWorkflow(
      workflow('permissions: read-all'),
      await jobOpts({ idToken }),
    );
    expect(step(readAll, 'oidc').outputs['has-url']).toBe('false');

    const jobLevel = await runWorkflow(
      workflow('permissions: write-all').replace(
        'runs-on: ubuntu-latest',
        'runs-on: ubuntu-latest\n    permissions:\n      contents: read',
      ),
      await jobOpts({ idToken }),
    );
    expect(step(jobLevel, 'oidc').outputs['has-url']).toBe('false');
  });

  it('runAction grants id-token: write when given an idToken', async () => {
    const job = await runAction(
      fixture('oidc'),
      {},
      await jobOpts({ idToken: { url, token: 't' } }),
    );
    expect(job.steps[0]!.outputs['has-url']).toBe('true');
    const denied = await runAction(
      fixture('oidc'),
      {},
      { ...(await jobOpts({ idToken: { url, token: 't' } })), permissions: { contents: 'read' } },
    );
    expect(denied.steps[0]!.outputs['has-url']).toBe('false');
  });
});
