import semver from 'semver';
import { UserError } from '../errors';
import { execCapture } from './exec';

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
  const version = match?.[2] ? semver.valid(match[2]) : null;
  return version ? { version, enterprise: Boolean(match?.[1]) } : undefined;
}

const INSTALL_HINT =
  "add 'uses: teleport-actions/setup@v1' (with 'version' or 'version: auto') before this step";

/** Finds `tbot` (on PATH unless a path is given) and asks its version. */
export async function detectTbot(
  env: NodeJS.ProcessEnv,
  path = 'tbot',
  hint = INSTALL_HINT,
): Promise<TbotBinary> {
  let result: Awaited<ReturnType<typeof execCapture>>;
  try {
    result = await execCapture(path, ['version'], { env });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UserError(`tbot was not found on PATH: ${hint}`);
    }
    throw err;
  }
  const parsed = parseTbotVersion(result.stdout);
  if (result.code !== 0 || !parsed) {
    throw new UserError(`'${path} version' did not print a Teleport version: ${hint}`);
  }
  return { path, ...parsed };
}
