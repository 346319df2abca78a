/** Shared set-up for the runner emulation's own tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { repoRoot } from '../../scripts/repo-root';
import type { JobResult, RunnerOptions, StepResult } from './index';

export { repoRoot } from '../../scripts/repo-root';

export const fixture = (name: string) => `./test/runner/fixtures/${name}`;

/** Options with a fresh work dir per job, all removed after the test file. */
export function tempJobs() {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });
  return async (extra: Partial<RunnerOptions> = {}): Promise<RunnerOptions> => {
    const workDir = await mkdtemp(join(tmpdir(), 'runner-test-'));
    dirs.push(workDir);
    return { repoRoot, workDir, ...extra };
  };
}

export function step(
  job: JobResult,
  idOrName: string,
  phase: 'main' | 'post' = 'main',
): StepResult {
  const s = job.steps.find((x) => x.phase === phase && (x.id === idOrName || x.name === idOrName));
  if (!s) {
    throw new Error(
      `no ${phase} step '${idOrName}' in [${job.steps.map((x) => `${x.phase}:${x.id ?? x.name}`).join(', ')}]`,
    );
  }
  return s;
}

/** A step's log without the header group the runner prints first (`▼ Run ...` and its lines). */
export function outputOf(s: StepResult): string {
  const lines = s.log.split('\n');
  let i = 0;
  while (i < lines.length && lines[i]!.startsWith('##[debug]')) i++;
  if (lines[i]?.startsWith('▼ Run ')) {
    i++;
    while (i < lines.length && lines[i]!.startsWith('  ')) i++;
  }
  return lines.slice(i).join('\n');
}
