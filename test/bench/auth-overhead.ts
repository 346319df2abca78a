/**
 * Auth overhead: the `auth` step's whole wall time minus the stand-in tbot's own runs, with
 * the ID-token endpoint and the proxy on loopback. A `tbot` earlier on PATH times each run of
 * the real one (start and end stamps in a file), so what is left is the action's own work,
 * once the timing wrapper's own cost (its shell and `date` outside the stamps, measured around
 * `/bin/true` in the same run) is taken off too.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Double } from '../double';
import { runWorkflow } from '../runner';
import { ID_TOKEN_PERMISSIONS, workflowYaml } from '../runner/workflow-builder';
import { median, type Row, timeCommand } from './measure';

/** Registers the bot and join token the bench job uses. */
export function addBenchBot(double: Double): void {
  const auth = double.auth!;
  auth.addRole({ name: 'ci-bench', logins: ['ci-bench'] });
  auth.addBot({ name: 'bench', roles: ['ci-bench'] });
  auth.addToken(
    'kind: token\nversion: v2\nmetadata: { name: github-bench }\nspec:\n  roles: [Bot]\n  join_method: github\n  bot_name: bench\n  github:\n    allow:\n      - { repository: octo-org/octo-repo }\n',
  );
}

/** A `tbot` that runs `real` and appends "<start ns> <end ns>" of that run to `log`. */
async function writeTimingTbot(dir: string, real: string, log: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'tbot'),
    `#!/bin/sh\nunset NODE_OPTIONS\ns=$(date +%s%N)\n'${real}' "$@"\nrc=$?\necho "$s $(date +%s%N)" >>'${log}'\nexit $rc\n`,
    { mode: 0o755 },
  );
}

/** The stamped intervals in `log`, in ms. */
async function loggedRuns(log: string): Promise<number[]> {
  return (await readFile(log, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => l.split(' ').map(Number))
    .map(([s, e]) => (e! - s!) / 1e6);
}

/**
 * What the timing wrapper adds to each run beyond the stamped interval: the wrapper around
 * `/bin/true`, minus its stamps, minus `/bin/true` spawned directly (so spawning a program,
 * which the action does for tbot too, stays counted). Slightly low, never high: `true`'s own
 * run is inside the stamps and is taken off a second time.
 */
async function wrapperCost(scratch: string, runs: number): Promise<number> {
  const dir = join(scratch, 'calibration');
  const log = join(dir, 'runs.txt');
  await writeTimingTbot(dir, '/bin/true', log);
  const extra: number[] = [];
  for (let i = 0; i < runs; i++) {
    await rm(log, { force: true });
    const wrapped = await timeCommand({ argv: [join(dir, 'tbot')] });
    const [stamped] = await loggedRuns(log);
    const direct = await timeCommand({ argv: ['/bin/true'] });
    extra.push(wrapped - stamped! - direct);
  }
  return Math.max(0, median(extra));
}

/** `runs` auth jobs on the warm tool cache `toolCache`, in `scratch`. */
export async function authOverhead(
  double: Double,
  opts: { repoRoot: string; toolCache: string; scratch: string; runs: number; version: string },
): Promise<Row> {
  const tbot = await findTbot(opts.toolCache);
  const wrapperDir = join(opts.scratch, 'timing-tbot');
  const log = join(opts.scratch, 'tbot-runs.txt');
  await writeTimingTbot(wrapperDir, tbot, log);
  const perRun = await wrapperCost(opts.scratch, 20);
  const yaml = workflowYaml(
    [
      { run: `echo '${wrapperDir}' >> "$GITHUB_PATH"` },
      {
        uses: './packages/auth',
        id: 'auth',
        with: { proxy: double.proxy.addr, token: 'github-bench' },
      },
    ],
    { setupVersion: opts.version, permissions: ID_TOKEN_PERMISSIONS },
  );
  const token = double.github!.env();
  const times: number[] = [];
  const tbotTimes: number[] = [];
  const overhead: number[] = [];
  for (let i = 0; i < opts.runs; i++) {
    await rm(log, { force: true });
    const workDir = join(opts.scratch, `job-${i}`);
    const job = await runWorkflow(yaml, {
      repoRoot: opts.repoRoot,
      workDir,
      toolCache: opts.toolCache,
      idToken: {
        url: token.ACTIONS_ID_TOKEN_REQUEST_URL,
        token: token.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
      },
      env: { ...double.env, GITHUB_RUN_ID: `bench-${Date.now()}-${i}` },
    });
    const step = job.steps.find((s) => s.id === 'auth' && s.phase === 'main');
    if (job.status !== 'success' || !step) throw new Error(`auth job failed:\n${job.log}`);
    const tbotRuns = await loggedRuns(log).catch(() => []);
    if (tbotRuns.length === 0) throw new Error('the auth step never ran the timing tbot');
    const tbotMs = tbotRuns.reduce((sum, ms) => sum + ms, 0);
    times.push(step.durationMs);
    tbotTimes.push(tbotMs);
    overhead.push(step.durationMs - tbotMs - tbotRuns.length * perRun);
    await rm(workDir, { recursive: true, force: true });
  }
  return {
    name: '`auth` step minus its tbot runs',
    times,
    floor: {
      name: `its tbot runs' wall time, subtracted (and ${perRun.toFixed(1)} ms a run for the timing wrapper)`,
      times: tbotTimes,
    },
    result: { kind: 'ms', values: overhead },
    target: '<= 80 ms',
  };
}

async function findTbot(toolCache: string): Promise<string> {
  const entries = await readdir(toolCache, { recursive: true, withFileTypes: true });
  const hit = entries.find((e) => e.isFile() && e.name === 'tbot');
  if (!hit) throw new Error(`no tbot under ${toolCache}: the warm setup did not install one`);
  return join(hit.parentPath, hit.name);
}
