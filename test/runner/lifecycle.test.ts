import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runWorkflow } from './index';
import { fixture, outputOf, step, tempJobs } from './test-helpers';

const jobOpts = tempJobs();

/** Running (a zombie waiting for its new parent to reap it counts as gone). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

describe('process lifecycle', () => {
  it('lets background processes outlive their step and cleans them up at job end', async () => {
    const job = await runWorkflow(
      `
on: push
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - run: |
          sleep 60 &
          echo "bg=$!" >> "$GITHUB_OUTPUT"
        id: start
      - run: kill -0 \${{ steps.start.outputs.bg }} && echo still running
`,
      await jobOpts(),
    );
    expect(job.status).toBe('success');
    expect(step(job, 'start').durationMs).toBeLessThan(5000);
    expect(outputOf(job.steps[1]!)).toContain('still running');
    expect(alive(Number(step(job, 'start').outputs.bg))).toBe(false);
  });

  it('kills a hanging node action at its timeout-minutes', async () => {
    const job = await runWorkflow(
      `
on: push
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - id: hang
        uses: ${fixture('hang')}
        timeout-minutes: 0.01
        continue-on-error: \${{ github.event_name == 'push' }}
      - run: echo next
`,
      await jobOpts(),
    );
    expect(step(job, 'hang')).toMatchObject({
      outcome: 'failure',
      status: 'success',
      timedOut: true,
    });
    expect(step(job, 'hang').annotations.at(-1)!.message).toBe(
      "The action 'Run ./test/runner/fixtures/hang' has timed out after 0.01 minutes.",
    );
    const pid = Number(/hanging pid=(\d+)/.exec(step(job, 'hang').rawLog)![1]);
    expect(alive(pid)).toBe(false);
    expect(job.status).toBe('success');
    expect(job.steps[1]!.status).toBe('success');
  });

  it('honours post-if: a success() post step is skipped once the job failed', async () => {
    const job = await runWorkflow(
      `
on: push
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - uses: ${fixture('post-on-success')}
      - run: exit 1
`,
      await jobOpts(),
    );
    const post = job.steps.find((s) => s.phase === 'post')!;
    expect(post).toMatchObject({
      status: 'skipped',
      name: 'Post Run ./test/runner/fixtures/post-on-success',
    });
    const green = await runWorkflow(
      `
on: push
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - uses: ${fixture('post-on-success')}
`,
      await jobOpts(),
    );
    expect(green.steps[1]!.log).toContain('conditional post ran');
  });

  it('does not put machine env into the env context (as on GitHub)', async () => {
    const job = await runWorkflow(
      `
on: push
env:
  FROM_WORKFLOW: wf
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - run: echo "ctx=[\${{ env.MACHINE_ONLY }}] [\${{ env.FROM_WORKFLOW }}] var=[$MACHINE_ONLY] vars=[\${{ vars.V }}]"
`,
      await jobOpts({ env: { MACHINE_ONLY: 'm' }, vars: { V: 'v' } }),
    );
    expect(outputOf(job.steps[0]!)).toContain('ctx=[] [wf] var=[m] vars=[v]');
  });
});
