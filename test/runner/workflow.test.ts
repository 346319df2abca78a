import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWorkflow } from './index';
import { outputOf, step, tempJobs } from './test-helpers';

const jobOpts = tempJobs();

/** A one-job workflow from step YAML (indented 6 spaces). */
const wf = (steps: string, extra = '') => `
name: test
on: push
${extra}
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
${steps}`;

describe('run steps and the job environment', () => {
  it('carries GITHUB_ENV (incl. heredocs) and GITHUB_PATH to later steps', async () => {
    const job = await runWorkflow(
      wf(`
      - run: |
          echo "PLAIN=one" >> "$GITHUB_ENV"
          { echo 'MULTI<<EOF'; echo 'line a'; echo 'line b'; echo 'EOF'; } >> "$GITHUB_ENV"
          mkdir -p "$RUNNER_TEMP/bin1" "$RUNNER_TEMP/bin2"
          printf '#!/bin/sh\\necho tool one\\n' > "$RUNNER_TEMP/bin1/tool"
          printf '#!/bin/sh\\necho tool two\\n' > "$RUNNER_TEMP/bin2/tool"
          chmod +x "$RUNNER_TEMP/bin1/tool" "$RUNNER_TEMP/bin2/tool"
          echo "$RUNNER_TEMP/bin1" >> "$GITHUB_PATH"
      - run: echo "$RUNNER_TEMP/bin2" >> "$GITHUB_PATH"
      - run: |
          echo "plain=$PLAIN"
          echo "multi=$MULTI"
          echo "expr=\${{ env.PLAIN }}"
          tool
`),
      await jobOpts(),
    );
    expect(job.status).toBe('success');
    const log = job.steps[2]!.log;
    expect(log).toContain('plain=one\nmulti=line a\nline b\nexpr=one\ntool two\n');
    expect(job.env).toEqual({ PLAIN: 'one', MULTI: 'line a\nline b' });
    expect(job.path).toEqual([join(job.workDir, 'temp/bin2'), join(job.workDir, 'temp/bin1')]);
  });

  it('layers env: workflow < job < GITHUB_ENV < step, and runner variables win', async () => {
    const job = await runWorkflow(
      `
on: push
env: { A: wf, B: wf, C: wf, D: wf }
jobs:
  j:
    runs-on: ubuntu-latest
    env: { B: job, C: job, D: job }
    steps:
      - run: echo "C=file" >> "$GITHUB_ENV"; echo "D=file" >> "$GITHUB_ENV"
      - env: { D: step, GITHUB_REPOSITORY: mine/mine }
        run: echo "$A $B $C $D $GITHUB_REPOSITORY"
`,
      await jobOpts(),
    );
    expect(job.steps[1]!.log).toContain('\nwf job file step octo-org/octo-repo\n');
  });

  it('gives a clean machine env with the runner variables, overridable through opts.env', async () => {
    process.env.RUNNER_TEST_HOST_ONLY = 'leak';
    try {
      const opts = await jobOpts({
        env: { GITHUB_REPOSITORY: 'acme/infra', GITHUB_REF: 'refs/tags/v1.2.3', EXTRA: 'x' },
        runnerArch: 'ARM64',
      });
      const job = await runWorkflow(
        wf(`
      - run: env | sort
      - run: echo "\${{ github.repository_owner }} \${{ github.ref_name }} \${{ runner.arch }}"
`),
        opts,
      );
      const env = Object.fromEntries(
        job.steps[0]!.log.split('\n')
          .filter((l) => /^[A-Z_]+=/.test(l))
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      expect(env.RUNNER_TEST_HOST_ONLY).toBeUndefined();
      expect(env).toMatchObject({
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_ACTION: '__run',
        GITHUB_REPOSITORY: 'acme/infra',
        GITHUB_REPOSITORY_OWNER: 'acme',
        GITHUB_REF: 'refs/tags/v1.2.3',
        GITHUB_REF_NAME: 'v1.2.3',
        GITHUB_REF_TYPE: 'tag',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_WORKFLOW: 'test',
        GITHUB_JOB: 'j',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_API_URL: 'https://api.github.com',
        GITHUB_WORKSPACE: join(job.workDir, 'workspace'),
        RUNNER_OS: 'Linux',
        RUNNER_ARCH: 'ARM64',
        RUNNER_TEMP: join(job.workDir, 'temp'),
        RUNNER_TOOL_CACHE: join(job.workDir, 'toolcache'),
        EXTRA: 'x',
      });
      for (const name of [
        'GITHUB_RUN_ID',
        'GITHUB_RUN_NUMBER',
        'GITHUB_RUN_ATTEMPT',
        'GITHUB_SHA',
        'GITHUB_ACTOR',
        'RUNNER_NAME',
      ]) {
        expect(env[name], name).toBeTruthy();
      }
      expect(env.ACTIONS_ID_TOKEN_REQUEST_URL).toBeUndefined();
      expect(job.steps[1]!.log).toContain('\nacme v1.2.3 ARM64\n');
    } finally {
      delete process.env.RUNNER_TEST_HOST_ONLY;
    }
  });

  it('uses bash -e by default, pipefail with shell: bash, and honours sh, node and defaults', async () => {
    const job = await runWorkflow(
      `
on: push
defaults:
  run:
    working-directory: sub
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - id: default
        working-directory: .
        run: false | true; echo "default ok in $PWD"
      - id: bash
        continue-on-error: true
        shell: bash
        run: false | true; echo "not reached"
      - id: sh
        shell: sh
        run: echo "sh in $(basename "$PWD")"
      - id: node
        shell: node {0}
        run: console.log('node says', 6 * 7)
`,
      await (async () => {
        const opts = await jobOpts();
        await mkdir(join(opts.workDir!, 'workspace', 'sub'), { recursive: true });
        return opts;
      })(),
    );
    expect(step(job, 'default').log).toContain('shell: ');
    expect(step(job, 'default').log).toMatch(/shell: \S*bash -e \{0\}/);
    expect(step(job, 'default').log).toMatch(/default ok in .*\/workspace\n/);
    expect(step(job, 'bash')).toMatchObject({ outcome: 'failure', exitCode: 1 });
    expect(step(job, 'bash').log).toMatch(/shell: \S*bash --noprofile --norc -e -o pipefail \{0\}/);
    expect(outputOf(step(job, 'bash'))).not.toContain('not reached');
    expect(step(job, 'sh').log).toContain('sh in sub');
    expect(step(job, 'node').log).toContain('node says 42');
    expect(job.status).toBe('success');
  });

  it('evaluates expressions in if, name, with, env and run', async () => {
    const job = await runWorkflow(
      wf(`
      - id: data
        run: |
          echo 'json={"tags":["a","b"],"n":3}' >> "$GITHUB_OUTPUT"
          echo 'word=teleport' >> "$GITHUB_OUTPUT"
      - id: yes
        name: \${{ format('Check {0} of {1}', steps.data.outputs.word, github.repository) }}
        if: contains(fromJSON(steps.data.outputs.json).tags, 'b') && fromJSON(steps.data.outputs.json).n == 3
        env:
          JOINED: \${{ join(fromJSON(steps.data.outputs.json).tags, '+') }}
        run: echo "joined=$JOINED starts=\${{ startsWith(steps.data.outputs.word, 'tele') }} vars=\${{ vars.COLOR }}"
      - id: no
        if: \${{ steps.data.outputs.word != 'teleport' }}
        run: echo never
      - id: bare-false
        if: github.event_name == 'pull_request'
        run: echo never
      - id: json
        run: echo '\${{ toJSON(steps.data.outputs) }}' | tr -d ' \\n'; echo
`),
      await jobOpts({ vars: { COLOR: 'blue' } }),
    );
    expect(job.status).toBe('success');
    expect(step(job, 'yes').name).toBe('Check teleport of octo-org/octo-repo');
    expect(step(job, 'yes').log).toContain('joined=a+b starts=true vars=blue');
    expect(step(job, 'no').status).toBe('skipped');
    expect(step(job, 'bare-false').status).toBe('skipped');
    expect(step(job, 'json').log).toContain(
      '{"json":"{\\"tags\\":[\\"a\\",\\"b\\"],\\"n\\":3}","word":"teleport"}',
    );
  });

  it('fails a step whose expression does not parse', async () => {
    const job = await runWorkflow(wf(`      - run: echo \${{ nope.x }}`), await jobOpts());
    expect(job.status).toBe('failure');
    expect(job.steps[0]!.annotations[0]!.message).toMatch(/Unrecognized named-value: 'nope'/);
  });

  it('kills a step that runs past its timeout, and the job goes on with always() steps', async () => {
    const started = Date.now();
    const job = await runWorkflow(
      wf(`
      - id: hang
        run: |
          echo started
          sleep 30
          echo finished
      - id: after
        if: always()
        run: echo after
      - id: short
        timeout-minutes: 0.005
        if: always()
        run: sleep 30
`),
      await jobOpts({ stepTimeoutMs: 500 }),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(step(job, 'hang')).toMatchObject({ status: 'failure', timedOut: true, exitCode: null });
    expect(step(job, 'hang').log).toContain('started');
    expect(outputOf(step(job, 'hang'))).not.toContain('finished');
    expect(step(job, 'hang').annotations.at(-1)!.message).toMatch(/has timed out after .* minutes/);
    expect(step(job, 'after').log).toContain('after');
    expect(step(job, 'short').timedOut).toBe(true);
    expect(job.status).toBe('failure');
  });

  it('runs a workflow from a file path and picks a job by id', async () => {
    const opts = await jobOpts();
    const file = join(opts.workDir!, 'two-jobs.yml');
    await writeFile(
      file,
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo job a\n  b:\n    runs-on: x\n    if: false\n    steps:\n      - run: echo job b\n',
    );
    await expect(runWorkflow(file, opts)).rejects.toThrow(/2 jobs/);
    expect((await runWorkflow(file, opts, 'a')).steps[0]!.log).toContain('job a');
    const b = await runWorkflow(file, opts, 'b');
    expect(b).toMatchObject({ status: 'success', steps: [] });
  });

  it('writes step summaries and refuses NODE_OPTIONS in GITHUB_ENV', async () => {
    const job = await runWorkflow(
      wf(`
      - run: |
          echo '## Hello' >> "$GITHUB_STEP_SUMMARY"
          echo 'NODE_OPTIONS=--require=/evil.js' >> "$GITHUB_ENV"
      - run: echo "opts=\${NODE_OPTIONS:-unset}"
`),
      await jobOpts(),
    );
    expect(job.summary).toBe('## Hello\n');
    expect(job.steps[0]!.annotations[0]!.message).toMatch(/Can't store NODE_OPTIONS/);
    expect(job.steps[1]!.log).toContain('opts=unset');
  });
});

describe('what the user sees in the log', () => {
  it('masks add-mask values and secrets (line by line) in log but not rawLog', async () => {
    const job = await runWorkflow(
      wf(`
      - env:
          KEY: \${{ secrets.PRIVATE_KEY }}
        run: |
          echo "key: $KEY"
          value="dynamic-$RANDOM-value"
          echo "::add-mask::$value"
          echo "now $value"
          echo "$value" | base64
      - run: echo "token \${{ github.token }} \${{ secrets.PLAIN }}"
`),
      await jobOpts({
        secrets: {
          PRIVATE_KEY: '-----BEGIN KEY-----\nAAAAsecretbody\n-----END KEY-----',
          PLAIN: 'plain-secret-1',
        },
      }),
    );
    const [first, second] = job.steps;
    expect(first!.log).toContain('key: ***\n***\n***\n');
    expect(first!.log).toContain('  env:\n    KEY: ***');
    expect(first!.log).toMatch(/now \*\*\*\n/);
    expect(first!.log).not.toMatch(/dynamic-\d+-value/);
    expect(first!.rawLog).toContain('AAAAsecretbody');
    expect(first!.rawLog).toMatch(/now dynamic-\d+-value/);
    expect(outputOf(first!)).not.toContain('::add-mask::');
    expect(second!.log).toContain('token *** ***\n');
    expect(job.log).not.toContain('plain-secret-1');
    expect(job.rawLog).toContain('plain-secret-1');
  });

  it('renders groups and annotations, and shows debug lines only in debug mode', async () => {
    const steps = `
      - run: |
          echo "::group::My group"
          echo inside
          echo "::endgroup::"
          echo outside
          echo "::debug::hidden detail"
          echo "::warning file=a.ts,line=2,title=T::look%0Ahere"
          echo "::error::bad thing"
          echo "::notice::fyi"
          echo "::stop-commands::pause123"
          echo "::error::not a command"
          echo "::pause123::"
          echo "::set-output name=old::value"
`;
    const quiet = await runWorkflow(wf(steps), await jobOpts());
    const log = outputOf(quiet.steps[0]!);
    expect(log).toContain('▼ My group\n  inside\noutside\n');
    expect(log).not.toContain('hidden detail');
    expect(log).toContain('Warning: look\nhere\nError: bad thing\nNotice: fyi\n');
    expect(log).toContain('::error::not a command\n');
    expect(quiet.steps[0]!.outputs.old).toBe('value');
    expect(quiet.steps[0]!.annotations.map((a) => [a.level, a.message])).toEqual([
      ['warning', 'look\nhere'],
      ['error', 'bad thing'],
      ['notice', 'fyi'],
      ['warning', expect.stringMatching(/`set-output` command is deprecated/)],
    ]);
    expect(quiet.steps[0]!.annotations[0]!.properties).toEqual({
      file: 'a.ts',
      line: '2',
      title: 'T',
    });
    // An ::error:: alone does not fail a step.
    expect(quiet.status).toBe('success');

    const loud = await runWorkflow(wf(steps), await jobOpts({ debug: true }));
    expect(loud.steps[0]!.log).toContain('##[debug]hidden detail');
    const viaEnv = await runWorkflow(
      wf('      - run: echo "::debug::d $RUNNER_DEBUG"'),
      await jobOpts({ env: { ACTIONS_STEP_DEBUG: 'true' } }),
    );
    expect(viaEnv.steps[0]!.log).toContain('##[debug]d 1');
  });

  it('fails a step that uses the disabled set-env command', async () => {
    const job = await runWorkflow(wf('      - run: echo "::set-env name=X::y"'), await jobOpts());
    expect(job.status).toBe('failure');
    expect(job.steps[0]!.annotations.map((a) => a.message)).toEqual([
      "Unable to process command '::set-env name=X::y' successfully.",
      expect.stringMatching(/The `set-env` command is disabled/),
    ]);
  });
});
