// The CircleCI interpreter itself, on small configs: argument checks with CircleCI's errors,
// parameter expansion, conditions, and running steps with CircleCI's environment and $BASH_ENV.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeShellOnlyPath } from '../wrappers/shell-only';
import {
  CircleConfigError,
  type ConfigDef,
  configNamespace,
  type JobPlan,
  type OrbDef,
  type PlannedBuiltin,
  type PlannedRun,
  pipelineValues,
  planConfig,
  planJob,
  runConfigJob,
  runJob,
} from './interpreter';

const orb = parse(`
version: 2.1
commands:
  greet:
    parameters:
      who: {type: string}
      loud: {type: boolean, default: false}
      times: {type: integer, default: 1}
      tone: {type: enum, enum: [warm, cold], default: warm}
      var: {type: env_var_name, default: GREETING}
    steps:
      - run:
          name: Greet << parameters.who >>
          environment:
            WHO: << parameters.who >>
            LOUD: << parameters.loud >>
          command: echo "hi $WHO x<< parameters.times >> << parameters.tone >> \\<< kept"
      - when:
          condition: << parameters.loud >>
          steps:
            - run: {name: Shout, command: echo LOUD}
      - unless:
          condition: << parameters.loud >>
          steps:
            - run: {name: Whisper, command: echo quiet}
  broken:
    steps:
      - run: {name: Bad, command: echo << parameters.nope >>}
executors:
  box:
    parameters:
      tag: {type: string, default: "1.0"}
    docker:
      - image: cimg/base:<< parameters.tag >>
    environment:
      FROM_EXECUTOR: "yes"
jobs:
  wrap:
    executor:
      name: box
      tag: << parameters.tag >>
    parameters:
      tag: {type: string, default: "2.0"}
      steps: {type: steps, default: []}
      who: {type: string, default: world}
    steps:
      - greet: {who: << parameters.who >>}
      - steps: << parameters.steps >>
`) as OrbDef;

const registry = { 'example/greeter': orb };

function config(text: string): ConfigDef {
  return parse(`version: 2.1\norbs:\n  g: example/greeter@1\n${text}`) as ConfigDef;
}

function compileError(text: string): string {
  try {
    planConfig(config(text), registry);
  } catch (err) {
    if (err instanceof CircleConfigError) return err.message;
    throw err;
  }
  return 'no error';
}

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((d) => rm(d, { recursive: true, force: true })));
});

const runs = (steps: { kind: string }[]) => steps.filter((s): s is PlannedRun => s.kind === 'run');

describe('argument checks', () => {
  const job = (args: string) =>
    `jobs:\n  j:\n    docker: [{image: x}]\n    steps:\n      - g/greet: ${args}\nworkflows:\n  w:\n    jobs: [j]\n`;

  it('refuses unexpected arguments', () => {
    expect(compileError(job('{who: a, colour: red}'))).toBe(
      "Error calling workflow: 'w'\nError calling job: 'j'\nError calling command: 'g/greet'\nUnexpected argument(s): colour",
    );
  });
  it('refuses missing required arguments', () => {
    expect(compileError(job('{loud: true}'))).toMatch(/Missing required argument\(s\): who$/);
  });
  it('refuses values of the wrong type', () => {
    expect(compileError(job('{who: a, loud: "yes"}'))).toMatch(
      /Type error for argument loud: expected type: boolean, actual value: "yes" \(type string\)/,
    );
    expect(compileError(job('{who: 3}'))).toMatch(/argument who: expected type: string.*integer/);
    expect(compileError(job('{who: a, times: 1.5}'))).toMatch(
      /argument times: expected type: integer/,
    );
    expect(compileError(job('{who: a, var: "not a name"}'))).toMatch(/argument var/);
  });
  it('refuses a value outside the enum', () => {
    expect(compileError(job('{who: a, tone: hot}'))).toMatch(
      /Type error for argument tone: expected type: enum \("warm" "cold"\), actual value: "hot"/,
    );
  });
  it('refuses references to undeclared parameters and unknown names', () => {
    expect(compileError(job('{}').replace('g/greet: {}', 'g/broken'))).toMatch(
      /Error calling command: 'g\/broken'\nArguments referenced without declared parameters: nope/,
    );
    expect(compileError(job('{who: a}').replace('g/greet', 'g/gret'))).toMatch(
      /Cannot find a definition for command named g\/gret/,
    );
    expect(compileError('workflows:\n  w:\n    jobs: [g/nope]\n')).toMatch(
      /Cannot find a definition for job named g\/nope/,
    );
  });
  it('checks job and executor arguments from a workflow entry', () => {
    expect(
      compileError('workflows:\n  w:\n    jobs:\n      - g/wrap: {tag: 3, context: c}\n'),
    ).toMatch(/Error calling job: 'g\/wrap'\nType error for argument tag/);
    expect(compileError('workflows:\n  w:\n    jobs:\n      - g/wrap: {steps: "echo"}\n')).toMatch(
      /Expected a list of steps/,
    );
  });
});

describe('expansion and conditions', () => {
  const ns = configNamespace(config(''), registry);

  it('applies defaults, keeps types of whole references, unescapes \\<<', () => {
    const plan = planJob(ns, { job: 'g/wrap', args: {} });
    const [greet, ...rest] = runs(plan.steps);
    expect(greet?.name).toBe('Greet world');
    expect(greet?.command).toBe('echo "hi $WHO x1 warm << kept"');
    expect(greet?.environment).toEqual({ WHO: 'world', LOUD: 'false' });
    expect(rest.map((s) => s.name)).toEqual(['Whisper']);
    expect(plan.image).toBe('cimg/base:2.0');
    expect(plan.environment).toEqual({ FROM_EXECUTOR: 'yes' });
  });

  it('passes steps parameters resolved in the caller, and pre/post-steps', () => {
    const plan = planJob(
      ns,
      {
        job: 'g/wrap',
        args: { who: 'you', steps: [{ 'g/greet': { who: 'inner', loud: true } }] },
        preSteps: [{ run: { name: 'Pre', command: 'true' } }],
        postSteps: ['checkout'],
      },
      pipelineValues(),
    );
    expect(plan.steps.map((s) => s.name)).toEqual([
      'Pre',
      'Greet you',
      'Whisper',
      'Greet inner',
      'Shout',
      'checkout',
    ]);
    expect(plan.steps.map((s) => s.origin)).toEqual([
      'pre-steps',
      'g/greet',
      'g/greet',
      'g/greet',
      'g/greet',
      'post-steps',
    ]);
  });

  it('expands pipeline values and evaluates logic statements', () => {
    const cfg = config(`
parameters:
  deploy: {type: boolean, default: true}
jobs:
  j:
    docker: [{image: x}]
    steps:
      - run: {name: On << pipeline.git.branch >> at << pipeline.number >>, command: "true"}
      - when:
          condition:
            and:
              - << pipeline.parameters.deploy >>
              - equal: [main, << pipeline.git.branch >>]
              - matches: {pattern: "^ma.*$", value: << pipeline.git.branch >>}
              - not: {equal: [a, b]}
          steps: [{run: {name: Deploy, command: "true"}}]
      - when:
          condition: {or: [false, ""]}
          steps: [{run: {name: Never, command: "true"}}]
workflows:
  w:
    jobs: [j]
`);
    const pipeline = pipelineValues({ number: 7, parameters: { deploy: true } });
    const [plan] = planConfig(cfg, registry, pipeline);
    expect(plan?.steps.map((s) => s.name)).toEqual(['On main at 7', 'Deploy']);
    expect(() =>
      planConfig(
        config(
          'jobs:\n  j:\n    docker: [{image: x}]\n    steps: [{run: "<< pipeline.nope >>"}]\nworkflows: {w: {jobs: [j]}}\n',
        ),
        registry,
      ),
    ).toThrow(/Unknown variable\(s\): pipeline\.nope/);
  });
});

describe('running steps', () => {
  const cfg = config(`
jobs:
  j:
    docker: [{image: x}]
    environment: {JOB_VAR: job}
    steps:
      - run:
          name: Environment
          environment: {STEP_VAR: step}
          command: |
            echo "circleci=$CIRCLECI ci=$CI job=$CIRCLE_JOB build=$CIRCLE_BUILD_NUM"
            echo "vars=$JOB_VAR,$STEP_VAR,$FROM_CONTEXT token=\${CIRCLE_OIDC_TOKEN:-none}"
            echo "pwd=$PWD wd=$CIRCLE_WORKING_DIRECTORY"
            echo 'export FROM_STEP_ONE="a b $HOME"' >> "$BASH_ENV"
      - run:
          name: Later step sees $BASH_ENV
          command: echo "got=$FROM_STEP_ONE"
      - run:
          name: Subst
          environment: {VALUE: "$FROM_CONTEXT/x $(echo no)"}
          command: echo "subst=$(printf '%s' "$VALUE" | circleci env subst)"
      - run: {name: Fails, command: "echo boom >&2; exit 3"}
      - run: {name: Skipped, command: echo never}
      - run: {name: Always, when: always, command: echo always}
      - run: {name: On fail, when: on_fail, command: echo failed}
workflows:
  w:
    jobs:
      - j: {context: [ctx]}
`);

  it('runs each step in bash with CircleCI variables, contexts and $BASH_ENV', async () => {
    const result = await runConfigJob(cfg, orb, {
      registry,
      contexts: { ctx: { FROM_CONTEXT: 'ctxval' } },
      oidc: { token: 'header.payload.signature' },
    });
    roots.push(result.root);
    const by = Object.fromEntries(result.steps.map((s) => [s.name, s]));
    expect(by.Environment?.stdout).toContain('circleci=true ci=true job=j build=1');
    expect(by.Environment?.stdout).toContain('vars=job,step,ctxval token=header.payload.signature');
    expect(by.Environment?.stdout).toContain(
      `pwd=${result.workingDirectory} wd=${result.workingDirectory}`,
    );
    expect(result.workingDirectory).toBe(`${result.home}/project`);
    expect(by['Later step sees $BASH_ENV']?.stdout).toBe(`got=a b ${result.home}\n`);
    expect(by.Subst?.stdout).toBe('subst=ctxval/x $(echo no)\n');
    expect(by.Fails).toMatchObject({ status: 'failed', exitCode: 3, stderr: 'boom\n' });
    expect(by.Skipped?.status).toBe('skipped');
    expect(by.Always).toMatchObject({ status: 'success', stdout: 'always\n' });
    expect(by['On fail']).toMatchObject({ status: 'success', stdout: 'failed\n' });
    expect(result.success).toBe(false);
    expect(result.bashEnv).toBe('export FROM_STEP_ONE="a b $HOME"\n');
  });

  it('gives the OIDC token to jobs without a context too (CircleCI-Public/aws-cli-orb#197)', async () => {
    const noContext = structuredClone(cfg);
    noContext.workflows = { w: { jobs: ['j'] } };
    const result = await runConfigJob(noContext, orb, { registry, oidc: { token: 'tok' } });
    roots.push(result.root);
    expect(result.steps[0]?.stdout).toContain('token=tok');
    // A forked pull request's build without secrets: no token.
    const fork = await runConfigJob(noContext, orb, { registry });
    roots.push(fork.root);
    expect(fork.steps[0]?.stdout).toContain('token=none');
  });

  it('honours pathPrepend, env and background steps', async () => {
    const plan = planJob(configNamespace(config(''), registry), { job: 'g/wrap' });
    plan.steps.push({
      kind: 'run',
      name: 'Background',
      command: 'sleep 30',
      environment: {},
      when: 'always',
      background: true,
      origin: 'test',
    });
    plan.steps.push({
      kind: 'run',
      name: 'Path',
      command: 'echo "$PATH" | cut -d: -f1; echo "$EXTRA"',
      environment: {},
      when: 'always',
      background: false,
      origin: 'test',
    });
    const result = await runJob(plan, { pathPrepend: ['/opt/first'], env: { EXTRA: 'x' } });
    roots.push(result.root);
    expect(result.steps.at(-2)?.output).toContain('background');
    expect(result.steps.at(-1)?.stdout).toBe('/opt/first\nx\n');
    expect(result.success).toBe(true);
  });
});

describe('images without bash, login shells and caches', () => {
  const run = (name: string, command: string, extra: Partial<PlannedRun> = {}): PlannedRun => ({
    kind: 'run',
    name,
    command,
    environment: {},
    when: 'on_success',
    background: false,
    origin: 'test',
    ...extra,
  });
  const plan = (steps: JobPlan['steps'], extra: Partial<JobPlan> = {}): JobPlan => ({
    name: 'j',
    steps,
    contexts: [],
    environment: {},
    workingDirectory: '~/project',
    ...extra,
  });
  const image = async (shell: 'dash' | 'busybox') => {
    const root = await mkdtemp(join(tmpdir(), 'interp-image-'));
    roots.push(root);
    return { root, imageBin: await makeShellOnlyPath(join(root, 'image-bin'), { shell }) };
  };

  it('runs steps with /bin/sh -eo pipefail when the image has no bash (CircleCI default)', async () => {
    const { imageBin } = await image('busybox');
    const result = await runJob(
      plan([
        // biome-ignore lint/suspicious/noTemplateCurlyInString: shell code, not JS
        run('Which shell', 'echo "bash=${BASH_VERSION:-none}"; false | true'),
      ]),
      { imageBin, inherit: [] },
    );
    roots.push(result.root);
    // pipefail: `false | true` fails the step, as busybox ash with -o pipefail does.
    expect(result.steps[0]).toMatchObject({ status: 'failed', stdout: 'bash=none\n' });
    const ok = await runJob(
      plan([
        run('Write', 'echo "export FROM_ONE=1" >> "$BASH_ENV"'),
        // biome-ignore lint/suspicious/noTemplateCurlyInString: shell code, not JS
        run('Read', 'echo "one=${FROM_ONE:-unset}"'),
      ]),
      { imageBin, inherit: [] },
    );
    roots.push(ok.root);
    expect(ok.steps[1]?.stdout).toBe('one=unset\n');
  });

  it('dash has no -o pipefail: the default shell fails there, a job shell without it works', async () => {
    const { imageBin } = await image('dash');
    const fails = await runJob(plan([run('Hello', 'echo hi')]), { imageBin, inherit: [] });
    roots.push(fails.root);
    expect(fails.steps[0]?.status).toBe('failed');
    expect(fails.steps[0]?.stderr).toContain('Illegal option -o pipefail');
    const works = await runJob(plan([run('Hello', 'echo hi')], { shell: '/bin/sh -e' }), {
      imageBin,
      inherit: [],
    });
    roots.push(works.root);
    expect(works.steps[0]).toMatchObject({ status: 'success', stdout: 'hi\n' });
    const noBash = await runJob(plan([run('Bash', 'echo hi', { shell: '/bin/bash' })]), {
      imageBin,
      inherit: [],
    });
    roots.push(noBash.root);
    expect(noBash.steps[0]).toMatchObject({ status: 'failed', exitCode: 127 });
  });

  it('a login sh with BASH_ENV=/etc/profile reads what earlier steps wrote (CircleCI on Alpine)', async () => {
    const { imageBin } = await image('busybox');
    const result = await runJob(
      plan(
        [
          run('Write', `echo "export FROM_ONE='a b'" >> "$BASH_ENV"`),
          // biome-ignore lint/suspicious/noTemplateCurlyInString: shell code, not JS
          run('Read', 'echo "one=${FROM_ONE:-unset}"'),
        ],
        { shell: '/bin/sh -leo pipefail', environment: { BASH_ENV: '/etc/profile' } },
      ),
      { imageBin, inherit: [] },
    );
    roots.push(result.root);
    expect(result.steps[1]?.stdout).toBe('one=a b\n');
    expect(result.steps[1]?.env?.BASH_ENV).toBe(join(result.root, 'etc', 'profile'));
  });

  it('save_cache and restore_cache: key templates, exact and prefix keys, no overwrite', async () => {
    const store = await mkdtemp(join(tmpdir(), 'interp-cache-'));
    const home = await mkdtemp(join(tmpdir(), 'interp-home-'));
    roots.push(store, home);
    const save = (key: string): PlannedBuiltin => ({
      kind: 'builtin',
      type: 'save_cache',
      name: 'Save',
      args: { key, paths: ['~/data'] },
      origin: 'test',
    });
    const restore = (keys: string[]): PlannedBuiltin => ({
      kind: 'builtin',
      type: 'restore_cache',
      name: 'Restore',
      args: { keys },
      origin: 'test',
    });
    const write = (text: string) =>
      run('Write', `mkdir -p ~/data && echo ${text} > ~/data/f && echo ${text} > ~/key`);
    const first = await runJob(
      plan([
        write('one'),
        save('k-{{ checksum "~/key" }}-{{ .Environment.CIRCLE_JOB }}'),
        save('k-{{ checksum "~/key" }}-{{ .Environment.CIRCLE_JOB }}'),
      ]),
      { cacheDir: store, home },
    );
    expect(first.steps[1]?.output).toMatch(/^Stored cache with key k-[0-9a-f]{64}-j\n$/);
    expect(first.steps[2]?.output).toMatch(
      /^Skipping cache generation, cache already exists for key: k-/,
    );
    await rm(join(home, 'data'), { recursive: true });
    const second = await runJob(plan([restore(['nothing-', 'k-']), run('Read', 'cat ~/data/f')]), {
      cacheDir: store,
      home,
    });
    expect(second.steps[0]?.output).toMatch(/^Found a cache from key k-[0-9a-f]{64}-j\n$/);
    expect(second.steps[1]?.stdout).toBe('one\n');
    const none = await runJob(plan([restore(['other-'])]), { cacheDir: store, home });
    expect(none.steps[0]?.output).toBe('No cache is found for any of the keys\n');
    const skipped = await runJob(plan([restore(['k-'])]), { home });
    expect(skipped.steps[0]?.status).toBe('skipped');
    roots.push(first.root, second.root, none.root, skipped.root);
  });
});
