/**
 * Runs a step's process with async `spawn` (never spawnSync: tests run fake servers in this
 * process), in its own process group so a timeout kills the whole tree, and remembers the group
 * so the job can clean up orphans (background processes) at its end, like the runner does.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { StepOutput } from './output';

export interface ProcessSpec {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
}

export interface ProcessResult {
  /** null when the process could not start or was killed for the timeout. */
  exitCode: number | null;
  timedOut: boolean;
  startError?: Error;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Process groups started during one job. */
export class ProcessTracker {
  private readonly groups = new Set<number>();

  add(pid: number): void {
    this.groups.add(pid);
  }

  /** "Cleaning up orphan processes": TERM, then KILL, every group the job started. */
  async cleanup(): Promise<number> {
    let alive = 0;
    for (const pid of this.groups) if (killGroup(pid, 'SIGTERM')) alive++;
    if (alive > 0) {
      await sleep(200);
      for (const pid of this.groups) killGroup(pid, 'SIGKILL');
    }
    this.groups.clear();
    return alive;
  }
}

/** How long to wait for stdout/stderr to close after the process exited (orphans may hold them). */
const DRAIN_MS = 1000;

export function runProcess(
  spec: ProcessSpec,
  output: StepOutput,
  tracker: ProcessTracker,
): Promise<ProcessResult> {
  return new Promise((resolve) => {
    let timedOut = false;
    let exited = false;
    let settled = false;
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const streams = Promise.all([output.attach(child.stdout), output.attach(child.stderr)]);
    if (child.pid !== undefined) tracker.add(child.pid);

    const timer = setTimeout(async () => {
      const pid = child.pid;
      if (pid === undefined || exited) return;
      timedOut = true;
      // Like the runner's cancellation: SIGINT, then SIGTERM, then SIGKILL.
      killGroup(pid, 'SIGINT');
      await sleep(500);
      if (exited) return;
      killGroup(pid, 'SIGTERM');
      await sleep(500);
      if (!exited) killGroup(pid, 'SIGKILL');
    }, spec.timeoutMs);

    child.once('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ exitCode: null, timedOut: false, startError: err });
    });

    child.once('exit', async (code, signal) => {
      exited = true;
      clearTimeout(timer);
      const drained = await Promise.race([
        streams.then(() => true),
        sleep(DRAIN_MS).then(() => false),
      ]);
      if (!drained) {
        child.stdout.destroy();
        child.stderr.destroy();
        await streams;
      }
      if (settled) return;
      settled = true;
      let exitCode: number | null = code;
      if (exitCode === null && signal) exitCode = 128 + (constants.signals[signal] ?? 0);
      resolve({ exitCode: timedOut ? null : exitCode, timedOut });
    });
  });
}
