import valid from 'semver/functions/valid';
import { UserError } from '../errors';
import { askTbotVersion, type TbotVersionAnswer } from './version-answer';

export interface TbotBinary {
  path: string;
  version: string;
  enterprise: boolean;
}

// `tbot version` prints `Teleport [Enterprise ]v<ver> git:<ref> <go>` (teleport-behaviour.md §1.4).
const VERSION_LINE = /Teleport (Enterprise )?v(\d+\.\d+\.\d+\S*)/;

export function parseTbotVersion(
  output: string,
): { version: string; enterprise: boolean } | undefined {
  const match = VERSION_LINE.exec(output);
  const version = match?.[2] ? valid(match[2]) : null;
  return version ? { version, enterprise: Boolean(match?.[1]) } : undefined;
}

const INSTALL_HINT =
  "add 'uses: teleport-actions/setup@v1' (with 'version' or 'version: auto') before this step";

/**
 * Finds `tbot` (on PATH unless a path is given) and asks its version, or reads the answer of a
 * `tbot version` started earlier (`askTbotVersion`).
 */
export async function detectTbot(
  env: NodeJS.ProcessEnv,
  path = 'tbot',
  hint = INSTALL_HINT,
  asked: Promise<TbotVersionAnswer> = askTbotVersion(env, path),
): Promise<TbotBinary> {
  const answer = await asked;
  if (answer.notFound) throw new UserError(`tbot was not found on PATH: ${hint}`);
  if (answer.startError !== undefined) throw new Error(answer.startError);
  if (answer.timedOut) {
    throw new UserError(
      `'${answer.path} version' did not answer within ${answer.timeoutMs / 1000}s, so it was stopped: the tbot this job finds (\`command -v tbot\`) is not Teleport's, or cannot run here; ${hint}`,
    );
  }
  const parsed = parseTbotVersion(answer.stdout);
  if (answer.code !== 0 || !parsed) {
    throw new UserError(`'${answer.path} version' did not print a Teleport version: ${hint}`);
  }
  return { path: answer.path, ...parsed };
}
