// End to end: workflows written for the official `teleport-actions/*` actions run unchanged
// against the committed `setup` bundle and the Teleport double (the official actions'
// `action.yml` and `common/lib` are the reference).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Double, startDouble } from '../double';
import { runAction } from '../runner';
import { expectOneLineFailure, expectSuccess, filesUnder, runnerFor } from './helpers';

let double: Double;

beforeAll(async () => {
  double = await startDouble({ proxy: { serverVersion: '17.4.2', toolsVersion: '17.4.2' } });
});
afterAll(async () => {
  await double?.close();
});

describe('booleans as the official actions write them', () => {
  it("reads '1' (with spaces) as true, like the official actions", async () => {
    const job = await runAction(
      'packages/setup',
      { version: '17.4.2', enterprise: ' 1 ', cache: '0' },
      await runnerFor(double),
    );
    expectSuccess(job);
    expect(job.steps[0]!.outputs.edition).toBe('enterprise');
  });

  it('refuses a word that is no boolean instead of reading it as false', async () => {
    const opts = await runnerFor(double);
    const job = await runAction('packages/setup', { version: '17.4.2', enterprise: 'yes' }, opts);
    expectOneLineFailure(
      job,
      /^setup: Input 'enterprise': 'yes' is not one of 'true', 'false', '1' or '0'/,
    );
    expect(await filesUnder(opts.toolCache!)).toEqual([]);
  });
});
