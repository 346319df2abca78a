import { fileURLToPath } from 'node:url';

/** The repository's top folder, for scripts and tests that name files in it. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
