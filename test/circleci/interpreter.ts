/**
 * A small CircleCI interpreter for testing the orb offline (CircleCI's own engine is a hosted
 * service, and the local `circleci` CLI is not on npm). It does what CircleCI's config
 * compiler and a docker executor's task agent do for the parts this orb uses:
 *
 * - Resolves jobs, commands and executors from the packed orb and from a config's own
 *   `jobs:`/`commands:`, with orb references (`teleport/auth_ssh`) and inline orbs.
 * - Checks arguments against the declared parameters (unexpected, missing, wrong type, value
 *   not in the enum, undeclared references), with CircleCI's error wording, applies defaults,
 *   and expands `<< parameters.x >>` and `<< pipeline.* >>` once per scope (`\<<` stays a
 *   literal `<<`). A value that is exactly one reference keeps its type (booleans, steps).
 * - Honours `steps` parameters, `when`/`unless` steps with logic statements, `pre-steps` and
 *   `post-steps`, and `run` steps' `when: always|on_success|on_fail` and `background`.
 * - Runs each `run` step with the step's or job's `shell`, else CircleCI's default for Linux:
 *   `/bin/bash -eo pipefail` when the image has bash, otherwise `/bin/sh -eo pipefail`. The
 *   environment is CircleCI's: `CIRCLECI=true`, `CIRCLE_*`, `$BASH_ENV` naming a file that does
 *   not exist until a step writes it (bash sources it when every later step starts; sh does
 *   not), contexts' variables, and `CIRCLE_OIDC_TOKEN` for every job, with or without a context,
 *   as CircleCI issues it (a context only adds its id to the token's claims; a forked pull
 *   request's build gets no token unless the project passes secrets to forks: leave `oidc` out). A stand-in `circleci` on PATH does `circleci env subst`.
 * - An image without Node.js or bash (`imageBin`, e.g. from test/wrappers/shell-only.ts): its
 *   folder is the steps' whole PATH and stands in for the image's /bin, so `/bin/sh` and
 *   `/bin/bash` in a `shell:` are its programs, and the default shell follows CircleCI's rule.
 *   A login shell (`-l`, as CircleCI documents for Alpine: `shell: /bin/sh -leo pipefail` with
 *   `BASH_ENV: /etc/profile`) reads the image's `/etc/profile` and `~/.profile`; the image's
 *   `/etc/profile` is `<root>/etc/profile`, which a job's `BASH_ENV: /etc/profile` names too.
 * - `save_cache` and `restore_cache` with a cache store (`cacheDir`) shared by jobs: key
 *   templates (`{{ arch }}`, `{{ checksum "file" }}`, `{{ .Environment.NAME }}`, `{{ epoch }}`,
 *   `{{ .Branch }}`, `{{ .Revision }}`), an existing key never overwritten, restore by exact key
 *   or by the newest cache whose key starts with a given prefix.
 *
 * Not emulated: the docker image's own files (steps run on the host), `checkout`, workspaces
 * and artifacts (reported as skipped), caches without `cacheDir` (skipped), matrix jobs,
 * parallelism.
 */
import { spawn } from 'node:child_process';
import { createHash, randomUUID as newId } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { arch, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { repoRoot } from '../../scripts/repo-root';

export { repoRoot } from '../../scripts/repo-root';

// ---------------------------------------------------------------------------------------------
// Definitions

export type ParameterType =
  | 'string'
  | 'boolean'
  | 'integer'
  | 'enum'
  | 'steps'
  | 'executor'
  | 'env_var_name';

export interface ParameterDef {
  type: ParameterType;
  default?: unknown;
  description?: string;
  enum?: string[];
}

export interface CommandDef {
  description?: string;
  parameters?: Record<string, ParameterDef>;
  steps: unknown[];
}

export interface ExecutorDef {
  description?: string;
  parameters?: Record<string, ParameterDef>;
  docker?: { image: string; environment?: unknown }[];
  machine?: unknown;
  macos?: unknown;
  environment?: unknown;
  working_directory?: string;
  shell?: string;
  resource_class?: string;
}

export interface JobDef extends ExecutorDef {
  executor?: unknown;
  steps: unknown[];
  parallelism?: number;
}

export interface OrbDef {
  version?: number | string;
  description?: string;
  display?: { home_url?: string; source_url?: string };
  orbs?: Record<string, unknown>;
  commands?: Record<string, CommandDef>;
  jobs?: Record<string, JobDef>;
  executors?: Record<string, ExecutorDef>;
  examples?: Record<string, { description?: string; usage: ConfigDef; result?: unknown }>;
}

export interface ConfigDef extends OrbDef {
  parameters?: Record<string, ParameterDef>;
  workflows?: Record<string, { jobs?: unknown[]; when?: unknown; unless?: unknown }>;
}

export const packedOrbPath = join(repoRoot, 'packages', 'circleci', 'orb.yml');

/** The packed orb (defaults to the committed packages/circleci/orb.yml). */
export async function loadOrb(path = packedOrbPath): Promise<OrbDef> {
  return parse(await readFile(path, 'utf8')) as OrbDef;
}

// ---------------------------------------------------------------------------------------------
// Errors

/** A config compile error, worded like CircleCI's ("Error calling job: 'x'" lines first). */
export class CircleConfigError extends Error {
  override name = 'CircleConfigError';
  constructor(
    readonly chain: string[],
    readonly problem: string,
  ) {
    super([...chain, problem].join('\n'));
  }
}

// ---------------------------------------------------------------------------------------------
// Namespaces: where names resolve (a config, or an orb under its alias)

export interface Namespace {
  /** '' for the config itself, the alias (`teleport`) for an orb. */
  alias: string;
  commands: Record<string, CommandDef>;
  jobs: Record<string, JobDef>;
  executors: Record<string, ExecutorDef>;
  orbs: Record<string, Namespace>;
}

export function orbNamespace(orb: OrbDef, alias: string): Namespace {
  return {
    alias,
    commands: orb.commands ?? {},
    jobs: orb.jobs ?? {},
    executors: orb.executors ?? {},
    orbs: {},
  };
}

/**
 * A config's namespace. Its `orbs:` entries are inline orbs (objects) or registry references
 * (`teleport-actions/teleport@1`), which `registry` maps to orb definitions by name (without
 * the version): a test points the published name at the packed orb.
 */
export function configNamespace(
  config: ConfigDef,
  registry: Record<string, OrbDef> = {},
): Namespace {
  const orbs: Record<string, Namespace> = {};
  for (const [alias, ref] of Object.entries(config.orbs ?? {})) {
    if (typeof ref === 'object' && ref !== null) {
      orbs[alias] = orbNamespace(ref as OrbDef, alias);
      continue;
    }
    const name = String(ref).replace(/@.*$/, '');
    const orb = registry[name];
    if (!orb) {
      throw new CircleConfigError([], `Cannot find orb '${String(ref)}' (alias '${alias}')`);
    }
    orbs[alias] = orbNamespace(orb, alias);
  }
  return {
    alias: '',
    commands: config.commands ?? {},
    jobs: config.jobs ?? {},
    executors: config.executors ?? {},
    orbs,
  };
}

type Kind = 'commands' | 'jobs' | 'executors';

function lookup<K extends Kind>(
  ns: Namespace,
  kind: K,
  name: string,
): { def: Namespace[K][string]; ns: Namespace; display: string } | undefined {
  const slash = name.indexOf('/');
  if (slash >= 0) {
    const sub = ns.orbs[name.slice(0, slash)];
    const rest = name.slice(slash + 1);
    const def = sub?.[kind][rest] as Namespace[K][string] | undefined;
    return sub && def ? { def, ns: sub, display: `${sub.alias}/${rest}` } : undefined;
  }
  const def = ns[kind][name] as Namespace[K][string] | undefined;
  if (!def) return undefined;
  return { def, ns, display: ns.alias ? `${ns.alias}/${name}` : name };
}

// ---------------------------------------------------------------------------------------------
// Pipeline values and parameter expansion

export interface PipelineValues {
  id: string;
  number: number;
  parameters: Record<string, unknown>;
  git: { branch: string; revision: string; base_revision: string; tag: string };
  project: { git_url: string; type: string };
  trigger_source: string;
}

export function pipelineValues(overrides: Partial<PipelineValues> = {}): PipelineValues {
  return {
    id: overrides.id ?? newId(),
    number: overrides.number ?? 1,
    parameters: overrides.parameters ?? {},
    git: {
      branch: 'main',
      revision: 'c0ffee0000000000000000000000000000000000',
      base_revision: '',
      tag: '',
      ...overrides.git,
    },
    project: {
      git_url: 'https://github.com/example/project',
      type: 'github',
      ...overrides.project,
    },
    trigger_source: overrides.trigger_source ?? 'webhook',
  };
}

interface Scope {
  params: Record<string, unknown>;
  declared: Set<string>;
  pipeline: PipelineValues;
  chain: string[];
}

/** Steps already resolved in their own scope (the value of a `steps` parameter). */
class ResolvedSteps {
  constructor(readonly steps: PlannedStep[]) {}
}

const REFERENCE = /\\<<|<<\s*([\w.-]+)\s*>>/g;
const WHOLE_REFERENCE = /^\s*<<\s*([\w.-]+)\s*>>\s*$/;

function reference(name: string, scope: Scope): unknown {
  if (name.startsWith('parameters.')) {
    const key = name.slice('parameters.'.length);
    if (!scope.declared.has(key)) {
      throw new CircleConfigError(
        scope.chain,
        `Arguments referenced without declared parameters: ${key}`,
      );
    }
    return scope.params[key];
  }
  if (name.startsWith('pipeline.parameters.')) {
    const key = name.slice('pipeline.parameters.'.length);
    if (!(key in scope.pipeline.parameters)) {
      throw new CircleConfigError(scope.chain, `Unknown variable(s): ${name}`);
    }
    return scope.pipeline.parameters[key];
  }
  if (name.startsWith('pipeline.')) {
    let value: unknown = scope.pipeline;
    for (const part of name.split('.').slice(1)) {
      value =
        typeof value === 'object' && value !== null
          ? (value as Record<string, unknown>)[part]
          : undefined;
    }
    if (value === undefined || (typeof value === 'object' && value !== null)) {
      throw new CircleConfigError(scope.chain, `Unknown variable(s): ${name}`);
    }
    return value;
  }
  throw new CircleConfigError(scope.chain, `Unknown variable(s): ${name}`);
}

function asText(value: unknown, name: string, scope: Scope): string {
  if (value instanceof ResolvedSteps || (typeof value === 'object' && value !== null)) {
    throw new CircleConfigError(scope.chain, `${name} cannot be used inside a string`);
  }
  return value === null || value === undefined ? '' : String(value);
}

/** Expands references in one string; exactly one reference keeps the value's type. */
function expandString(text: string, scope: Scope): unknown {
  const whole = WHOLE_REFERENCE.exec(text);
  if (whole?.[1]) return reference(whole[1], scope);
  return text.replace(REFERENCE, (match, name: string | undefined) =>
    name === undefined || match === '\\<<' ? '<<' : asText(reference(name, scope), name, scope),
  );
}

function expandDeep(value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') return expandString(value, scope);
  if (value instanceof ResolvedSteps) return value;
  if (Array.isArray(value)) return value.map((v) => expandDeep(v, scope));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, expandDeep(v, scope)]),
    );
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Arguments

function typeName(value: unknown): string {
  if (Array.isArray(value) || value instanceof ResolvedSteps) return 'sequence';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float';
  if (typeof value === 'object') return 'map';
  return typeof value;
}

function typeError(name: string, expected: string, value: unknown): string {
  const shown = value instanceof ResolvedSteps ? '[steps]' : JSON.stringify(value);
  return `Type error for argument ${name}: expected type: ${expected}, actual value: ${shown} (type ${typeName(value)})`;
}

function checkType(name: string, def: ParameterDef, value: unknown): string | undefined {
  switch (def.type) {
    case 'string':
      return typeof value === 'string' ? undefined : typeError(name, 'string', value);
    case 'boolean':
      return typeof value === 'boolean' ? undefined : typeError(name, 'boolean', value);
    case 'integer':
      return Number.isInteger(value) ? undefined : typeError(name, 'integer', value);
    case 'enum': {
      const allowed = def.enum ?? [];
      const expected = `enum (${allowed.map((v) => JSON.stringify(v)).join(' ')})`;
      return typeof value === 'string' && allowed.includes(value)
        ? undefined
        : typeError(name, expected, value);
    }
    case 'env_var_name':
      return typeof value === 'string' && /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(value)
        ? undefined
        : typeError(name, 'env_var_name', value);
    case 'steps':
      return value instanceof ResolvedSteps ? undefined : typeError(name, 'steps', value);
    case 'executor':
      return typeof value === 'string' || (typeof value === 'object' && value !== null)
        ? undefined
        : typeError(name, 'executor', value);
    default:
      return `Unknown parameter type '${String((def as ParameterDef).type)}' for ${name}`;
  }
}

/**
 * Binds a call's raw arguments to declared parameters: arguments are expanded in the
 * caller's scope (steps arguments resolved there, in the caller's namespace), checked, and
 * defaults filled in.
 */
function bindArguments(
  params: Record<string, ParameterDef> | undefined,
  rawArgs: Record<string, unknown>,
  caller: { scope: Scope; ns: Namespace; origin: string },
  callee: { ns: Namespace; chain: string[]; origin: string; pipeline: PipelineValues },
): Scope {
  const declared = params ?? {};
  const unexpected = Object.keys(rawArgs).filter((k) => !(k in declared));
  if (unexpected.length > 0) {
    throw new CircleConfigError(callee.chain, `Unexpected argument(s): ${unexpected.join(', ')}`);
  }
  const missing = Object.entries(declared)
    .filter(([k, d]) => !(k in rawArgs) && d.default === undefined)
    .map(([k]) => k);
  if (missing.length > 0) {
    throw new CircleConfigError(
      callee.chain,
      `Missing required argument(s): ${missing.join(', ')}`,
    );
  }
  const values: Record<string, unknown> = {};
  const errors: string[] = [];
  const defaultScope: Scope = {
    params: {},
    declared: new Set(),
    pipeline: callee.pipeline,
    chain: callee.chain,
  };
  for (const [name, def] of Object.entries(declared)) {
    let value: unknown;
    if (name in rawArgs) {
      const raw = rawArgs[name];
      value =
        def.type === 'steps'
          ? new ResolvedSteps(resolveSteps(raw, caller.scope, caller.ns, caller.origin))
          : expandDeep(raw, caller.scope);
    } else {
      value =
        def.type === 'steps'
          ? new ResolvedSteps(resolveSteps(def.default, defaultScope, callee.ns, callee.origin))
          : def.default;
    }
    const problem = checkType(name, def, value);
    if (problem) errors.push(problem);
    values[name] = value;
  }
  if (errors.length > 0) throw new CircleConfigError(callee.chain, errors.join('\n'));
  return {
    params: values,
    declared: new Set(Object.keys(declared)),
    pipeline: callee.pipeline,
    chain: callee.chain,
  };
}

// ---------------------------------------------------------------------------------------------
// Steps

export interface PlannedRun {
  kind: 'run';
  name: string;
  command: string;
  environment: Record<string, string>;
  shell?: string;
  workingDirectory?: string;
  when: 'on_success' | 'on_fail' | 'always';
  background: boolean;
  /** Which job or command the step comes from, e.g. `teleport/auth_ssh`. */
  origin: string;
}

export interface PlannedBuiltin {
  kind: 'builtin';
  type: string;
  name: string;
  args: unknown;
  origin: string;
}

export type PlannedStep = PlannedRun | PlannedBuiltin;

const BUILTIN_STEPS = new Set([
  'checkout',
  'setup_remote_docker',
  'save_cache',
  'restore_cache',
  'store_artifacts',
  'store_test_results',
  'persist_to_workspace',
  'attach_workspace',
  'add_ssh_keys',
  'deploy',
]);

const CACHE_STEPS = new Set(['save_cache', 'restore_cache']);

/** CircleCI's truthiness for logic statements: false, null, 0, NaN, '' are false. */
function truthy(value: unknown): boolean {
  return !(
    value === false ||
    value === null ||
    value === undefined ||
    value === 0 ||
    value === '' ||
    Number.isNaN(value)
  );
}

function evaluate(logic: unknown, scope: Scope): boolean {
  if (typeof logic !== 'object' || logic === null || Array.isArray(logic)) return truthy(logic);
  const entries = Object.entries(logic as Record<string, unknown>);
  const [op, arg] = entries[0] ?? [];
  if (entries.length !== 1) throw new CircleConfigError(scope.chain, 'Invalid logic statement');
  const list = (v: unknown) => (Array.isArray(v) ? v : [v]);
  switch (op) {
    case 'and':
      return list(arg).every((v) => evaluate(v, scope));
    case 'or':
      return list(arg).some((v) => evaluate(v, scope));
    case 'not':
      return !evaluate(arg, scope);
    case 'equal': {
      const values = list(arg).map((v) => JSON.stringify(v));
      return values.every((v) => v === values[0]);
    }
    case 'matches': {
      const { pattern, value } = arg as { pattern: string; value: string };
      return new RegExp(`^(?:${pattern})$`).test(String(value));
    }
    default:
      return truthy(logic);
  }
}

function runStep(raw: unknown, scope: Scope, origin: string): PlannedRun {
  const v = expandDeep(raw, scope);
  const spec: Record<string, unknown> =
    typeof v === 'string' ? { command: v } : (v as Record<string, unknown>);
  if (typeof spec.command !== 'string') {
    throw new CircleConfigError(scope.chain, "A 'run' step needs a 'command'");
  }
  const environment: Record<string, string> = {};
  for (const [k, val] of Object.entries(envMap(spec.environment))) environment[k] = val;
  const when = (spec.when as PlannedRun['when'] | undefined) ?? 'on_success';
  if (!['on_success', 'on_fail', 'always'].includes(when)) {
    throw new CircleConfigError(scope.chain, `Invalid 'when' for a run step: ${String(when)}`);
  }
  return {
    kind: 'run',
    name:
      typeof spec.name === 'string' && spec.name
        ? spec.name
        : (spec.command.split('\n')[0] ?? spec.command),
    command: spec.command,
    environment,
    ...(typeof spec.shell === 'string' ? { shell: spec.shell } : {}),
    ...(typeof spec.working_directory === 'string'
      ? { workingDirectory: spec.working_directory }
      : {}),
    when,
    background: spec.background === true,
    origin,
  };
}

/** An `environment:` value (map, or list of maps) as strings. */
function envMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (m: unknown) => {
    if (Array.isArray(m)) m.forEach(add);
    else if (typeof m === 'object' && m !== null) {
      for (const [k, v] of Object.entries(m))
        out[k] = v === null || v === undefined ? '' : String(v);
    }
  };
  add(value);
  return out;
}

/** Resolves a list of steps in a scope and namespace into run and builtin steps. */
function resolveSteps(raw: unknown, scope: Scope, ns: Namespace, origin: string): PlannedStep[] {
  if (raw === undefined || raw === null) return [];
  if (raw instanceof ResolvedSteps) return raw.steps;
  if (typeof raw === 'string') {
    const value = expandString(raw, scope);
    if (typeof value === 'string') {
      throw new CircleConfigError(
        scope.chain,
        `Expected a list of steps, got ${JSON.stringify(value)}`,
      );
    }
    return resolveSteps(value, scope, ns, origin);
  }
  if (!Array.isArray(raw)) {
    throw new CircleConfigError(scope.chain, `Expected a list of steps, got ${typeName(raw)}`);
  }
  const out: PlannedStep[] = [];
  for (const item of raw) {
    let key: string;
    let value: unknown;
    if (typeof item === 'string') {
      const whole = WHOLE_REFERENCE.exec(item);
      if (whole) {
        out.push(...resolveSteps(item, scope, ns, origin));
        continue;
      }
      key = item;
      value = undefined;
    } else if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
      const entries = Object.entries(item as Record<string, unknown>);
      if (entries.length !== 1 || !entries[0]) {
        throw new CircleConfigError(scope.chain, 'A step must be a map with exactly one key');
      }
      [key, value] = entries[0];
    } else {
      throw new CircleConfigError(scope.chain, `Invalid step: ${JSON.stringify(item)}`);
    }

    if (key === 'run') {
      out.push(runStep(value, scope, origin));
    } else if (key === 'when' || key === 'unless') {
      const spec = value as { condition?: unknown; steps?: unknown };
      const condition = evaluate(expandDeep(spec.condition, scope), scope);
      if (condition === (key === 'when')) {
        out.push(...resolveSteps(spec.steps, scope, ns, origin));
      }
    } else if (key === 'steps') {
      out.push(...resolveSteps(value, scope, ns, origin));
    } else if (BUILTIN_STEPS.has(key)) {
      const args = expandDeep(value ?? {}, scope);
      const named = (args as { name?: unknown } | null)?.name;
      out.push({
        kind: 'builtin',
        type: key,
        name: typeof named === 'string' && named ? named : key,
        args,
        origin,
      });
    } else {
      const found = lookup(ns, 'commands', key);
      if (!found) {
        throw new CircleConfigError(
          scope.chain,
          `Cannot find a definition for command named ${key}`,
        );
      }
      const chain = [...scope.chain, `Error calling command: '${found.display}'`];
      const rawArgs = (value ?? {}) as Record<string, unknown>;
      if (typeof rawArgs !== 'object' || Array.isArray(rawArgs)) {
        throw new CircleConfigError(chain, 'Command arguments must be a map');
      }
      const inner = bindArguments(
        found.def.parameters,
        rawArgs,
        { scope, ns, origin },
        { ns: found.ns, chain, origin: found.display, pipeline: scope.pipeline },
      );
      out.push(...resolveSteps(found.def.steps, inner, found.ns, found.display));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Jobs

/** Keys a workflow puts on a job invocation that are not job parameters. */
const WORKFLOW_KEYS = new Set([
  'name',
  'context',
  'requires',
  'filters',
  'matrix',
  'type',
  'pre-steps',
  'post-steps',
  'serial-group',
  'override-with',
]);

export interface JobInvocation {
  /** `teleport/deploy_over_ssh`, or a job of the config. */
  job: string;
  args?: Record<string, unknown>;
  context?: string | string[];
  preSteps?: unknown[];
  postSteps?: unknown[];
  /** Shown in errors, like CircleCI's "Error calling workflow". */
  workflow?: string;
}

export interface JobPlan {
  name: string;
  steps: PlannedStep[];
  contexts: string[];
  environment: Record<string, string>;
  workingDirectory: string;
  shell?: string;
  image?: string;
}

function resolveExecutor(
  raw: unknown,
  scope: Scope,
  ns: Namespace,
  origin: string,
): ExecutorDef & { image?: string } {
  // `executor: name`, `executor: << parameters.executor >>` or `executor: {name, ...args}`;
  // arguments are expanded once, in the job's scope, when they are bound.
  let spec = typeof raw === 'string' ? expandString(raw, scope) : raw;
  if (typeof spec === 'string') spec = { name: spec };
  const { name, ...rawArgs } = (spec ?? {}) as Record<string, unknown>;
  if (typeof name !== 'string') {
    throw new CircleConfigError(scope.chain, 'An executor reference needs a name');
  }
  const found = lookup(ns, 'executors', name);
  if (!found) {
    throw new CircleConfigError(scope.chain, `Cannot find a definition for executor named ${name}`);
  }
  const chain = [...scope.chain, `Error calling executor: '${found.display}'`];
  const inner = bindArguments(
    found.def.parameters,
    rawArgs,
    { scope, ns, origin },
    { ns: found.ns, chain, origin: found.display, pipeline: scope.pipeline },
  );
  const { parameters: _p, description: _d, ...body } = found.def;
  const def = expandDeep(body, inner) as ExecutorDef;
  return { ...def, ...(def.docker?.[0]?.image ? { image: def.docker[0].image } : {}) };
}

/** Compiles a job invocation into its steps, as CircleCI does before running anything. */
export function planJob(
  ns: Namespace,
  invocation: JobInvocation,
  pipeline: PipelineValues = pipelineValues(),
): JobPlan {
  const base = invocation.workflow ? [`Error calling workflow: '${invocation.workflow}'`] : [];
  const found = lookup(ns, 'jobs', invocation.job);
  if (!found) {
    throw new CircleConfigError(base, `Cannot find a definition for job named ${invocation.job}`);
  }
  const chain = [...base, `Error calling job: '${found.display}'`];
  const callerScope: Scope = { params: {}, declared: new Set(), pipeline, chain: base };
  const jobScope = bindArguments(
    found.def.parameters,
    invocation.args ?? {},
    { scope: callerScope, ns, origin: 'workflow' },
    { ns: found.ns, chain, origin: found.display, pipeline },
  );
  const job = found.def;
  const executor: ExecutorDef & { image?: string } =
    job.executor !== undefined
      ? resolveExecutor(job.executor, jobScope, found.ns, found.display)
      : (expandDeep({ docker: job.docker }, jobScope) as ExecutorDef);
  const image = executor.image ?? executor.docker?.[0]?.image;
  const steps = [
    ...resolveSteps(invocation.preSteps ?? [], callerScope, ns, 'pre-steps'),
    ...resolveSteps(job.steps, jobScope, found.ns, found.display),
    ...resolveSteps(invocation.postSteps ?? [], callerScope, ns, 'post-steps'),
  ];
  const environment = {
    ...envMap(executor.docker?.[0]?.environment),
    ...envMap(executor.environment),
    ...envMap(expandDeep(job.environment, jobScope)),
  };
  const workingDirectory = String(
    expandDeep(job.working_directory, jobScope) ?? executor.working_directory ?? '~/project',
  );
  const shell = (expandDeep(job.shell, jobScope) as string | undefined) ?? executor.shell;
  const contexts = invocation.context
    ? Array.isArray(invocation.context)
      ? invocation.context
      : [invocation.context]
    : [];
  return {
    name: found.display,
    steps,
    contexts,
    environment,
    workingDirectory,
    ...(shell ? { shell } : {}),
    ...(typeof image === 'string' ? { image } : {}),
  };
}

/** A workflow's job entries as invocations (`- job` or `- job: {args, context, ...}`). */
export function workflowInvocations(config: ConfigDef, workflow: string): JobInvocation[] {
  const wf = config.workflows?.[workflow];
  if (!wf) throw new CircleConfigError([], `Cannot find a workflow named ${workflow}`);
  return (wf.jobs ?? []).map((entry) => {
    if (typeof entry === 'string') return { job: entry, workflow };
    const [job, spec] = Object.entries(entry as Record<string, unknown>)[0] ?? [];
    if (!job) throw new CircleConfigError([], `Invalid job entry in workflow ${workflow}`);
    const fields = (spec ?? {}) as Record<string, unknown>;
    const args = Object.fromEntries(Object.entries(fields).filter(([k]) => !WORKFLOW_KEYS.has(k)));
    const context = fields.context as string | string[] | undefined;
    return {
      job,
      args,
      workflow,
      ...(context ? { context } : {}),
      ...(Array.isArray(fields['pre-steps']) ? { preSteps: fields['pre-steps'] } : {}),
      ...(Array.isArray(fields['post-steps']) ? { postSteps: fields['post-steps'] } : {}),
    };
  });
}

/** Every job of every workflow of a config, compiled (a config "validates" when this passes). */
export function planConfig(
  config: ConfigDef,
  registry: Record<string, OrbDef> = {},
  pipeline: PipelineValues = pipelineValues(),
): JobPlan[] {
  const ns = configNamespace(config, registry);
  const plans: JobPlan[] = [];
  for (const workflow of Object.keys(config.workflows ?? {})) {
    for (const inv of workflowInvocations(config, workflow)) plans.push(planJob(ns, inv, pipeline));
  }
  return plans;
}

// ---------------------------------------------------------------------------------------------
// Running

export interface RunOptions {
  /** Project-level variables for every step (above CircleCI's built-ins, below contexts). */
  env?: Record<string, string>;
  /** Folders put in front of PATH for every step (e.g. a fake or real teleport-ci). */
  pathPrepend?: string[];
  /** Variables copied from this process (default: PATH, LANG, USER, LOGNAME, TERM, TZ). */
  inherit?: string[];
  /** Variables of each context, by name; a job gets those of the contexts it uses. */
  contexts?: Record<string, Record<string, string>>;
  /** The OIDC token CircleCI issues: CIRCLE_OIDC_TOKEN(_V2) in every job; none when left out. */
  oidc?: { token: string; tokenV2?: string };
  /** Scratch folder for the job (BASH_ENV, scripts, HOME); a fresh one when not given. */
  root?: string;
  /** HOME for the steps (default: `<root>/home`). */
  home?: string;
  /** Put a stand-in `circleci` (only `circleci env subst`) on PATH; default true. */
  circleciCli?: boolean;
  /**
   * The image's programs (a folder standing in for its /bin): the steps' whole PATH (after
   * `pathPrepend` and the stand-in `circleci`), where `/bin/sh` and `/bin/bash` of a `shell:`
   * are found, and whose `bash` decides CircleCI's default shell. Default: the host's.
   */
  imageBin?: string;
  /** Where save_cache stores and restore_cache finds caches (shared by jobs); none: skipped. */
  cacheDir?: string;
  /** Per-step time limit (CircleCI's no_output_timeout is 10m); default 120 s. */
  stepTimeoutMs?: number;
  pipeline?: PipelineValues;
  buildNum?: number;
}

export interface StepResult {
  name: string;
  origin: string;
  kind: 'run' | 'builtin';
  status: 'success' | 'failed' | 'skipped';
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they came. */
  output: string;
  command?: string;
  /** The step's environment (run steps). */
  env?: Record<string, string>;
}

export interface JobResult {
  name: string;
  success: boolean;
  steps: StepResult[];
  /** `$BASH_ENV` as the job left it. */
  bashEnv: string;
  root: string;
  home: string;
  workingDirectory: string;
}

const DEFAULT_INHERIT = ['PATH', 'LANG', 'USER', 'LOGNAME', 'TERM', 'TZ'];
/** CircleCI's default shell on Linux: bash when the image has it, else sh. */
const defaultShell = (hasBash: boolean) => `${hasBash ? '/bin/bash' : '/bin/sh'} -eo pipefail`;

// Stand-in for the CircleCI agent's `circleci` command: only `circleci env subst`, which
// replaces $NAME and ${NAME} with the variable's value (empty when unset), like envsubst.
const CIRCLECI_STANDIN_JS = `const args = process.argv.slice(2);
if (args[0] === 'env' && args[1] === 'subst') {
  const input = args.length > 2 ? args.slice(2).join(' ') : require('node:fs').readFileSync(0, 'utf8');
  const re = /\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)\\}|([A-Za-z_][A-Za-z0-9_]*))/g;
  process.stdout.write(input.replace(re, (_m, a, b) => process.env[a ?? b] ?? ''));
} else {
  process.stderr.write('circleci (test stand-in): only "circleci env subst" is available\\n');
  process.exit(2);
}
`;
// The agent's `circleci` is a static program, so the stand-in runs in images without bash or
// Node.js: sh and an absolute path to this process's node.
const circleciStandinSh = (js: string) => `#!/bin/sh
exec ${JSON.stringify(process.execPath)} ${JSON.stringify(js)} "$@"
`;

function expandHome(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return path;
}

interface Spawned {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  output: string;
  timedOut: boolean;
}

function runProcess(
  argv: string[],
  opts: { cwd: string; env: Record<string, string>; timeoutMs: number; background?: boolean },
  onStart?: (kill: () => void) => void,
): Promise<Spawned> {
  return new Promise((done) => {
    const [file, ...args] = argv;
    const child = spawn(file ?? 'bash', args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    onStart?.(kill);
    let stdout = '';
    let stderr = '';
    let output = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      output += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      output += d;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      done({ exitCode: 127, stdout, stderr: stderr + err.message, output, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ exitCode: timedOut ? null : code, stdout, stderr, output, timedOut });
    });
  });
}

interface StepShell {
  argv: string[];
  /** A login shell: reads the image's /etc/profile and ~/.profile first. */
  login: boolean;
}

/**
 * A `shell:` value as the program to run: `/bin/sh -leo pipefail` runs the image's `sh` with
 * `-eo pipefail`, the login part done by the interpreter (a real `-l` would read the host's
 * profile files). Undefined when the image has no such program.
 */
function stepShell(spec: string, imageBin: string | undefined): StepShell | undefined {
  const [program = 'bash', ...flags] = spec.split(/\s+/).filter(Boolean);
  let login = false;
  const args: string[] = [];
  for (const flag of flags) {
    if (flag === '--login') {
      login = true;
    } else if (/^-[a-z]+$/i.test(flag) && flag.includes('l')) {
      login = true;
      if (flag !== '-l') args.push(flag.replace(/l/g, ''));
    } else {
      args.push(flag);
    }
  }
  let file = program;
  if (imageBin) {
    // /bin/sh, /usr/bin/env-less names and bare names all mean the image's program.
    file = join(imageBin, basename(program));
    if (!existsSync(file)) return undefined;
  }
  return { argv: [file, ...args], login };
}

/** What a login shell reads before the step: the image's /etc/profile, then ~/.profile. */
function loginPrelude(profile: string): string {
  const quoted = `'${profile.replace(/'/g, "'\\''")}'`;
  return [
    `if [ -f ${quoted} ]; then . ${quoted}; fi`,
    'if [ -f "$HOME/.profile" ]; then . "$HOME/.profile"; fi',
    '',
  ].join('\n');
}

/** CircleCI's cache key templates, expanded in a step's environment. */
async function cacheKey(
  template: string,
  env: Record<string, string>,
  cwd: string,
  home: string,
): Promise<string> {
  const parts: string[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{\{\s*(.*?)\s*\}\}/g)) {
    parts.push(template.slice(last, m.index));
    last = (m.index ?? 0) + m[0].length;
    const expr = m[1] ?? '';
    const checksum = /^checksum\s+"([^"]+)"$/.exec(expr);
    const envVar = /^\.Environment\.(\w+)$/.exec(expr);
    if (checksum?.[1]) {
      const file = resolve(cwd, expandHome(checksum[1], home));
      const data = await readFile(file).catch(() => {
        throw new Error(`save_cache: cannot checksum ${checksum[1]}: no such file`);
      });
      parts.push(createHash('sha256').update(data).digest('hex'));
    } else if (envVar?.[1]) {
      parts.push(env[envVar[1]] ?? '<no value>');
    } else if (expr === 'arch') {
      parts.push(`arch1-linux-${arch() === 'x64' ? 'amd64' : arch()}-6_85`);
    } else if (expr === 'epoch') {
      parts.push(String(Math.floor(Date.now() / 1000)));
    } else if (expr === '.Branch') {
      parts.push(env.CIRCLE_BRANCH ?? '');
    } else if (expr === '.Revision') {
      parts.push(env.CIRCLE_SHA1 ?? '');
    } else {
      throw new Error(`cache key template {{ ${expr} }} is not emulated`);
    }
  }
  parts.push(template.slice(last));
  return parts.join('');
}

/** Cache keys are file names in the store: anything but [\w.-] is escaped. */
const keyFile = (key: string) => encodeURIComponent(key).replace(/%/g, '~');

/** save_cache / restore_cache against `store` (see the top); the step's output as text. */
async function runCacheStep(
  step: PlannedBuiltin,
  store: string,
  env: Record<string, string>,
  cwd: string,
  home: string,
): Promise<string> {
  const args = (step.args ?? {}) as { key?: string; keys?: string[]; paths?: string[] };
  if (step.type === 'save_cache') {
    const key = await cacheKey(String(args.key ?? ''), env, cwd, home);
    const dest = join(store, keyFile(key));
    if (existsSync(dest))
      return `Skipping cache generation, cache already exists for key: ${key}\n`;
    const staging = `${dest}.saving-${newId()}`;
    let saved = 0;
    for (const path of args.paths ?? []) {
      const from = resolve(cwd, expandHome(path, home));
      if (!existsSync(from)) continue;
      // Kept under its absolute path, as CircleCI's archive does; modes are preserved.
      await cp(from, join(staging, from), { recursive: true, preserveTimestamps: true });
      saved += 1;
    }
    if (saved === 0) return `No paths to save for key ${key}\n`;
    await mkdir(store, { recursive: true });
    await cp(staging, dest, { recursive: true, preserveTimestamps: true });
    return `Stored cache with key ${key}\n`;
  }
  const names = await readdir(store).catch(() => [] as string[]);
  for (const template of args.keys ?? (args.key ? [args.key] : [])) {
    const key = await cacheKey(template, env, cwd, home);
    const exact = names.find((n) => n === keyFile(key));
    const candidates = exact
      ? [exact]
      : names.filter((n) => n.startsWith(keyFile(key)) && !n.includes('.saving-'));
    if (candidates.length === 0) continue;
    const times = await Promise.all(
      candidates.map(async (n) => (await stat(join(store, n))).mtimeMs),
    );
    const newest = candidates[times.indexOf(Math.max(...times))] as string;
    await cp(join(store, newest), '/', { recursive: true, preserveTimestamps: true, force: true });
    return `Found a cache from key ${decodeURIComponent(newest.replace(/~/g, '%'))}\n`;
  }
  return 'No cache is found for any of the keys\n';
}

/** Runs a compiled job's steps the way a CircleCI docker executor would (see the top). */
export async function runJob(plan: JobPlan, opts: RunOptions = {}): Promise<JobResult> {
  const root = opts.root ?? (await mkdtemp(join(tmpdir(), 'circleci-job-')));
  await mkdir(root, { recursive: true });
  const home = opts.home ?? join(root, 'home');
  const binDir = join(root, 'bin');
  const scriptsDir = join(root, 'steps');
  await Promise.all([mkdir(home, { recursive: true }), mkdir(binDir), mkdir(scriptsDir)]);
  // Named, not created: CircleCI's $BASH_ENV file exists only once a step writes to it.
  const bashEnvFile = join(root, `.bash_env-${newId()}`);
  // The image's /etc/profile (empty, as on Alpine a job's BASH_ENV: /etc/profile starts out).
  const imageProfile = join(root, 'etc', 'profile');
  await mkdir(dirname(imageProfile), { recursive: true });
  await writeFile(imageProfile, '');
  const hasBash = opts.imageBin ? existsSync(join(opts.imageBin, 'bash')) : bashAvailable;
  if (opts.circleciCli ?? true) {
    await writeFile(join(binDir, 'circleci.cjs'), CIRCLECI_STANDIN_JS);
    await writeExecutable(binDir, 'circleci', circleciStandinSh(join(binDir, 'circleci.cjs')));
  }
  const workingDirectory = resolve(home, expandHome(plan.workingDirectory, home));
  await mkdir(workingDirectory, { recursive: true });

  const pipeline = opts.pipeline ?? pipelineValues();
  const buildNum = opts.buildNum ?? 1;
  const inherited: Record<string, string> = {};
  for (const name of opts.inherit ?? DEFAULT_INHERIT) {
    const value = process.env[name];
    if (value !== undefined) inherited[name] = value;
  }
  const builtins: Record<string, string> = {
    CI: 'true',
    CIRCLECI: 'true',
    HOME: home,
    BASH_ENV: bashEnvFile,
    CIRCLE_BRANCH: pipeline.git.branch,
    CIRCLE_SHA1: pipeline.git.revision,
    CIRCLE_BUILD_NUM: String(buildNum),
    CIRCLE_BUILD_URL: `https://circleci.com/gh/example/project/${buildNum}`,
    CIRCLE_JOB: plan.name,
    CIRCLE_NODE_INDEX: '0',
    CIRCLE_NODE_TOTAL: '1',
    CIRCLE_PROJECT_USERNAME: 'example',
    CIRCLE_PROJECT_REPONAME: 'project',
    CIRCLE_REPOSITORY_URL: pipeline.project.git_url,
    CIRCLE_USERNAME: 'ci-user',
    CIRCLE_WORKFLOW_ID: newId(),
    CIRCLE_WORKFLOW_JOB_ID: newId(),
    CIRCLE_WORKFLOW_WORKSPACE_ID: newId(),
    CIRCLE_WORKING_DIRECTORY: workingDirectory,
    ...(pipeline.git.tag ? { CIRCLE_TAG: pipeline.git.tag } : {}),
  };
  const contextEnv: Record<string, string> = {};
  for (const name of plan.contexts) Object.assign(contextEnv, opts.contexts?.[name] ?? {});
  const oidc: Record<string, string> = opts.oidc
    ? {
        CIRCLE_OIDC_TOKEN: opts.oidc.token,
        CIRCLE_OIDC_TOKEN_V2: opts.oidc.tokenV2 ?? opts.oidc.token,
      }
    : {};

  const results: StepResult[] = [];
  const background: (() => void)[] = [];
  let failed = false;
  let index = 0;
  for (const step of plan.steps) {
    index += 1;
    if (step.kind === 'builtin' && opts.cacheDir && CACHE_STEPS.has(step.type) && !failed) {
      const env = { ...inherited, ...builtins, ...opts.env, ...contextEnv, ...plan.environment };
      let output: string;
      let ok = true;
      try {
        output = await runCacheStep(step, opts.cacheDir, env, workingDirectory, home);
      } catch (err) {
        output = `${(err as Error).message}\n`;
        ok = false;
        failed = true;
      }
      results.push({
        name: step.name,
        origin: step.origin,
        kind: 'builtin',
        status: ok ? 'success' : 'failed',
        exitCode: ok ? 0 : 1,
        stdout: ok ? output : '',
        stderr: ok ? '' : output,
        output,
      });
      continue;
    }
    if (step.kind === 'builtin') {
      results.push({
        name: step.name,
        origin: step.origin,
        kind: 'builtin',
        status: 'skipped',
        exitCode: null,
        stdout: '',
        stderr: '',
        output: `${step.type}: not emulated by the test interpreter\n`,
      });
      continue;
    }
    const runs = step.when === 'always' || (step.when === 'on_success' ? !failed : failed);
    if (!runs) {
      results.push({
        name: step.name,
        origin: step.origin,
        kind: 'run',
        status: 'skipped',
        exitCode: null,
        stdout: '',
        stderr: '',
        output: '',
        command: step.command,
      });
      continue;
    }
    const env: Record<string, string> = {
      ...inherited,
      ...builtins,
      ...opts.env,
      ...contextEnv,
      ...oidc,
      ...plan.environment,
      ...step.environment,
    };
    const imagePath = opts.imageBin ?? env.PATH ?? '/usr/bin:/bin';
    env.PATH = [...(opts.pathPrepend ?? []), binDir, imagePath].join(':');
    if (env.BASH_ENV === '/etc/profile') env.BASH_ENV = imageProfile;
    const shellSpec = step.shell ?? plan.shell ?? defaultShell(hasBash);
    const shell = stepShell(shellSpec, opts.imageBin);
    const script = join(scriptsDir, `${String(index).padStart(2, '0')}.sh`);
    await writeFile(script, (shell?.login ? loginPrelude(imageProfile) : '') + step.command);
    if (!shell) {
      failed = true;
      const message = `${shellSpec.split(/\s+/)[0]}: no such file or directory (the image has no such shell)\n`;
      results.push({
        name: step.name,
        origin: step.origin,
        kind: 'run',
        status: 'failed',
        exitCode: 127,
        stdout: '',
        stderr: message,
        output: message,
        command: step.command,
        env,
      });
      continue;
    }
    const cwd = step.workingDirectory
      ? resolve(workingDirectory, expandHome(step.workingDirectory, home))
      : workingDirectory;
    await mkdir(cwd, { recursive: true });
    const timeoutMs = opts.stepTimeoutMs ?? 120_000;
    if (step.background) {
      void runProcess([...shell.argv, script], { cwd, env, timeoutMs }, (kill) =>
        background.push(kill),
      );
      results.push({
        name: step.name,
        origin: step.origin,
        kind: 'run',
        status: 'success',
        exitCode: null,
        stdout: '',
        stderr: '',
        output: '(running in the background)\n',
        command: step.command,
        env,
      });
      continue;
    }
    const r = await runProcess([...shell.argv, script], { cwd, env, timeoutMs });
    const ok = r.exitCode === 0;
    if (!ok) failed = true;
    results.push({
      name: step.name,
      origin: step.origin,
      kind: 'run',
      status: ok ? 'success' : 'failed',
      exitCode: r.exitCode,
      stdout: r.stdout,
      stderr: r.timedOut
        ? `${r.stderr}Too long with no output (exceeded ${timeoutMs} ms)\n`
        : r.stderr,
      output: r.output,
      command: step.command,
      env,
    });
  }
  for (const kill of background) kill();
  return {
    name: plan.name,
    success: !failed,
    steps: results,
    bashEnv: await readFile(bashEnvFile, 'utf8').catch(() => ''),
    root,
    home,
    workingDirectory,
  };
}

// ---------------------------------------------------------------------------------------------
// Conveniences

/** The registry name the orb is published under, and the alias examples use. */
export const ORB_NAME = 'teleport-actions/teleport';
export const ORB_ALIAS = 'teleport';

/** Runs one of the orb's jobs, as a workflow entry `teleport/<job>` would. */
export async function runOrbJob(
  orb: OrbDef,
  job: string,
  args: Record<string, unknown>,
  opts: RunOptions & { context?: string | string[] } = {},
): Promise<JobResult> {
  const ns = configNamespace({ orbs: { [ORB_ALIAS]: ORB_NAME } }, { [ORB_NAME]: orb });
  const plan = planJob(
    ns,
    { job: `${ORB_ALIAS}/${job}`, args, ...(opts.context ? { context: opts.context } : {}) },
    opts.pipeline,
  );
  return runJob(plan, opts);
}

/**
 * Runs one job of a config (YAML text or parsed) whose `orbs:` name the orb: the job entry of
 * `workflow` named `job` (default: the first workflow's first job), with its arguments and
 * context. The registry maps `teleport-actions/teleport` to the given orb (unless `registry`
 * says otherwise).
 */
export async function runConfigJob(
  config: string | ConfigDef,
  orb: OrbDef,
  opts: RunOptions & { workflow?: string; job?: string; registry?: Record<string, OrbDef> } = {},
): Promise<JobResult> {
  const cfg = typeof config === 'string' ? (parse(config) as ConfigDef) : config;
  const ns = configNamespace(cfg, opts.registry ?? { [ORB_NAME]: orb });
  const workflow = opts.workflow ?? Object.keys(cfg.workflows ?? {})[0];
  if (!workflow) throw new CircleConfigError([], 'The config has no workflow');
  const invocations = workflowInvocations(cfg, workflow);
  const inv = opts.job ? invocations.find((i) => i.job === opts.job) : invocations[0];
  if (!inv) throw new CircleConfigError([], `No job ${opts.job ?? ''} in workflow ${workflow}`);
  return runJob(planJob(ns, inv, opts.pipeline), opts);
}

/**
 * Runs a config `jobs:` entry (e.g. `{executor: 'teleport/default', steps: [{'teleport/auth_ssh':
 * {...}}]}`) with the orb imported as `teleport`, in a one-job workflow (with `context` if given).
 */
export async function runAdhocJob(
  orb: OrbDef,
  job: Partial<JobDef> & { steps: unknown[] },
  opts: RunOptions & { context?: string | string[] } = {},
): Promise<JobResult> {
  const entry = opts.context ? { job: { context: opts.context } } : 'job';
  const config: ConfigDef = {
    version: 2.1,
    orbs: { [ORB_ALIAS]: `${ORB_NAME}@1` },
    jobs: { job: { docker: [{ image: 'cimg/base:current' }], ...job } as JobDef },
    workflows: { adhoc: { jobs: [entry] } },
  };
  return runConfigJob(config, orb, opts);
}

/** Runs the first workflow job of one of the orb's usage examples. */
export async function runExample(
  orb: OrbDef,
  example: string,
  opts: RunOptions & { workflow?: string; job?: string } = {},
): Promise<JobResult> {
  const usage = orb.examples?.[example]?.usage;
  if (!usage) throw new Error(`The orb has no example named ${example}`);
  return runConfigJob(usage, orb, opts);
}

/** Writes an executable script (e.g. a fake teleport-ci) into dir and returns its path. */
export async function writeExecutable(dir: string, name: string, text: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, text);
  await chmod(path, 0o755);
  return path;
}

/** Whether bash is where the default shell expects it. */
export const bashAvailable = existsSync('/bin/bash');
export const interpreterDir = dirname(fileURLToPath(import.meta.url));
