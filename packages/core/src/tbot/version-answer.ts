import { execCapture } from './exec';

/**
 * What `tbot version` answered, as plain data. An action's `main.mjs` starts it as soon as the
 * inputs are good and its `run.mjs` reads the answer: the two are separate bundles, each with
 * its own copy of the engine's error classes, so only data may pass between them.
 */
export interface TbotVersionAnswer {
  path: string;
  /** No such program (ENOENT). */
  notFound: boolean;
  /** Why it could not be started, when it could not for another reason. */
  startError?: string;
  code: number | null;
  stdout: string;
  /** Stopped after `timeoutMs` without an answer. */
  timedOut?: boolean;
  timeoutMs: number;
}

/**
 * How long `tbot version` may take. A real tbot answers in well under a second; a program of
 * that name that waits forever would otherwise hold the step until the job's own time limit.
 */
export const TBOT_VERSION_TIMEOUT_MS = 30_000;

/** Runs `<path> version` (`tbot` on PATH by default); never rejects. */
export async function askTbotVersion(
  env: NodeJS.ProcessEnv,
  path = 'tbot',
  timeoutMs = TBOT_VERSION_TIMEOUT_MS,
): Promise<TbotVersionAnswer> {
  try {
    const { code, stdout, timedOut } = await execCapture(path, ['version'], { env, timeoutMs });
    return { path, notFound: false, code, stdout, timeoutMs, ...(timedOut ? { timedOut } : {}) };
  } catch (err) {
    const notFound = (err as NodeJS.ErrnoException).code === 'ENOENT';
    const startError = err instanceof Error ? err.message : String(err);
    return { path, notFound, startError, code: null, stdout: '', timeoutMs };
  }
}
