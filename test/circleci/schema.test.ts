// The packed orb, its examples and a config that uses all of it inline pass CircleCI's own
// JSON Schema (fixtures/circleci-config.schema.json); broken orbs do not.
import { describe, expect, it } from 'vitest';
import { loadOrb, type OrbDef, planConfig } from './interpreter';
import { circleciValidator, formatErrors, runStepKeys, runSteps, syntheticConfig } from './schema';

const orb = await loadOrb();
const validate = circleciValidator();

function errorsOf(doc: unknown): string {
  return validate(doc) ? '' : formatErrors(validate.errors) || 'invalid';
}

const clone = (o: OrbDef): OrbDef => structuredClone(o);

describe('CircleCI schema', () => {
  it('accepts the packed orb as orb source', () => {
    expect(errorsOf(orb)).toBe('');
  });

  it('accepts a config that uses every command and job of the orb inline', () => {
    const config = syntheticConfig(orb);
    expect(errorsOf(config)).toBe('');
    // The schema lets any step name through (orb commands are open-ended); compiling the same
    // config checks names, arguments and types as CircleCI does.
    const plans = planConfig(config);
    expect(plans.map((p) => p.name).sort()).toEqual(
      [
        ...Object.keys(orb.commands ?? {}).map((c) => `use-${c.replaceAll('_', '-')}`),
        ...Object.keys(orb.jobs ?? {}).map((j) => `teleport/${j}`),
      ].sort(),
    );
  });

  it.each(Object.keys(orb.examples ?? {}))('accepts the usage of example %s', (name) => {
    expect(errorsOf(orb.examples?.[name]?.usage)).toBe('');
  });

  it('refuses a command without steps', () => {
    const broken = clone(orb);
    delete (broken.commands!.auth_ssh as { steps?: unknown }).steps;
    expect(errorsOf(broken)).not.toBe('');
    const config = syntheticConfig(broken);
    expect(errorsOf(config)).not.toBe('');
  });

  it('refuses an unknown parameter type, a job without steps and an example without usage', () => {
    const badType = clone(orb);
    const param = badType.commands?.auth?.parameters?.proxy as { type: string };
    param.type = 'text';
    expect(errorsOf(badType)).toMatch(/\/commands\/auth\/parameters\/proxy\/type/);

    const noSteps = clone(orb);
    delete (noSteps.jobs!.deploy_over_ssh as { steps?: unknown }).steps;
    expect(errorsOf(syntheticConfig(noSteps))).not.toBe('');

    const noUsage = clone(orb);
    delete (noUsage.examples!.ssh_to_node as { usage?: unknown }).usage;
    expect(errorsOf(noUsage)).toMatch(/usage/);
  });

  // Workaround: the schema lists run's keys without `additionalProperties: false`.
  const unknownRunKeys = (o: OrbDef) =>
    runSteps(o).flatMap(({ where, run }) =>
      Object.keys(run)
        .filter((k) => !runStepKeys().has(k))
        .map((k) => `${where}.${k}`),
    );

  it('uses only the run step keys the schema lists', () => {
    expect(runSteps(orb).length).toBeGreaterThan(5);
    expect(unknownRunKeys(orb)).toEqual([]);
  });

  it('catches a misspelt run step key (which the schema alone lets through)', () => {
    const broken = clone(orb);
    const step = broken.commands?.setup?.steps?.[1] as { run: Record<string, unknown> };
    step.run.commnd = step.run.command;
    expect(errorsOf(broken)).toBe(''); // the schema's gap, documented
    expect(unknownRunKeys(broken)).toEqual(['.commands.setup.steps[1].run.commnd']);
  });
});
