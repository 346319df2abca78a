/**
 * The life of one step, whatever runs it: the `if:` condition, display name, step env,
 * fresh GITHUB_* files, the handler, then the file commands (outputs, env, path, state,
 * summary), outcome/conclusion with continue-on-error, and the `steps` context.
 */
import { stat } from 'node:fs/promises';
import {
  type ExpressionScope,
  evaluateCondition,
  evaluateValue,
  interpolate,
  isTruthy,
  toData,
} from './expressions';
import {
  createStepFiles,
  readKeyValueFile,
  readPathFile,
  readSummaryFile,
  type StepFiles,
  SUMMARY_LIMIT,
} from './files';
import type { Job } from './job';
import { StepOutput } from './output';
import type { StepResult } from './types';

export interface StepSpec {
  /** The user's `id:`. */
  id?: string;
  /** The id the runner uses (GITHUB_ACTION, steps context): `id` or `__run`, `__self`, ... */
  contextName: string;
  name?: unknown;
  /** Name when `name:` is absent, e.g. `Run ./packages/setup`. */
  defaultName: string;
  if?: unknown;
  env?: unknown;
  continueOnError?: unknown;
  timeoutMinutes?: unknown;
}

export interface StepContext {
  job: Job;
  output: StepOutput;
  files: StepFiles;
  /** Env context of the step: job env, GITHUB_ENV, step env. */
  envContext: Record<string, string>;
  /** The step's github context (the handler may add action_path). */
  github: Record<string, unknown>;
  scope: ExpressionScope;
  displayName: string;
  timeoutMs: number;
}

export interface HandlerResult {
  exitCode: number | null;
  failed: boolean;
  timedOut?: boolean;
}

export interface StepOptions {
  phase: 'main' | 'post';
  /** `success()` for main steps; the action's `post-if` (default `always()`) for post steps. */
  defaultCondition: string;
  /** The condition to evaluate; main steps use `if:`, post steps `post-if`. */
  condition: unknown;
  /** Post steps: `Post <main display name>`. */
  displayName?: string;
}

export interface StepOutcome {
  result: StepResult;
  state: Record<string, string>;
  displayName: string;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function evaluateEnv(raw: unknown, scope: ExpressionScope): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw === 'string') {
    // `env: ${{ fromJSON(...) }}`
    const value = evaluateValue(raw, scope);
    if (value === null || typeof value !== 'object') throw new Error('env must be a mapping');
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        toData(v).coerceString(),
      ]),
    );
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>))
    out[k] = interpolate(v, scope);
  return out;
}

export function evaluateStepEnv(job: Job, raw: unknown): Record<string, string> {
  return evaluateEnv(raw, job.scope());
}

export async function executeStep(
  job: Job,
  spec: StepSpec,
  options: StepOptions,
  handler: (ctx: StepContext) => Promise<HandlerResult>,
): Promise<StepOutcome> {
  const started = performance.now();
  const output = new StepOutput({
    masker: job.masker,
    debug: job.machine.debug,
    allowUnsecureCommands:
      job.envContext().ACTIONS_ALLOW_UNSECURE_COMMANDS === 'true' ||
      job.machine.baseEnv.ACTIONS_ALLOW_UNSECURE_COMMANDS === 'true',
  });
  const base = {
    id: spec.id,
    phase: options.phase,
    exitCode: null,
    outputs: {},
    annotations: output.annotations,
  };

  let displayName = options.displayName ?? spec.defaultName;
  if (options.phase === 'main' && spec.name !== undefined && spec.name !== null) {
    try {
      displayName = interpolate(spec.name, job.scope());
    } catch {
      displayName = String(spec.name);
    }
  }
  displayName = job.masker.mask(displayName);

  const finish = (
    outcome: StepResult['outcome'],
    conclusion: StepResult['status'],
    extra: Partial<StepResult> = {},
  ): StepResult => {
    const result: StepResult = {
      ...base,
      name: displayName,
      status: conclusion,
      outcome,
      log: output.text,
      rawLog: output.raw,
      durationMs: Math.round(performance.now() - started),
      ...extra,
    };
    if (options.phase === 'main') {
      job.steps[spec.contextName] = { outputs: result.outputs, outcome, conclusion };
    }
    if (conclusion === 'failure') job.failed = true;
    job.record(result);
    return result;
  };

  // 1. Condition.
  let shouldRun: boolean;
  try {
    output.debug(`Evaluating condition for step: '${displayName}'`);
    shouldRun = evaluateCondition(
      options.condition,
      job.scope({ withSecrets: false }),
      options.defaultCondition,
    );
    output.debug(`Result: ${shouldRun}`);
  } catch (e) {
    output.annotate(
      'error',
      `The step failed and an error occurred when attempting to determine whether to continue.`,
    );
    output.annotate('error', errorMessage(e));
    return { result: finish('failure', 'failure'), state: {}, displayName };
  }
  if (!shouldRun) {
    output.lines.length = 0;
    return { result: finish('skipped', 'skipped'), state: {}, displayName };
  }

  // 2. Step env, continue-on-error, timeout.
  let continueOnError = false;
  let stepEnv: Record<string, string> = {};
  let timeoutMs = job.opts.stepTimeoutMs ?? 120_000;
  let timeoutLabel = String(Number((timeoutMs / 60_000).toPrecision(3)));
  try {
    const coe = evaluateValue(spec.continueOnError ?? false, job.scope());
    continueOnError = typeof coe === 'string' ? coe === 'true' : isTruthy(toData(coe));
  } catch (e) {
    output.annotate('error', errorMessage(e));
  }
  let failed = false;
  try {
    stepEnv = evaluateEnv(spec.env, job.scope());
    if (spec.timeoutMinutes !== undefined && spec.timeoutMinutes !== null) {
      const minutes = Number(evaluateValue(spec.timeoutMinutes, job.scope()));
      if (!Number.isFinite(minutes) || minutes <= 0) {
        throw new Error(`Invalid timeout-minutes '${String(spec.timeoutMinutes)}'`);
      }
      timeoutMs = minutes * 60_000;
      timeoutLabel = String(minutes);
    }
  } catch (e) {
    output.annotate('error', errorMessage(e));
    failed = true;
  }

  const files = await createStepFiles(job.machine.runnerTemp);
  const envContext = job.envContext(stepEnv);
  const github: Record<string, unknown> = {
    ...job.machine.github,
    action: spec.contextName,
    env: files.env,
    output: files.output,
    path: files.path,
    state: files.state,
    step_summary: files.summary,
  };
  const ctx: StepContext = {
    job,
    output,
    files,
    envContext,
    github,
    scope: job.scope({ env: envContext, github }),
    displayName,
    timeoutMs,
  };

  // 3. Run.
  let exitCode: number | null = null;
  let timedOut = false;
  if (!failed) {
    try {
      const r = await handler(ctx);
      exitCode = r.exitCode;
      failed = r.failed;
      timedOut = r.timedOut ?? false;
    } catch (e) {
      output.annotate('error', errorMessage(e));
      failed = true;
    }
  }
  output.endGroup();
  if (timedOut) {
    output.annotate(
      'error',
      `The action '${displayName}' has timed out after ${timeoutLabel} minutes.`,
    );
    failed = true;
  }
  if (output.commandFailed) failed = true;

  // 4. File commands.
  const outputs: Record<string, string> = { ...output.outputs };
  const state: Record<string, string> = { ...output.state };
  Object.assign(job.fileEnv, output.env);
  for (const p of output.path) job.addPath(p);
  const fileCommand = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      output.annotate('error', `Unable to process file command '${name}' successfully.`);
      output.annotate('error', errorMessage(e));
      failed = true;
    }
  };
  await fileCommand('env', async () => {
    for (const [k, v] of await readKeyValueFile(files.env)) {
      if (k.toUpperCase() === 'NODE_OPTIONS') {
        output.annotate(
          'error',
          "Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command.",
        );
        continue;
      }
      job.fileEnv[k] = v;
    }
  });
  await fileCommand('path', async () => {
    for (const p of await readPathFile(files.path)) job.addPath(p);
  });
  await fileCommand('output', async () => {
    for (const [k, v] of await readKeyValueFile(files.output, 'output')) outputs[k] = v;
  });
  await fileCommand('state', async () => {
    for (const [k, v] of await readKeyValueFile(files.state, 'state')) state[k] = v;
  });
  await fileCommand('step_summary', async () => {
    const size = (await stat(files.summary)).size;
    if (size === 0) return;
    if (size > SUMMARY_LIMIT) {
      output.annotate(
        'error',
        `$GITHUB_STEP_SUMMARY supports content up a size of ${SUMMARY_LIMIT / 1024}k got ${Math.floor(size / 1024)}k`,
      );
      return;
    }
    const text = await readSummaryFile(files.summary);
    job.summaries.push(
      text
        .split('\n')
        .map((l) => job.masker.mask(l))
        .join('\n'),
    );
  });

  const outcome = failed ? 'failure' : 'success';
  const conclusion = failed && continueOnError ? 'success' : outcome;
  const result = finish(outcome, conclusion, {
    exitCode,
    outputs,
    ...(timedOut ? { timedOut } : {}),
  });
  return { result, state, displayName };
}
