/**
 * `uses: ./path` steps: a local JavaScript action (`runs.using: node20|node24`) run with the
 * local node, like the runner's NodeScriptActionHandler. Inputs come from `with:` and the
 * action.yml defaults as INPUT_<NAME>; `runs.post` is registered for the end of the job with
 * `post-if` (default `always()`) and gets the main step's state as STATE_<name>.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { interpolate } from './expressions';
import type { Job } from './job';
import { nodeForRuntime } from './node-runtimes';
import { runProcess } from './process';
import { parseRemoteUses, type RemoteActionRef, resolveRemoteAction } from './remote';
import { executeStep, type HandlerResult, type StepContext, type StepSpec } from './step';
import type { RunnerOptions } from './types';

export interface ActionInputDef {
  description?: string;
  required?: boolean;
  default?: unknown;
  deprecationMessage?: string;
}

export interface ActionDefinition {
  dir: string;
  /** Set for `owner/repo[/path]@ref` actions. */
  remote?: RemoteActionRef;
  name?: string;
  inputs: Record<string, ActionInputDef>;
  using: string;
  main?: string;
  pre?: string;
  post?: string;
  postIf?: string;
}

const NODE_RUNTIMES = ['node20', 'node24'];

/** Where a step's action comes from: `./path` in the repository, or a mapped remote copy. */
async function actionDir(
  opts: RunnerOptions,
  workDir: string,
  uses: string,
): Promise<{ dir: string; remote?: RemoteActionRef }> {
  if (uses.startsWith('./') || uses === '.') return { dir: resolve(opts.repoRoot, uses) };
  const remote = uses.startsWith('docker://') ? undefined : parseRemoteUses(uses);
  if (!remote) {
    const kind = uses.startsWith('docker://') ? 'Docker image actions' : 'this form of action';
    throw new Error(
      `The local runner emulation supports only local actions ('uses: ./path') and mapped remote ones ('owner/repo[/path]@ref'); ${kind} such as '${uses}' are not supported.`,
    );
  }
  return {
    dir: await resolveRemoteAction(uses, remote, opts.remoteActions, workDir),
    remote,
  };
}

/**
 * Each `action.yml` text parsed, by path: the JavaScript YAML parser costs about 5 ms on a cold
 * start, a cost of the emulation (the runner parses in .NET) that would count in every step's
 * time, and so in the bench's figures for the action.
 */
const parsedActionFiles = new Map<string, { text: string; doc: Record<string, unknown> }>();

function parsedActionYaml(file: string, text: string): Record<string, unknown> {
  const known = parsedActionFiles.get(file);
  if (known?.text === text) return known.doc;
  const doc = (parse(text) ?? {}) as Record<string, unknown>;
  parsedActionFiles.set(file, { text, doc });
  return doc;
}

/** Reads `action.yml` (or `action.yaml`) of a local (`./path`) or mapped remote action. */
export async function loadAction(
  opts: RunnerOptions,
  workDir: string,
  uses: string,
): Promise<ActionDefinition> {
  const { dir, remote } = await actionDir(opts, workDir, uses);
  const file = ['action.yml', 'action.yaml'].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!file) {
    throw new Error(
      remote
        ? `Can't find 'action.yml', 'action.yaml' or 'Dockerfile' for action '${uses}'.`
        : `Can't find 'action.yml', 'action.yaml' or 'Dockerfile' under '${dir}'. Did you forget to run actions/checkout before running your local action?`,
    );
  }
  const doc = parsedActionYaml(file, await readFile(file, 'utf8'));
  const runs = (doc.runs ?? {}) as Record<string, unknown>;
  const using = String(runs.using ?? '');
  if (!NODE_RUNTIMES.includes(using)) {
    throw new Error(
      `The local runner emulation runs only JavaScript actions (runs.using: ${NODE_RUNTIMES.join(' or ')}); '${uses}' uses '${using}'.`,
    );
  }
  if (typeof runs.main !== 'string') throw new Error(`'${file}': runs.main is required`);
  if (remote && typeof runs.pre === 'string') {
    // The runner runs a remote action's `pre` at job start; the emulation does not.
    throw new Error(
      `'${uses}' has runs.pre, which the runner emulation does not run for remote actions`,
    );
  }
  return {
    dir,
    remote,
    name: typeof doc.name === 'string' ? doc.name : undefined,
    inputs: (doc.inputs ?? {}) as Record<string, ActionInputDef>,
    using,
    main: runs.main,
    pre: typeof runs.pre === 'string' ? runs.pre : undefined,
    post: typeof runs.post === 'string' ? runs.post : undefined,
    postIf: typeof runs['post-if'] === 'string' ? runs['post-if'] : undefined,
  };
}

export interface ActionStepSpec extends StepSpec {
  uses: string;
  with?: Record<string, unknown>;
}

/** `with:` values, then defaults for the declared inputs not given; warns like the runner. */
function resolveInputs(
  ctx: StepContext,
  def: ActionDefinition,
  withValues: Record<string, unknown>,
) {
  const inputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(withValues)) inputs[k] = interpolate(v, ctx.scope);
  const declared = Object.keys(def.inputs);
  const lower = new Set(declared.map((k) => k.toLowerCase()));
  for (const key of Object.keys(inputs)) {
    const message = def.inputs[key]?.deprecationMessage;
    if (message) {
      ctx.output.annotate('warning', `Input '${key}' has been deprecated with message: ${message}`);
    }
  }
  const given = new Set(Object.keys(inputs).map((k) => k.toLowerCase()));
  for (const key of declared) {
    if (given.has(key.toLowerCase())) continue;
    const d = def.inputs[key]?.default;
    inputs[key] = d === undefined || d === null ? '' : interpolate(d, ctx.scope);
  }
  const unexpected = Object.keys(withValues).filter((k) => !lower.has(k.toLowerCase()));
  if (unexpected.length > 0) {
    ctx.output.annotate(
      'warning',
      `Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${declared.join("', '")}']`,
    );
  }
  return inputs;
}

export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

async function runNode(
  ctx: StepContext,
  def: ActionDefinition,
  uses: string,
  phase: 'main' | 'post',
  withValues: Record<string, unknown>,
  state: Record<string, string>,
): Promise<HandlerResult> {
  const { job, output } = ctx;
  if (def.pre && !def.remote) {
    output.annotate(
      'warning',
      `\`pre\` execution is not supported for local action from '${uses}'`,
    );
  }
  ctx.github.action_path = def.dir;
  if (def.remote) {
    ctx.github.action_repository = `${def.remote.owner}/${def.remote.repo}`;
    ctx.github.action_ref = def.remote.ref;
  }
  ctx.scope.contexts.github = ctx.github;
  const inputs = resolveInputs(ctx, def, withValues);

  if (phase === 'post') {
    output.write('Post job cleanup.');
  } else {
    output.group(`Run ${uses}`);
    const inputEntries = Object.entries(inputs);
    if (inputEntries.length > 0) {
      output.write('with:');
      for (const [k, v] of inputEntries) output.write(`  ${k}: ${v}`);
    }
    const envEntries = Object.entries(ctx.envContext);
    if (envEntries.length > 0) {
      output.write('env:');
      for (const [k, v] of envEntries) output.write(`  ${k}: ${v}`);
    }
    output.endGroup();
  }

  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(state)) extra[`STATE_${k}`] = v;
  for (const [k, v] of Object.entries(inputs)) extra[inputEnvName(k)] = v;
  const env = job.processEnv(ctx.envContext, ctx.github, extra);
  delete env.NODE_ICU_DATA;

  const target = join(def.dir, phase === 'post' ? def.post! : def.main!);
  if (!existsSync(target)) throw new Error(`File not found: '${target}'`);
  const r = await runProcess(
    {
      command: nodeForRuntime(def.using),
      args: [target],
      cwd: job.machine.workspace,
      env,
      timeoutMs: ctx.timeoutMs,
    },
    output,
    job.tracker,
  );
  if (r.startError) throw r.startError;
  if (r.timedOut) return { exitCode: null, failed: true, timedOut: true };
  output.debug(`Node Action run completed with exit code ${r.exitCode}`);
  return { exitCode: r.exitCode, failed: r.exitCode !== 0 };
}

/** Runs the main step; registers its post step when the action has one. */
export async function runActionStep(job: Job, spec: ActionStepSpec): Promise<void> {
  let def: ActionDefinition | undefined;
  const withValues = spec.with ?? {};
  const main = await executeStep(
    job,
    spec,
    { phase: 'main', condition: spec.if, defaultCondition: 'success()' },
    async (ctx) => {
      def = await loadAction(job.opts, job.machine.workDir, spec.uses);
      return runNode(ctx, def, spec.uses, 'main', withValues, {});
    },
  );
  if (main.result.status === 'skipped' || !def?.post) return;
  const action = def;
  job.posts.push({
    run: async () => {
      await executeStep(
        job,
        spec,
        {
          phase: 'post',
          condition: action.postIf,
          defaultCondition: 'always()',
          displayName: `Post ${main.displayName}`,
        },
        (ctx) => runNode(ctx, action, spec.uses, 'post', withValues, main.state),
      );
    },
  });
}
