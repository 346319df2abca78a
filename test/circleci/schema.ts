/**
 * CircleCI's own JSON Schema for config and orb source (draft-07, a copy kept in
 * fixtures/, see fixtures/README.md), compiled with ajv, and a synthetic config that uses every
 * command and job of an orb inline.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { type ConfigDef, ORB_ALIAS, type OrbDef, type ParameterDef } from './interpreter';

export const schemaPath = join(
  dirname(fileURLToPath(import.meta.url)),
  'fixtures',
  'circleci-config.schema.json',
);

let cached: ValidateFunction | undefined;

/** The schema's validator. It uses VS Code keywords (markdownDescription): not strict. */
export function circleciValidator(): ValidateFunction {
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (a: Ajv) => Ajv)(ajv);
  cached = ajv.compile(schema);
  return cached;
}

/**
 * The keys the schema lists for a `run` step. The schema does not set
 * `additionalProperties: false` there, so a misspelt key (`commnd`) passes it; tests check run
 * steps' keys against this list instead (a workaround, the schema itself is left as it is).
 */
export function runStepKeys(): Set<string> {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as {
    definitions: { step: { oneOf: { properties?: Record<string, { oneOf?: unknown[] }> }[] } };
  };
  for (const branch of schema.definitions.step.oneOf) {
    for (const form of branch.properties?.run?.oneOf ?? []) {
      const props = (form as { properties?: Record<string, unknown> }).properties;
      if (props) return new Set(Object.keys(props));
    }
  }
  throw new Error('no run step properties in the CircleCI schema');
}

/** Every run step (object form) under a value, with where it is. */
export function runSteps(
  value: unknown,
  where = '',
): { where: string; run: Record<string, unknown> }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => runSteps(v, `${where}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  const out: { where: string; run: Record<string, unknown> }[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (k === 'run' && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      out.push({ where: `${where}.run`, run: v as Record<string, unknown> });
    } else {
      out.push(...runSteps(v, `${where}.${k}`));
    }
  }
  return out;
}

export function formatErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
    .join('\n');
}

/** A value of the parameter's type, for calls that must pass every required argument. */
export function sampleArgument(name: string, def: ParameterDef): unknown {
  switch (def.type) {
    case 'boolean':
      return true;
    case 'integer':
      return 1;
    case 'enum':
      return def.enum?.[0] ?? '';
    case 'steps':
      return [{ run: { name: `Use ${name}`, command: 'true' } }];
    case 'executor':
      return `${ORB_ALIAS}/default`;
    case 'env_var_name':
      return 'SOME_VARIABLE';
    default:
      return name === 'proxy' ? 'teleport.example.com:443' : `sample-${name}`;
  }
}

function requiredArguments(params: Record<string, ParameterDef> | undefined) {
  return Object.fromEntries(
    Object.entries(params ?? {})
      .filter(([, d]) => d.default === undefined)
      .map(([k, d]) => [k, sampleArgument(k, d)]),
  );
}

/** The orb without its registry-only keys, usable as an inline orb. */
export function inlineOrb(orb: OrbDef): OrbDef {
  const { examples: _e, display: _d, description: _desc, version: _v, ...inline } = orb;
  return inline;
}

/**
 * A config that uses the orb inline: one job per command (called with its required
 * arguments), and a workflow running those jobs and every orb job, with a context.
 */
export function syntheticConfig(orb: OrbDef): ConfigDef {
  const jobs: Record<string, unknown> = {};
  const entries: unknown[] = [];
  for (const [name, cmd] of Object.entries(orb.commands ?? {})) {
    const job = `use-${name.replaceAll('_', '-')}`;
    jobs[job] = {
      executor: `${ORB_ALIAS}/default`,
      steps: [{ [`${ORB_ALIAS}/${name}`]: requiredArguments(cmd.parameters) }],
    };
    entries.push({ [job]: { context: 'teleport-access' } });
  }
  for (const [name, job] of Object.entries(orb.jobs ?? {})) {
    entries.push({
      [`${ORB_ALIAS}/${name}`]: {
        context: 'teleport-access',
        ...requiredArguments(job.parameters),
      },
    });
  }
  return {
    version: 2.1,
    orbs: { [ORB_ALIAS]: inlineOrb(orb) },
    jobs: jobs as ConfigDef['jobs'],
    workflows: { everything: { jobs: entries } },
  };
}
