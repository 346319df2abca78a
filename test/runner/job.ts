/**
 * The state of one running job: its machine, masks, the env and PATH that steps add through
 * GITHUB_ENV / GITHUB_PATH, the `steps` context, the status the status functions see, and the
 * environment each step's process gets.
 */

import { githubEnv, type Machine, runnerEnv } from './contexts';
import type { ExpressionScope } from './expressions';
import { SecretMasker } from './masker';
import { ProcessTracker } from './process';
import type { Annotation, JobResult, RunnerOptions, StepResult } from './types';

export interface PostStep {
  /** Runs the post step; registered when the main step ran. */
  run: () => Promise<void>;
}

export interface RunDefaults {
  shell?: string;
  'working-directory'?: string;
}

export class Job {
  readonly masker = new SecretMasker();
  readonly tracker = new ProcessTracker();
  readonly results: StepResult[] = [];
  readonly posts: PostStep[] = [];
  /** GITHUB_ENV additions, in the order they were set. */
  readonly fileEnv: Record<string, string> = {};
  /** GITHUB_PATH additions, oldest first (deduplicated, a re-added entry moves to the end). */
  readonly prependPath: string[] = [];
  readonly steps: Record<
    string,
    { outputs: Record<string, string>; outcome: string; conclusion: string }
  > = {};
  readonly summaries: string[] = [];
  failed = false;
  /** Workflow-level then job-level `env`, evaluated. */
  jobEnv: Record<string, string> = {};
  defaults: RunDefaults = {};
  /** Whether the job's permissions grant `id-token: write`. */
  idTokenGranted = false;
  private contextNames = new Map<string, number>();

  constructor(
    readonly opts: RunnerOptions,
    readonly machine: Machine,
  ) {
    for (const value of Object.values(opts.secrets ?? {})) this.masker.add(value);
    this.masker.add(String(machine.github.token));
    if (opts.idToken) this.masker.add(opts.idToken.token);
  }

  get secrets(): Record<string, string> {
    return { GITHUB_TOKEN: String(this.machine.github.token), ...(this.opts.secrets ?? {}) };
  }

  /** The runner's name for a step without id: `__run`, `__run_2`, ... (`__self` for local actions). */
  contextName(base: string): string {
    const n = (this.contextNames.get(base) ?? 0) + 1;
    this.contextNames.set(base, n);
    return n === 1 ? base : `${base}_${n}`;
  }

  /** The env context: job env, then GITHUB_ENV, then the step's own env. */
  envContext(stepEnv: Record<string, string> = {}): Record<string, string> {
    return { ...this.jobEnv, ...this.fileEnv, ...stepEnv };
  }

  /** Expression scope for a step. `secrets` is left out where GitHub does not allow it (if:). */
  scope(
    opts: {
      env?: Record<string, string>;
      github?: Record<string, unknown>;
      withSecrets?: boolean;
    } = {},
  ): ExpressionScope {
    const contexts: Record<string, unknown> = {
      github: opts.github ?? this.machine.github,
      env: opts.env ?? this.envContext(),
      steps: this.steps,
      runner: this.machine.runner,
      job: { status: this.failed ? 'failure' : 'success' },
      vars: this.opts.vars ?? {},
      inputs: {},
      matrix: {},
      strategy: {},
      needs: {},
    };
    if (opts.withSecrets !== false) contexts.secrets = this.secrets;
    return { contexts, jobFailed: this.failed, workspace: this.machine.workspace };
  }

  /**
   * The process env of a step, layered like the runner: machine env, env context, then inputs
   * and state, then the GITHUB_* / RUNNER_* variables, then PATH with GITHUB_PATH additions.
   */
  processEnv(
    envContext: Record<string, string>,
    github: Record<string, unknown>,
    extra: Record<string, string> = {},
  ): Record<string, string> {
    const env: Record<string, string> = {
      ...this.machine.baseEnv,
      ...envContext,
      ...extra,
      ...githubEnv(github),
      ...runnerEnv(this.machine.runner),
    };
    if (this.idTokenGranted && this.opts.idToken) {
      env.ACTIONS_ID_TOKEN_REQUEST_URL = this.opts.idToken.url;
      env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = this.opts.idToken.token;
    }
    if (this.prependPath.length > 0) {
      const newestFirst = [...this.prependPath].reverse();
      env.PATH = [...newestFirst, env.PATH ?? ''].filter((p) => p !== '').join(':');
    }
    return env;
  }

  addPath(dir: string): void {
    const i = this.prependPath.indexOf(dir);
    if (i >= 0) this.prependPath.splice(i, 1);
    this.prependPath.push(dir);
  }

  record(result: StepResult): void {
    this.results.push(result);
  }

  result(): JobResult {
    const annotations: Annotation[] = this.results.flatMap((s) => s.annotations);
    return {
      status: this.failed ? 'failure' : 'success',
      steps: this.results,
      log: this.results.map((s) => s.log).join(''),
      rawLog: this.results.map((s) => s.rawLog).join(''),
      summary: this.summaries.join(''),
      env: { ...this.fileEnv },
      path: [...this.prependPath].reverse(),
      annotations,
      workDir: this.machine.workDir,
    };
  }
}
