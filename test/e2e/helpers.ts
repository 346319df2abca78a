import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { repoRoot } from '../../scripts/repo-root';
import type { Double } from '../double';
import type { JobResult, RunnerOptions } from '../runner';

export { repoRoot } from '../../scripts/repo-root';

/** Runner options that point a job at the double, with its own work dir and tool cache. */
export async function runnerFor(
  double: Double,
  extra: Partial<RunnerOptions> = {},
): Promise<RunnerOptions> {
  const workDir = await mkdtemp(join(tmpdir(), 'job-'));
  return {
    repoRoot,
    workDir,
    toolCache: join(workDir, 'toolcache'),
    env: { ...double.env },
    ...extra,
  };
}

/** Every file below a folder (empty when it does not exist). */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => !e.isDirectory()).map((e) => join(e.parentPath, e.name));
}

/** The job succeeded; if not, the assertion shows its log. */
export function expectSuccess(job: JobResult): void {
  expect(job.status, `job failed:\n${job.log}`).toBe('success');
}

/** The step failed with exactly one error annotation: one line, no stack trace. */
export function expectOneLineFailure(job: JobResult, pattern: RegExp): string {
  expect(job.status).toBe('failure');
  const errors = job.steps.flatMap((s) => s.annotations.filter((a) => a.level === 'error'));
  expect(errors).toHaveLength(1);
  const message = errors[0]!.message;
  expect(message).not.toContain('\n');
  expect(message).toMatch(pattern);
  expect(job.rawLog).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack frames
  return message;
}
