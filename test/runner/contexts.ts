/**
 * The machine a job runs on: its directories, clean base env, and the `github` and `runner`
 * contexts with the GITHUB_* / RUNNER_* variables the runner derives from them.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { RunnerOptions } from './types';

export interface Machine {
  workDir: string;
  workspace: string;
  runnerTemp: string;
  toolCache: string;
  /** Base env every step starts from: PATH, HOME, LANG, TMPDIR of the host, CI vars, opts.env. */
  baseEnv: Record<string, string>;
  github: Record<string, unknown>;
  runner: Record<string, string>;
  debug: boolean;
}

export interface WorkflowMeta {
  /** `name:` of the workflow, or its file path. */
  workflow: string;
  /** `.github/workflows/<file>` for github.workflow_ref. */
  workflowFile: string;
  jobId: string;
}

/** github context keys exposed as GITHUB_<KEY> (the runner's allowlist). */
const GITHUB_ENV_KEYS = [
  'action',
  'action_path',
  'action_ref',
  'action_repository',
  'actor',
  'actor_id',
  'api_url',
  'base_ref',
  'env',
  'event_name',
  'event_path',
  'graphql_url',
  'head_ref',
  'job',
  'output',
  'path',
  'ref',
  'ref_name',
  'ref_protected',
  'ref_type',
  'repository',
  'repository_id',
  'repository_owner',
  'repository_owner_id',
  'retention_days',
  'run_attempt',
  'run_id',
  'run_number',
  'server_url',
  'sha',
  'state',
  'step_summary',
  'triggering_actor',
  'workflow',
  'workflow_ref',
  'workflow_sha',
  'workspace',
];

/** Keys a test may override through opts.env (GITHUB_<KEY>); the rest are per job or per step. */
const OVERRIDABLE = GITHUB_ENV_KEYS.filter(
  (k) =>
    !k.startsWith('action') &&
    !['env', 'output', 'path', 'state', 'step_summary', 'workspace', 'event_path', 'job'].includes(
      k,
    ),
);

function refParts(ref: string): { name: string; type: string } {
  for (const [prefix, type] of [
    ['refs/heads/', 'branch'],
    ['refs/tags/', 'tag'],
    ['refs/pull/', 'branch'],
  ] as const) {
    if (ref.startsWith(prefix)) return { name: ref.slice(prefix.length), type };
  }
  return { name: ref, type: 'branch' };
}

export function isDebug(opts: RunnerOptions): boolean {
  return (
    opts.debug === true ||
    opts.env?.ACTIONS_STEP_DEBUG === 'true' ||
    opts.env?.RUNNER_DEBUG === '1' ||
    opts.secrets?.ACTIONS_STEP_DEBUG === 'true' ||
    opts.vars?.ACTIONS_STEP_DEBUG === 'true'
  );
}

export async function prepareMachine(opts: RunnerOptions, meta: WorkflowMeta): Promise<Machine> {
  const workDir = resolve(opts.workDir ?? (await mkdtemp(join(tmpdir(), 'gha-job-'))));
  const workspace = resolve(opts.workspace ?? join(workDir, 'workspace'));
  const runnerTemp = join(workDir, 'temp');
  const toolCache = resolve(opts.toolCache ?? join(workDir, 'toolcache'));
  // The tool cache is left for the tools to create, as on a fresh self-hosted runner.
  await Promise.all([workspace, runnerTemp].map((d) => mkdir(d, { recursive: true })));
  const debug = isDebug(opts);

  const given = opts.env ?? {};
  const repository = given.GITHUB_REPOSITORY ?? 'octo-org/octo-repo';
  const ref = given.GITHUB_REF ?? 'refs/heads/main';
  const sha = given.GITHUB_SHA ?? randomBytes(20).toString('hex');
  const actor = given.GITHUB_ACTOR ?? 'octocat';
  const server = given.GITHUB_SERVER_URL ?? 'https://github.com';
  const github: Record<string, unknown> = {
    actor,
    actor_id: '583231',
    api_url: 'https://api.github.com',
    base_ref: '',
    event_name: 'push',
    graphql_url: 'https://api.github.com/graphql',
    head_ref: '',
    job: meta.jobId,
    ref,
    ref_name: refParts(ref).name,
    ref_protected: 'false',
    ref_type: refParts(ref).type,
    repository,
    repository_id: '123456789',
    repository_owner: given.GITHUB_REPOSITORY_OWNER ?? repository.split('/')[0],
    repository_owner_id: '987654321',
    retention_days: '90',
    run_attempt: '1',
    run_id: String(1_000_000_000 + Math.floor(Math.random() * 1_000_000_000)),
    run_number: '1',
    server_url: server,
    sha,
    triggering_actor: actor,
    workflow: meta.workflow,
    workflow_ref: `${repository}/${meta.workflowFile}@${ref}`,
    workflow_sha: sha,
    workspace,
  };
  for (const key of OVERRIDABLE) {
    const v = given[`GITHUB_${key.toUpperCase()}`];
    if (v !== undefined) github[key] = v;
  }
  const token = opts.secrets?.GITHUB_TOKEN ?? `ghs_${randomBytes(18).toString('hex')}`;
  github.token = token;

  const event = {
    ref: github.ref,
    before: '0'.repeat(40),
    after: github.sha,
    repository: {
      full_name: github.repository,
      name: String(github.repository).split('/')[1] ?? '',
      owner: { login: github.repository_owner },
      default_branch: 'main',
    },
    pusher: { name: github.actor },
    sender: { login: github.actor },
  };
  const eventPath = join(runnerTemp, '_github_workflow', 'event.json');
  await mkdir(dirname(eventPath), { recursive: true });
  await writeFile(eventPath, JSON.stringify(event, null, 2));
  github.event = event;
  github.event_path = eventPath;

  const runner: Record<string, string> = {
    name: 'GitHub Actions 1',
    os: opts.runnerOs ?? 'Linux',
    arch: opts.runnerArch ?? 'X64',
    temp: runnerTemp,
    tool_cache: toolCache,
    environment: 'github-hosted',
    workspace: dirname(workspace),
  };
  if (debug) runner.debug = '1';

  const baseEnv: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'TMPDIR']) {
    const v = process.env[key];
    if (v !== undefined) baseEnv[key] = v;
  }
  Object.assign(baseEnv, { CI: 'true', GITHUB_ACTIONS: 'true' }, given);

  return { workDir, workspace, runnerTemp, toolCache, baseEnv, github, runner, debug };
}

/** GITHUB_* from a github context (the step's: with action, action_path and file paths set). */
export function githubEnv(github: Record<string, unknown>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of GITHUB_ENV_KEYS) {
    const v = github[key];
    if (v !== undefined && v !== null && v !== '') env[`GITHUB_${key.toUpperCase()}`] = String(v);
  }
  return env;
}

/** RUNNER_* from the runner context. */
export function runnerEnv(runner: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(runner).map(([k, v]) => [`RUNNER_${k.toUpperCase()}`, v]),
  );
}

export function workflowFileName(path: string | undefined): string {
  return `.github/workflows/${path ? basename(path) : 'workflow.yml'}`;
}
