import { requiredInput } from '../inputs';
import type { CiPlatform } from '../platform/platform';

/** The `app` input of every application action: the application's name in Teleport. */
export function readAppInput(platform: CiPlatform): string {
  return requiredInput(platform, 'app', 'name the Teleport application, as `tsh apps ls` shows it');
}
