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
}

/** Runs `<path> version` (`tbot` on PATH by default); never rejects. */
export async function askTbotVersion(
  env: NodeJS.ProcessEnv,
  path = 'tbot',
): Promise<TbotVersionAnswer> {
  try {
    const { code, stdout } = await execCapture(path, ['version'], { env });
    return { path, notFound: false, code, stdout };
  } catch (err) {
    const notFound = (err as NodeJS.ErrnoException).code === 'ENOENT';
    const startError = err instanceof Error ? err.message : String(err);
    return { path, notFound, startError, code: null, stdout: '' };
  }
}
