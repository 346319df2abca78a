/**
 * Auth overhead: the `auth` step's whole wall time minus the stand-in tbot's own runs, with
 * the ID-token endpoint and the proxy on loopback. A `tbot` earlier on PATH times each run of
 * the real one (start and end stamps in a file), so what is left is the action's own work.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Double } from '../double';
import { runWorkflow } from '../runner';
import { ID_TOKEN_PERMISSIONS, workflowYaml } from '../runner/workflow-builder';
import type { Row } from './measure';

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

/** `runs` auth jobs on the warm tool cache `toolCache`, in `scratch`. */
export async function authOverhead(
  double: Double,
  opts: { repoRoot: string; toolCache: string; scratch: string; runs: number; version: string },
): Promise<Row> {
  const tbot = await findTbot(opts.toolCache);
  const wrapperDir = join(opts.scratch, 'timing-tbot');
  const log = join(opts.scratch, 'tbot-runs.txt');
  await writeTimingTbot(wrapperDir, tbot, log);
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
    const tbotMs = (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => l.split(' ').map(Number))
      .reduce((sum, [s, e]) => sum + (e! - s!) / 1e6, 0);
    if (tbotMs === 0) throw new Error('the auth step never ran the timing tbot');
    times.push(step.durationMs);
    tbotTimes.push(tbotMs);
    overhead.push(step.durationMs - tbotMs);
    await rm(workDir, { recursive: true, force: true });
  }
  return {
    name: '`auth` step minus its tbot runs',
    times,
    floor: { name: "its tbot runs' wall time, subtracted", times: tbotTimes },
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
