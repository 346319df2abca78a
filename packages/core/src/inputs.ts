import { InputError } from './errors';
import type { CiPlatform } from './platform/platform';

/** A boolean input (`true`/`false`, any case), or `fallback` when empty. */
export function parseBooleanInput(platform: CiPlatform, name: string, fallback: boolean): boolean {
  const raw = platform.getInput(name).toLowerCase();
  if (raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new InputError(name, `'${platform.getInput(name)}' is not 'true' or 'false'`);
}
