/**
 * Runs one job of a workflow: workflow/job `env`, `permissions`, `defaults.run`, `if`, the steps
 * in order, then the post steps in reverse order, then orphan process clean-up.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { type ActionStepSpec, runActionStep } from './action-step';
import { prepareMachine, workflowFileName } from './contexts';
import { evaluateCondition, interpolate } from './expressions';
import { Job, type RunDefaults } from './job';
import { parseRemoteUses } from './remote';
import { runScript } from './run-step';
import { executeStep } from './step';
import type { JobResult, RunnerOptions } from './types';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a workflow given as YAML text or as a path (absolute, from cwd, or from repoRoot). */
async function loadWorkflow(
  workflow: string,
  repoRoot: string,
): Promise<{ doc: Obj; file?: string }> {
  const looksLikePath = !workflow.includes('\n') && /\.ya?ml$/i.test(workflow.trim());
  if (looksLikePath) {
    const candidates = isAbsolute(workflow)
      ? [workflow]
      : [resolve(workflow), resolve(repoRoot, workflow)];
    const file = candidates.find((c) => existsSync(c));
    if (!file) throw new Error(`Workflow file not found: ${workflow}`);
    const doc = parse(await readFile(file, 'utf8'));
    if (!isObj(doc)) throw new Error(`${file}: not a workflow`);
    return { doc, file };
  }
  const doc = parse(workflow);
  if (!isObj(doc)) throw new Error('The workflow YAML is not a mapping');
  return { doc };
}

function pickJob(doc: Obj, jobId?: string): [string, Obj] {
  const jobs = doc.jobs;
  if (!isObj(jobs) || Object.keys(jobs).length === 0) throw new Error('The workflow has no jobs');
  const ids = Object.keys(jobs);
  const id = jobId ?? (ids.length === 1 ? ids[0] : undefined);
  if (id === undefined) {
    throw new Error(
      `The workflow has ${ids.length} jobs (${ids.join(', ')}); pass the jobId to run`,
    );
  }
  const job = jobs[id];
  if (!isObj(job)) throw new Error(`No job '${id}' in the workflow (jobs: ${ids.join(', ')})`);
  for (const unsupported of ['container', 'services', 'uses', 'strategy']) {
    if (job[unsupported] !== undefined) {
      throw new Error(`jobs.${id}.${unsupported} is not supported by the local runner emulation`);
    }
  }
  if (!Array.isArray(job.steps) || job.steps.length === 0)
    throw new Error(`jobs.${id} has no steps`);
  return [id, job];
}

/** `permissions:` grants an OIDC token with `id-token: write` or `write-all`. */
export function grantsIdToken(permissions: unknown): boolean {
  if (permissions === 'write-all') return true;
  return isObj(permissions) && permissions['id-token'] === 'write';
}

function runDefaults(v: unknown): RunDefaults {
  const run = isObj(v) && isObj(v.run) ? v.run : {};
  const out: RunDefaults = {};
  if (typeof run.shell === 'string') out.shell = run.shell;
  if (run['working-directory'] !== undefined)
    out['working-directory'] = String(run['working-directory']);
  return out;
}

function firstLine(text: string): string {
  return text.replace(/^[ \t\r\n]+/, '').split(/\r?\n|\r/)[0] ?? '';
}

async function runSteps(job: Job, steps: unknown[]): Promise<void> {
  for (const [i, raw] of steps.entries()) {
    if (!isObj(raw)) throw new Error(`Step ${i + 1} is not a mapping`);
    const id = raw.id === undefined ? undefined : String(raw.id);
    const common = {
      id,
      name: raw.name,
      if: raw.if,
      env: raw.env,
      continueOnError: raw['continue-on-error'],
      timeoutMinutes: raw['timeout-minutes'],
    };
    if (typeof raw.uses === 'string' && raw.run === undefined) {
      const spec: ActionStepSpec = {
        ...common,
        contextName: id ?? job.contextName('__self'),
        defaultName: `Run ${raw.uses}`,
        uses: raw.uses,
        with: isObj(raw.with) ? raw.with : {},
      };
      await runActionStep(job, spec);
    } else if (raw.run !== undefined && raw.uses === undefined) {
      const run = String(raw.run);
      await executeStep(
        job,
        {
          ...common,
          contextName: id ?? job.contextName('__run'),
          defaultName: `Run ${firstLine(run)}`,
        },
        { phase: 'main', condition: raw.if, defaultCondition: 'success()' },
        (ctx) =>
          runScript(ctx, { run, shell: raw.shell, workingDirectory: raw['working-directory'] }),
      );
    } else {
      throw new Error(`Step ${i + 1} must have exactly one of 'uses' and 'run'`);
    }
  }
}

async function runJob(doc: Obj, file: string | undefined, opts: RunnerOptions, jobId?: string) {
  const [id, jobDef] = pickJob(doc, jobId);
  const machine = await prepareMachine(opts, {
    workflow:
      typeof doc.name === 'string' ? doc.name : file ? relative(opts.repoRoot, file) : 'workflow',
    workflowFile: workflowFileName(file),
    jobId: id,
  });
  const job = new Job(opts, machine);
  job.idTokenGranted = grantsIdToken(
    jobDef.permissions !== undefined ? jobDef.permissions : doc.permissions,
  );
  job.defaults = { ...runDefaults(doc.defaults), ...runDefaults(jobDef.defaults) };

  const evalEnv = (raw: unknown, env: Record<string, string>) => {
    const out: Record<string, string> = {};
    if (isObj(raw))
      for (const [k, v] of Object.entries(raw)) out[k] = interpolate(v, job.scope({ env }));
    return out;
  };
  const workflowEnv = evalEnv(doc.env, {});
  job.jobEnv = { ...workflowEnv, ...evalEnv(jobDef.env, workflowEnv) };

  try {
    if (
      jobDef.if !== undefined &&
      !evaluateCondition(jobDef.if, job.scope({ withSecrets: false }))
    ) {
      return job.result();
    }
    await runSteps(job, jobDef.steps as unknown[]);
    for (const post of [...job.posts].reverse()) await post.run();
  } finally {
    await job.tracker.cleanup();
  }
  return job.result();
}

/** Runs one job of a workflow (YAML text or a path to a .yml): the only job, or `jobId`. */
export async function runWorkflow(
  workflow: string,
  opts: RunnerOptions,
  jobId?: string,
): Promise<JobResult> {
  const { doc, file } = await loadWorkflow(workflow, opts.repoRoot);
  return runJob(doc, file, opts, jobId);
}

export interface RunActionOptions extends RunnerOptions {
  /** The step's `env:`. */
  stepEnv?: Record<string, string>;
  /** The job's `permissions:`; default `id-token: write` when `idToken` is given, else none. */
  permissions?: Record<string, string> | 'write-all' | 'read-all';
}

/**
 * Runs one action as a one-step job (with its post step): `actionPath` relative to repoRoot,
 * e.g. 'packages/setup', or a mapped remote action ('owner/repo@ref', see `remoteActions`). Input values may use `${{ }}` like `with:` values.
 */
export async function runAction(
  actionPath: string,
  inputs: Record<string, string>,
  opts: RunActionOptions,
): Promise<JobResult> {
  const { stepEnv, permissions, ...runnerOpts } = opts;
  let uses = actionPath;
  if (!parseRemoteUses(uses)) {
    if (isAbsolute(uses)) uses = relative(opts.repoRoot, uses) || '.';
    if (uses !== '.' && !uses.startsWith('./')) uses = `./${uses}`;
  }
  const step: Obj = { uses, with: inputs };
  if (stepEnv) step.env = stepEnv;
  const job: Obj = { 'runs-on': 'ubuntu-latest', steps: [step] };
  const perms =
    permissions ?? (opts.idToken ? { 'id-token': 'write', contents: 'read' } : undefined);
  if (perms !== undefined) job.permissions = perms;
  return runJob({ name: 'runAction', on: 'push', jobs: { action: job } }, undefined, runnerOpts);
}
