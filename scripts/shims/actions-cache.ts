/**
 * Stands in for `@actions/cache` in the CLI bundle: the CLI never uses GitHub's Actions cache
 * (`cache` is always off there), and the real module is 700 KB every start would parse.
 */
export function isFeatureAvailable(): boolean {
  return false;
}
export async function restoreCache(): Promise<undefined> {
  return undefined;
}
export async function saveCache(): Promise<number> {
  return -1;
}
